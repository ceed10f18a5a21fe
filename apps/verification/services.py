"""Writes on verifications: issue (or refuse), the city's confirm or return, revoke.

The evaluation comes from the ledger through the rules engine (`apps.credits.ledger`); what it
said at issue is copied onto the row with the officer's name and organisation, the date, a code
and the rendered PDF, and none of it changes afterwards (see `guard.py`).
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps import rules
from apps.accounts.models import User
from apps.accounts.scope import require
from apps.credits.ledger import ledger_evaluate
from apps.credits.models import LedgerEntry
from apps.people.models import Person
from apps.people.services import person_update
from apps.rules.reasons import fmt
from apps.verification import codes, documents
from apps.verification.backfill import BOOKLET_KIND
from apps.verification.documents import cycle_explanation
from apps.verification.models import (
    SENIOR_LEVELS,
    CycleSetting,
    TitleYearChange,
    Verification,
    format_code,
)
from apps.verification.permissions import (
    REVOCABLE,
    may_confirm,
    may_correct_title_year,
    may_issue,
    may_return,
    may_revoke,
    may_set_cycle,
)

EARLIEST_YEAR = 1990
LONGEST_CYCLE = 15  # years; a tenure cycle is normally 5, a long wait between titles 10 or so

NEXT_LEVEL = {
    "": Person.TitleLevel.JUNIOR,
    Person.TitleLevel.JUNIOR: Person.TitleLevel.INTERMEDIATE,
    Person.TitleLevel.INTERMEDIATE: Person.TitleLevel.ASSOCIATE_SENIOR,
    Person.TitleLevel.ASSOCIATE_SENIOR: Person.TitleLevel.SENIOR,
    Person.TitleLevel.SENIOR: Person.TitleLevel.SENIOR,
}


def site_url(request: HttpRequest | None = None) -> str:
    """The address printed in QR codes: settings.PUBLIC_BASE_URL, else the address the officer
    is using (request.build_absolute_uri), else the development server's."""
    base = settings.PUBLIC_BASE_URL or (
        request.build_absolute_uri("/") if request is not None else "http://127.0.0.1:8000/"
    )
    return base.rstrip("/")


def check_url(*, code: str, base: str) -> str:
    return f"{base}{reverse('verification:check')}?code={format_code(code)}"


def cycle_cap(*, title_level: str) -> int:
    """The city's cap in years on the cycle for a title level (default 5): the latest setting."""
    setting = (
        CycleSetting.objects.filter(title_level=title_level)
        .order_by("-changed_at", "-id")
        .values_list("years", flat=True)
        .first()
    )
    return setting if setting is not None else CycleSetting.DEFAULT_YEARS


@dataclass(frozen=True)
class DerivedCycle:
    """The tenure cycle of an application, derived from the person's title year (DESIGN §3.6)."""

    start: int
    end: int
    title_year: int
    cap: int

    @property
    def capped(self) -> bool:
        return self.start > self.title_year + 1

    @property
    def explanation(self) -> str:
        """How the cycle was found, as printed on the page and the PDF."""
        return cycle_explanation(
            start=self.start, end=self.end, title_year=self.title_year, cap=self.cap
        )


def cycle_derive(*, person: Person, application_year: int, title_level: str) -> DerivedCycle:
    """From the year after the current title was obtained, capped to the latest N years (N per
    title level applied for, a city setting), through the year before the application. Raises
    ValidationError (naming the field to mend) when there is no cycle to verify."""
    if person.title_year is None:
        raise ValidationError(
            _(
                "The year %(name)s obtained the current title is not recorded: correct the title "
                "year (with a reason) before verifying; the tenure cycle is derived from it."
            )
            % {"name": person.name}
        )
    end = application_year - 1
    if person.title_year >= end:
        raise ValidationError(
            _(
                "The current title was obtained in %(title_year)s: there is no full year of "
                "tenure before the %(year)s application to verify. If the title year is wrong, "
                "correct it with a reason."
            )
            % {"title_year": person.title_year, "year": application_year}
        )
    cap = cycle_cap(title_level=title_level)
    start = max(person.title_year + 1, end - cap + 1, EARLIEST_YEAR)
    return DerivedCycle(start=start, end=end, title_year=person.title_year, cap=cap)


