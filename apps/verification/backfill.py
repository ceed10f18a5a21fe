"""Paper-booklet backfill (历史学时补录): per-year public and professional totals copied from a
person's paper 继续教育证书 for a year before the portal's records, with a scan of the page.

The totals go on the ledger as `paper_booklet` entries (one per subject with hours; source
纸质证书补录, the officer as reviewer), evaluated by the rules engine like any year and reversed
like any entry (the ledger's 冲正). The scan is stored encrypted, like claim evidence.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.scope import require
from apps.credits.evidence import evidence_check
from apps.credits.models import LedgerEntry, Source
from apps.credits.services import EntryDraft, Reviewer, entries_record
from apps.people import crypto
from apps.people.models import Person
from apps.verification.models import BookletBackfill
from apps.verification.permissions import may_backfill

BOOKLET_KIND = "paper_booklet"
EARLIEST_YEAR = 1990
MAX_HOURS = Decimal("999.9")


def _hours(value: object, label: str) -> Decimal:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(field)s: give a number of hours.") % {"field": label}) from None
    if hours < 0 or hours > MAX_HOURS or Decimal(str(value)) != hours:
        raise ValidationError(
            _("%(field)s: give hours from 0 to %(max)s with at most one decimal place.")
            % {"field": label, "max": MAX_HOURS}
        )
    return hours


def live_booklet_entries(*, person: Person, year: int | None = None) -> list[LedgerEntry]:
    entries = LedgerEntry.objects.filter(
        person=person, kind=BOOKLET_KIND, reverses__isnull=True, reversed_by__isnull=True
    )
    if year is not None:
        entries = entries.filter(year=year)
    return list(entries)


@transaction.atomic
def booklet_backfill(
    *,
    officer: User,
    person: Person,
    year: int,
    public_hours: object,
    professional_hours: object,
    scan: UploadedFile | None,
    booklet_number: str = "",
) -> BookletBackfill:
    """Records one year's totals from the paper booklet; every problem is named, nothing is
    written unless all is well."""
    require(may_backfill(officer.scope, person))
    problems: list[str] = []
    this_year = timezone.localdate().year
    if not EARLIEST_YEAR <= year < this_year:
        problems.append(
            _("Year: a year from %(a)s to %(b)s (a past year).")
            % {"a": EARLIEST_YEAR, "b": this_year - 1}
        )
    public = professional = Decimal("0")
    try:
        public = _hours(public_hours, _("Public hours"))
    except ValidationError as exc:
        problems.extend(exc.messages)
    try:
        professional = _hours(professional_hours, _("Professional hours"))
    except ValidationError as exc:
        problems.extend(exc.messages)
    if not problems and public == 0 and professional == 0:
        problems.append(
            _("Hours: the booklet's totals for the year are both 0; nothing to record.")
        )
    checked = None
    if scan is None:
        problems.append(_("Scan: attach the scan of the booklet page (PDF, JPEG or PNG)."))
    else:
        try:
            (checked,) = evidence_check([scan])
        except ValidationError as exc:
            problems.extend(_("Scan: %(problem)s") % {"problem": m} for m in exc.messages)
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if not problems and year >= EARLIEST_YEAR:
        if live_booklet_entries(person=person, year=year):
            problems.append(
                _(
                    "Year %(year)s already has totals from the paper booklet; reverse those "
                    "entries on the ledger first if they are wrong."
                )
                % {"year": year}
            )
        on_portal = LedgerEntry.objects.filter(
            person=person, year=year, reverses__isnull=True, reversed_by__isnull=True
        ).exclude(kind=BOOKLET_KIND)
        if on_portal.exists():
            problems.append(
                _(
                    "Year %(year)s already has hours on the portal's ledger: the paper booklet "
                    "is backfilled only for years before the portal's records."
                )
                % {"year": year}
            )
    if problems:
        raise ValidationError(problems)
    assert checked is not None
    backfill = BookletBackfill(
        person=person,
        year=year,
        public_hours=public,
        professional_hours=professional,
        booklet_number=booklet_number.strip()[:50],
        scan_name=checked.name,
        scan_type=checked.content_type,
        scan_size=len(checked.content),
        scan_sha256=checked.sha256,
        officer=officer,
        officer_name=officer.full_name,
        officer_org=officer.organisation_name,
        recorded_at=timezone.now(),
    )
    backfill.scan.save("scan", ContentFile(crypto.encrypt_bytes(checked.content)), save=False)
    backfill.save()
    label = _("Paper booklet %(number)s, %(year)s") % {
        "number": backfill.booklet_number or "—",
        "year": year,
    }
    drafts = [
        EntryDraft(
            person_id=person.pk,
            year=year,
            kind=BOOKLET_KIND,
            source=Source.BOOKLET,
            source_key=key,
            params={"subject": subject, "hours": float(hours)},
            title=_("Paper booklet backfill %(year)s") % {"year": year},
            source_label=label,
        )
        for key, subject, hours in zip(
            backfill.source_keys, ("public", "professional"), (public, professional), strict=True
        )
        if hours > 0
    ]
    entries_record(drafts=drafts, reviewer=Reviewer.of(officer))
    return backfill


def backfill_scan(*, backfill: BookletBackfill) -> bytes:
    """The clear scan. Callers fetch the backfill through the asker's scope first."""
    with backfill.scan.open("rb") as stored:
        content = crypto.decrypt_bytes(stored.read())
    if hashlib.sha256(content).hexdigest() != backfill.scan_sha256:
        raise ValueError(f"Backfill {backfill.pk}: stored scan does not match its SHA-256.")
    return content