@dataclass(frozen=True)
class CycleCheck:
    """The engine's verdict on a cycle, in the form stored on a verification."""

    application_year: int
    cycle_start: int
    cycle_end: int
    years: list[dict[str, Any]]
    total: Decimal
    public: Decimal
    professional: Decimal
    compliant: bool
    refusal_reasons: list[str]
    backfilled_years: list[int]
    derived: DerivedCycle | None = None


def _hours(value: Decimal) -> str:
    return f"{value:.1f}"


def _year_row(result: rules.YearResult) -> dict[str, Any]:
    return {
        "year": result.year,
        "public": _hours(result.hours.public),
        "professional": _hours(result.hours.professional),
        "total": _hours(result.hours.total),
        "required_public": _hours(result.requirement.public),
        "required_professional": _hours(result.requirement.professional),
        "exempt": result.exempt,
        "aid_service": result.aid_service,
        "made_up_public": _hours(result.made_up.public),
        "made_up_professional": _hours(result.made_up.professional),
        "shortfall_public": _hours(result.shortfall.public),
        "shortfall_professional": _hours(result.shortfall.professional),
        "compliant": result.compliant,
        "reasons": [reason.note for reason in result.reasons],
    }


def _refusal_reason(result: rules.YearResult) -> str:
    short = []
    if result.shortfall.public > 0:
        short.append(_("public subjects %(hours)s hours") % {"hours": fmt(result.shortfall.public)})
    if result.shortfall.professional > 0:
        short.append(
            _("professional subjects %(hours)s hours")
            % {"hours": fmt(result.shortfall.professional)}
        )
    reason = _(
        "%(year)s: %(total)s hours credited (public %(public)s, professional %(professional)s); "
        "short of %(short)s after make-up from the next year."
    ) % {
        "year": result.year,
        "total": fmt(result.hours.total),
        "public": fmt(result.hours.public),
        "professional": fmt(result.hours.professional),
        "short": "、".join(short),
    }
    return reason


def cycle_validate(*, application_year: int, cycle_start: int, cycle_end: int) -> None:
    this_year = timezone.localdate().year
    errors: dict[str, str] = {}
    if not EARLIEST_YEAR < application_year <= this_year + 1:
        errors["application_year"] = _("The application year must be between %(a)s and %(b)s.") % {
            "a": EARLIEST_YEAR + 1,
            "b": this_year + 1,
        }
    if cycle_end >= application_year:
        errors["cycle_end"] = _("The cycle must end before the application year.")
    if cycle_start > cycle_end:
        errors["cycle_start"] = _("The cycle cannot start after it ends.")
    elif cycle_end - cycle_start + 1 > LONGEST_CYCLE:
        errors["cycle_start"] = _("A tenure cycle of more than %(n)s years cannot be verified.") % {
            "n": LONGEST_CYCLE
        }
    if cycle_start < EARLIEST_YEAR:
        errors["cycle_start"] = _("The cycle cannot start before %(year)s.") % {
            "year": EARLIEST_YEAR
        }
    if errors:
        raise ValidationError(errors)


def person_verifiable(*, person: Person) -> None:
    """People of provincial and ministerial units are outside the city's verifications."""
    if not person.unit.in_city_scope:
        raise ValidationError(
            _(
                "%(name)s works for a %(affiliation)s: provincial and ministerial units are "
                "outside Hefei's verification; their own authority verifies their hours."
            )
            % {"name": person.name, "affiliation": person.unit.get_affiliation_display()}
        )


def cycle_check(
    *, person: Person, application_year: int, cycle_start: int, cycle_end: int
) -> CycleCheck:
    """Evaluates the person's ledger over the cycle (the year after it may make up its end)."""
    cycle_validate(application_year=application_year, cycle_start=cycle_start, cycle_end=cycle_end)
    years = range(cycle_start, cycle_end + 1)
    evaluation = ledger_evaluate(
        person=person,
        entries=LedgerEntry.objects.filter(person=person).order_by("id"),
        years=years,
        cycle=(cycle_start, cycle_end),
    )
    cycle = evaluation.cycle
    assert cycle is not None  # a cycle was asked for
    results = [evaluation.years[year] for year in years]
    with translation.override(settings.LANGUAGE_CODE):
        reasons = [_refusal_reason(r) for r in results if not r.compliant]
    backfilled = backfilled_years(person=person, years=years)
    rows = [_year_row(r) for r in results]
    for row in rows:
        row["backfilled"] = row["year"] in backfilled
    return CycleCheck(
        application_year=application_year,
        cycle_start=cycle_start,
        cycle_end=cycle_end,
        years=rows,
        total=cycle.total,
        public=sum((r.hours.public for r in results), Decimal("0.0")),
        professional=sum((r.hours.professional for r in results), Decimal("0.0")),
        compliant=cycle.compliant,
        refusal_reasons=reasons,
        backfilled_years=sorted(backfilled),
    )


def derived_cycle_check(*, person: Person, application_year: int, title_level: str) -> CycleCheck:
    """The engine's verdict on the derived cycle of an application."""
    derived = cycle_derive(
        person=person, application_year=application_year, title_level=title_level
    )
    check = cycle_check(
        person=person,
        application_year=application_year,
        cycle_start=derived.start,
        cycle_end=derived.end,
    )
    return dataclasses.replace(check, derived=derived)


def backfilled_years(*, person: Person, years: Iterable[int]) -> set[int]:
    """Years whose hours include live paper-booklet totals (not reversed)."""
    return set(
        LedgerEntry.objects.filter(
            person=person,
            kind=BOOKLET_KIND,
            year__in=list(years),
            reverses__isnull=True,
            reversed_by__isnull=True,
        ).values_list("year", flat=True)
    )


def standing_verification(*, person: Person, application_year: int) -> Verification | None:
    """The verification that stands for this application (valid or awaiting re-review)."""
    return (
        Verification.objects.filter(person=person, application_year=application_year)
        .filter(status__in=[Verification.Status.VALID, Verification.Status.AWAITING_REVIEW])
        .order_by("-issued_at")
        .first()
    )


@transaction.atomic
def verification_issue(
    *,
    officer: User,
    person: Person,
    application_year: int,
    title_applied: str,
    title_level: str,
    base_url: str,
    cycle_posted: tuple[int | None, int | None] | None = None,
) -> Verification:
    """Verifies the derived cycle: issued with a code and a signed, stored PDF when every year
    is compliant, recorded as refused (不予验证) with its reasons otherwise. Senior titles wait
    for the city. The cycle is never chosen: a posted cycle other than the derived one is
    refused (mend the title year instead)."""
    # Views fetch the person through people_visible_to; the rule holds for any caller.
    require(may_issue(officer.scope, person))
    person_verifiable(person=person)
    title_applied = title_applied.strip()
    errors: dict[str, str] = {}
    if not title_applied:
        errors["title_applied"] = _("Give the title applied for.")
    if title_level not in Person.TitleLevel.values:
        errors["title_level"] = _("Choose the level of the title applied for.")
    if errors:
        raise ValidationError(errors)
    # Lock the person: two officers verifying the same person queue up.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    standing = standing_verification(person=person, application_year=application_year)
    if standing is not None:
        # One standing verification per application: a second would be a second certificate.
        raise ValidationError(
            _(
                "A verification for the %(year)d application already stands (code %(code)s, "
                "%(status)s); revoke it before verifying again."
            )
            % {
                "year": application_year,
                "code": standing.code,
                "status": standing.get_status_display(),
            }
        )
    check = derived_cycle_check(
        person=person, application_year=application_year, title_level=title_level
    )
    derived = check.derived
    assert derived is not None
    if cycle_posted is not None and tuple(cycle_posted) != (derived.start, derived.end):
        raise ValidationError(
            _(
                "The tenure cycle is derived, not chosen: for this application it is "
                "%(start)s–%(end)s. To mend it, correct the year of the current title with "
                "a reason."
            )
            % {"start": derived.start, "end": derived.end}
        )
    cycle_start, cycle_end = derived.start, derived.end
    senior = title_level in SENIOR_LEVELS
    jurisdiction_id = officer.jurisdiction_id
    assert jurisdiction_id is not None  # checked by may_issue
    if check.compliant:
        status = Verification.Status.AWAITING_REVIEW if senior else Verification.Status.VALID
    else:
        status = Verification.Status.REFUSED
    verification = Verification(
        person=person,
        person_name=person.name,
        id_number_masked=person.id_number_masked,
        unit_name=person.unit.name,
        current_title=person.title,
        title_applied=title_applied[:50],
        title_level=title_level,
        application_year=application_year,
        cycle_start=cycle_start,
        cycle_end=cycle_end,
        title_year_used=derived.title_year,
        cycle_cap=derived.cap,
        backfilled_years=check.backfilled_years,
        total_hours=check.total,
        public_hours=check.public,
        professional_hours=check.professional,
        years=check.years,
        compliant=check.compliant,
        refusal_reasons=check.refusal_reasons,
        officer=officer,
        officer_name=officer.full_name,
        officer_org=officer.organisation_name,
        jurisdiction_id=jurisdiction_id,
        issued_at=timezone.now(),
        status=status,
        needs_review=senior and check.compliant,
    )
    if check.compliant:
        verification.code = _unused_code()
        data = documents.verification_pdf(
            verification=verification, check_url=check_url(code=verification.code, base=base_url)
        )
        verification.pdf_sha256 = documents.sha256(data)
        verification.pdf.save("verification.pdf", ContentFile(data), save=False)
    verification.full_clean()
    verification.save()
    if check.compliant:
        # Earlier certificates of this application that no longer stand name their successor
        # (the public check shows it).
        Verification.objects.filter(
            person=person,
            application_year=application_year,
            status__in=[Verification.Status.REVOKED, Verification.Status.RETURNED],
            code__isnull=False,
            replaced_by__isnull=True,
        ).exclude(pk=verification.pk).update(replaced_by=verification)
    return verification


@transaction.atomic
def title_year_correct(*, officer: User, person: Person, year: int, reason: str) -> TitleYearChange:
    """Corrects the year the person's current title was obtained, with a reason: how a wrong
    tenure cycle is mended. Kept as a TitleYearChange (shown at re-review) and on the person's
    own history."""
    require(may_correct_title_year(officer.scope, person))
    reason = reason.strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Give the reason for correcting the title year.")
    this_year = timezone.localdate().year
    if not EARLIEST_YEAR - 40 <= year <= this_year:
        errors["year"] = _("The title year must be between %(a)s and %(b)s.") % {
            "a": EARLIEST_YEAR - 40,
            "b": this_year,
        }
    elif year == person.title_year:
        errors["year"] = _("The title year is already %(year)s.") % {"year": year}
    if errors:
        raise ValidationError(errors)
    locked = Person.objects.select_for_update().get(pk=person.pk)
    change = TitleYearChange.objects.create(
        person=locked,
        old_year=locked.title_year,
        new_year=year,
        reason=reason[:300],
        officer=officer,
        officer_name=officer.full_name,
        officer_org=officer.organisation_name,
        changed_at=timezone.now(),
    )
    # The person's history (django-simple-history, where installed) records the reason too.
    note = _("Title year corrected: %(reason)s") % {"reason": reason[:200]}
    locked._change_reason = note  # type: ignore[attr-defined]
    locked._history_user = officer  # type: ignore[attr-defined]  # also outside a request
    person_update(person=locked, title_year=year)
    person.title_year = year
    return change


@transaction.atomic
def cycle_setting_change(
    *, officer: User, title_level: str, years: int, reason: str
) -> CycleSetting:
    """The city sets how many latest years a cycle covers for a title level; kept as history."""
    require(may_set_cycle(officer.scope))
    reason = reason.strip()
    errors: dict[str, str] = {}
    if title_level not in Person.TitleLevel.values:
        errors["title_level"] = _("Choose the title level.")
    if not 1 <= years <= CycleSetting.MAX_YEARS:
        errors["years"] = _("Give a number of years from 1 to %(n)s.") % {
            "n": CycleSetting.MAX_YEARS
        }
    if not reason:
        errors["reason"] = _("Give the reason for the change.")
    if errors:
        raise ValidationError(errors)
    return CycleSetting.objects.create(
        title_level=title_level,
        years=years,
        reason=reason[:300],
        changed_by=officer,
        changed_by_name=officer.full_name,
        changed_at=timezone.now(),
    )


def _unused_code() -> str:
    while True:  # 80 random bits: a clash is for the tests of this loop only
        code = codes.code_new()
        if not Verification.objects.filter(code=code).exists():
            return code


def _move(verification: Verification, expected: Sequence[str], **changes: Any) -> None:
    """Moves the status only if it is still what the officer saw; frozen columns stay."""
    moved = Verification.objects.filter(pk=verification.pk, status__in=expected).update(**changes)
    if not moved:
        raise ValidationError(_("This verification has changed meanwhile; reload the page."))
    verification.refresh_from_db()


@transaction.atomic
def verification_confirm(
    *, verification: Verification, officer: User, base_url: str
) -> Verification:
    """The city confirms a senior verification: it becomes valid, with a new PDF that carries
    the city's re-review beside the district's verification."""
    require(may_confirm(officer.scope, verification))
    now = timezone.now()
    verification.reviewer_name = officer.full_name
    verification.reviewer_org = officer.organisation_name
    verification.reviewed_at = now
    assert verification.code is not None
    data = documents.verification_pdf(
        verification=verification,
        check_url=check_url(code=verification.code, base=base_url),
        reviewed=True,
    )
    name = verification.reviewed_pdf.storage.save(
        verification.reviewed_pdf.field.generate_filename(verification, "re-reviewed.pdf"),
        ContentFile(data),
    )
    try:
        _move(
            verification,
            [Verification.Status.AWAITING_REVIEW],
            status=Verification.Status.VALID,
            reviewed_by=officer,
            reviewer_name=officer.full_name,
            reviewer_org=officer.organisation_name,
            reviewed_at=now,
            reviewed_pdf=name,
            reviewed_pdf_sha256=documents.sha256(data),
        )
    except (ValidationError, IntegrityError):
        verification.reviewed_pdf.storage.delete(name)
        raise
    return verification


@transaction.atomic
def verification_return(*, verification: Verification, officer: User, reason: str) -> Verification:
    """The city returns a senior verification to the district, with its reason."""
    require(may_return(officer.scope, verification))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for returning it.")})
    _move(
        verification,
        [Verification.Status.AWAITING_REVIEW],
        status=Verification.Status.RETURNED,
        reviewed_by=officer,
        reviewer_name=officer.full_name,
        reviewer_org=officer.organisation_name,
        reviewed_at=timezone.now(),
        return_reason=reason[:500],
    )
    return verification


@transaction.atomic
def verification_revoke(*, verification: Verification, officer: User, reason: str) -> Verification:
    """Withdraws an issued verification (e.g. issued in error); the public check then says so."""
    require(may_revoke(officer.scope, verification))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for revoking it.")})
    _move(
        verification,
        REVOCABLE,
        status=Verification.Status.REVOKED,
        revoked_by=officer,
        revoked_at=timezone.now(),
        revoke_reason=reason[:500],
    )
    return verification


def _zip_name(verification: Verification) -> str:
    return (
        f"{verification.application_year}-{verification.person_name}-"
        f"{verification.code_display}.pdf"
    )


def verifications_zip_write(
    *,
    verifications: Sequence[Verification],
    target: BinaryIO,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Writes the stored PDFs (with the re-review where there is one) into a zip on `target`,
    one at a time (a batch of thousands never sits in memory), each checked against the
    SHA-256 recorded at issue; returns how many went in. An altered or missing file stops the
    batch with a message naming the verification, so no zip is ever incomplete unnoticed."""
    chosen = [v for v in verifications if v.code]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for count, verification in enumerate(chosen, start=1):
            stored = verification.current_pdf
            expected = (
                verification.reviewed_pdf_sha256
                if verification.reviewed_pdf
                else verification.pdf_sha256
            )
            try:
                with stored.open("rb") as handle:
                    data = handle.read()
            except (FileNotFoundError, ValueError):
                raise ValidationError(
                    _("The stored PDF of verification %(code)s is missing; nothing was packed.")
                    % {"code": verification.code_display}
                ) from None
            if documents.sha256(data) != expected:
                raise ValidationError(
                    _(
                        "The stored PDF of verification %(code)s does not match the one "
                        "issued; nothing was packed. Tell the administrator."
                    )
                    % {"code": verification.code_display}
                )
            archive.writestr(_zip_name(verification), data)
            if progress is not None:
                progress(count, len(chosen))
    return len(chosen)


def verifications_zip(*, verifications: Iterable[Verification]) -> bytes:
    """The stored PDFs in one zip, in memory (small selections; batches go through a job)."""
    buffer = io.BytesIO()
    verifications_zip_write(verifications=list(verifications), target=buffer)
    return buffer.getvalue()
