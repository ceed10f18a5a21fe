"""Writes for plans and rosters.

Plans: `plan_file` (refuses, and records as refused, a plan filed fewer than 15 calendar days
before its start, naming the earliest start it could have), `plan_acknowledge`, `plan_return`,
`plan_withdraw`. Rosters: `roster_check` reads and checks a whole upload and keeps it,
encrypted, for the preview; `roster_confirm` checks it again against the database and writes
people, units, roster rows and ledger entries in one transaction, or nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.scope import require
from apps.bases.models import Organiser
from apps.credits.models import Source
from apps.credits.services import EntryDraft, Reviewer, entries_record
from apps.filings.export import roster_workbook
from apps.filings.models import Plan, RosterRow, RosterUpload
from apps.filings.permissions import (
    may_acknowledge_plan,
    may_file_plan,
    may_report_roster,
    may_return_plan,
    may_withdraw_plan,
)
from apps.filings.roster import SCHEMA, Line, parse_sheet, problem_order
from apps.people import crypto, idnumber
from apps.people.models import IdNumberAccess, Industry, Jurisdiction, Person, Unit
from apps.people.services import id_numbers_shown_record
from hefei_cpe import cleaning
from hefei_cpe.bulk import insert_rows, values_in
from hefei_cpe.uploads import Intake, Refused, RowProblem

MAX_PLANNED_HOURS = Decimal("1000")
PERSON_FIELDS = (
    "name",
    "id_number_encrypted",
    "id_number_hash",
    "id_number_masked",
    "gender",
    "birth_date",
    "unit_id",
    "industry_id",
    "title",
    "title_level",
    "created_at",
    "updated_at",
)
ROSTER_ROW_FIELDS = (
    "plan_id",
    "upload_id",
    "person_id",
    "number",
    "name",
    "unit_name",
    "title",
    "hours",
    "result",
    "remark",
    "passed",
)
UNPLACED_CODE = "unplaced"
# The header block of the form names a row 0 in problems: the file as a whole.
FILE = 0


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def earliest_start(*, today: dt.date | None = None) -> dt.date:
    """The first start date a plan filed today may have (notice: 提前 15 日备案)."""
    return _today(today) + dt.timedelta(days=settings.FILINGS_PLAN_LEAD_DAYS)


def roster_entry_kind(plan: Plan) -> str:
    """The Attachment 3 category a roster credits: a base's training is 省、市级继续教育基地培训,
    an industry authority's is 省市有关部门、行业组织培训. Both credit the hours on the roster."""
    if plan.organiser.kind == Organiser.Kind.INDUSTRY_AUTHORITY:
        return "organized_training"
    return "base_training"


def _organiser_of(user: User) -> Organiser:
    require(may_file_plan(user.scope))
    assert user.scope.organiser_id is not None  # checked by may_file_plan
    return Organiser.objects.select_related("industry").get(pk=user.scope.organiser_id)


def plan_file(
    *,
    user: User,
    title: str,
    industry: Industry,
    mode: str,
    start_date: dt.date,
    end_date: dt.date,
    planned_hours: Decimal,
    place: str,
    today: dt.date | None = None,
) -> Plan:
    """Files a plan for the user's organiser. Bad fields raise `ValidationError` and write nothing;
    a plan filed too late is recorded with status REFUSED, its reason naming the earliest start
    date it could have had (the city sees late filings too). An industry authority files for
    the industry it supervises, and only that one; a training base for any industry."""
    organiser = _organiser_of(user)
    today = _today(today)
    title, place = " ".join(title.split()), " ".join(place.split())
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Give the title of the training.")
    if not place:
        errors["place"] = _("Give the place, or the platform of an online training.")
    if mode not in Plan.Mode.values:
        errors["mode"] = _("Choose online or face-to-face.")
    if end_date < start_date:
        errors["end_date"] = _("The end date is before the start date.")
    if not Decimal("0") < planned_hours <= MAX_PLANNED_HOURS:
        errors["planned_hours"] = _("The planned hours must be more than 0 and at most 1000.")
    elif planned_hours != planned_hours.quantize(Decimal("0.1")):
        errors["planned_hours"] = _("Hours have at most one decimal place (e.g. 17.5).")
    if not organiser.is_active:
        raise ValidationError(
            _("%(organiser)s is deactivated and files no new plans; contact the city bureau.")
            % {"organiser": organiser.name}
        )
    if organiser.is_authority and industry.pk != organiser.industry_id:
        errors["industry"] = _(
            "%(organiser)s is the industry authority of %(industry)s and files plans of that "
            "industry only."
        ) % {"organiser": organiser.name, "industry": organiser.industry}
    if errors:
        raise ValidationError(errors)
    plan = Plan(
        organiser=organiser,
        title=title,
        industry=industry,
        mode=mode,
        start_date=start_date,
        end_date=end_date,
        planned_hours=planned_hours,
        place=place,
        filed_by=user,
    )
    earliest = earliest_start(today=today)
    if start_date < earliest:
        plan.status = Plan.Status.REFUSED
        plan.refusal_reason = _(
            "Filed on %(today)s, %(days)d days before the start; a plan is filed at least "
            "%(lead)d calendar days ahead, so the earliest start date is %(earliest)s."
        ) % {
            "today": today.isoformat(),
            "days": (start_date - today).days,
            "lead": settings.FILINGS_PLAN_LEAD_DAYS,
            "earliest": earliest.isoformat(),
        }
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_acknowledge(*, plan: Plan, user: User, note: str = "") -> Plan:
    require(may_acknowledge_plan(user.scope))
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    require(may_acknowledge_plan(user.scope, plan))
    plan.status = Plan.Status.ACKNOWLEDGED
    plan.reviewed_by, plan.reviewed_at = user, timezone.now()
    plan.review_note = note.strip()[:300]
    plan.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    return plan


@transaction.atomic
def plan_return(*, plan: Plan, user: User, note: str) -> Plan:
    require(may_return_plan(user.scope))
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say why the plan is returned.")})
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    require(may_return_plan(user.scope, plan))
    plan.status = Plan.Status.RETURNED
    plan.reviewed_by, plan.reviewed_at = user, timezone.now()
    plan.review_note = note[:300]
    plan.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    return plan


@transaction.atomic
def plan_withdraw(*, plan: Plan, user: User, today: dt.date | None = None) -> Plan:
    require(may_withdraw_plan(user.scope, plan, today))
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    require(may_withdraw_plan(user.scope, plan, today))
    plan.status = Plan.Status.WITHDRAWN
    plan.withdrawn_at = timezone.now()
    plan.save(update_fields=["status", "withdrawn_at"])
    return plan


# --- Rosters -----------------------------------------------------------------------------


def roster_refusal(*, plan: Plan, today: dt.date | None = None) -> str | None:
    """Why no roster can be reported for this plan now, or None."""
    if plan.status == Plan.Status.ACKNOWLEDGED:
        if _today(today) <= plan.end_date:
            return _("The training ends on %(end)s; report the roster from the day after.") % {
                "end": plan.end_date.isoformat()
            }
        return None
    if plan.status == Plan.Status.FILED:
        return _("The city has not acknowledged this plan yet; a roster follows acknowledgment.")
    return _(
        "This plan was not filed or was refused, returned or withdrawn (status: %(status)s); "
        "its training is not recognised and no roster can be reported."
    ) % {"status": plan.get_status_display()}


@dataclass
class RosterCheck:
    """What a check of an upload found. `upload` is set when nothing is wrong."""

    problems: list[RowProblem] = field(default_factory=list)
    header: dict[str, str] = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    blank_lines: int = 0
    new_people: int = 0
    already: int = 0
    new_units: list[str] = field(default_factory=list)
    upload: RosterUpload | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def passed(self) -> int:
        return sum(1 for line in self.lines if line.passed)


@dataclass
class _Known:
    people: dict[str, tuple[int, str]]  # id hash -> (person pk, name)
    on_roster: set[int]  # person pks already on the plan's roster
    units: dict[str, int]  # unit name -> pk


def _hashes(lines: Sequence[Line]) -> list[str]:
    return [crypto.keyed_hash(line.id_number) for line in lines]


def _known(plan: Plan, lines: Sequence[Line], hashes: Sequence[str]) -> _Known:
    people = {
        digest: (pk, name)
        for digest, pk, name in values_in(
            Person, "id_number_hash", list(dict.fromkeys(hashes)), ("id_number_hash", "id", "name")
        )
    }
    on_roster = set(plan.roster.values_list("person_id", flat=True))
    units: dict[str, int] = {}
    names = {line.unit for line in lines}
    # Two jurisdictions may have a unit of one name; the oldest (lowest id) is taken.
    for pk, name in Unit.objects.filter(name__in=names).order_by("-pk").values_list("pk", "name"):
        units[name] = pk
    return _Known(people=people, on_roster=on_roster, units=units)


def _check_known(lines: Sequence[Line], hashes: Sequence[str], known: _Known) -> list[RowProblem]:
    problems = []
    for line, digest in zip(lines, hashes, strict=True):
        person = known.people.get(digest)
        # The registered name is not shown: a base must not learn names from ID numbers.
        if person is not None and not cleaning.same_name(person[1], line.name):
            problems.append(
                RowProblem(
                    line.row,
                    "姓名",
                    _(
                        "The name %(name)s does not match the name registered for this ID "
                        "number; check both against the trainee's ID card."
                    )
                    % {"name": line.name},
                )
            )
    return problems


def _read(plan: Plan, data: bytes, filename: str, today: dt.date) -> RosterCheck:
    check = RosterCheck()
    refusal = roster_refusal(plan=plan, today=today)
    if refusal:
        check.problems.append(RowProblem(FILE, "", refusal))
        return check
    # The one workflow's reader and heading row (hefei_cpe.uploads), then the form's rows.
    intake = Intake(SCHEMA)
    try:
        intake.read(data=data, filename=filename)
    except Refused:
        check.problems.extend(intake.problems)
        return check
    parsed = parse_sheet(intake, planned_hours=plan.planned_hours, today=today)
    intake.sheet = None  # the rows are in `parsed` now; let the sheet go
    check.header, check.lines, check.blank_lines = parsed.header, parsed.lines, parsed.blank_lines
    check.problems.extend([*intake.problems, *parsed.problems])
    if len(parsed.lines) + len(parsed.problems) > settings.FILINGS_ROSTER_MAX_ROWS:
        check.problems = [
            RowProblem(
                FILE,
                "",
                _("The file has more than %(max)d rows; split it into several files.")
                % {"max": settings.FILINGS_ROSTER_MAX_ROWS},
            )
        ]
    return check


def _compare_header(plan: Plan, check: RosterCheck) -> None:
    written = check.header.get("organiser", "")
    if written and written.replace(" ", "") != plan.organiser.name.replace(" ", ""):
        check.warnings.append(
            _("The form says 填报单位 %(written)s; it is recorded for %(organiser)s.")
            % {"written": written, "organiser": plan.organiser.name}
        )
    topic = check.header.get("topic", "")
    if topic and topic.replace(" ", "") != plan.title.replace(" ", ""):
        check.warnings.append(
            _("The form says 培训主题 %(written)s; it is recorded for the plan %(title)s.")
            % {"written": topic, "title": plan.title}
        )


def roster_check(
    *,
    plan: Plan,
    user: User,
    data: bytes,
    filename: str,
    today: dt.date | None = None,
) -> RosterCheck:
    """Reads and checks a whole roster file. With no problem, keeps it (encrypted) as a
    `RosterUpload` awaiting confirmation; with problems, writes nothing and lists them all."""
    require(may_report_roster(user.scope, plan))
    today = _today(today)
    check = _read(plan, data, filename, today)
    if not check.lines:
        check.problems.sort(key=problem_order)
        return check
    hashes = _hashes(check.lines)
    known = _known(plan, check.lines, hashes)
    check.problems.extend(_check_known(check.lines, hashes, known))
    check.problems.sort(key=problem_order)
    if check.problems:
        return check
    _compare_header(plan, check)
    for digest in hashes:
        person = known.people.get(digest)
        if person is None:
            check.new_people += 1
        elif person[0] in known.on_roster:
            check.already += 1
    check.new_units = sorted(
        {
            line.unit
            for line, digest in zip(check.lines, hashes, strict=True)
            if digest not in known.people and line.unit not in known.units
        }
    )
    payload = json.dumps([line.as_json() for line in check.lines], ensure_ascii=False)
    with transaction.atomic():
        # An earlier unconfirmed check of the same plan is superseded by this one.
        RosterUpload.objects.filter(plan=plan, status=RosterUpload.Status.CHECKED).update(
            status=RosterUpload.Status.DISCARDED, payload=""
        )
        check.upload = RosterUpload.objects.create(
            plan=plan,
            uploaded_by=user,
            filename=filename[:200],
            sha256=hashlib.sha256(data).hexdigest(),
            row_count=len(check.lines),
            passed_count=check.passed,
            header=check.header,
            summary={
                "new_people": check.new_people,
                "already": check.already,
                "new_units": check.new_units,
                "warnings": check.warnings,
                "blank_lines": check.blank_lines,
            },
            payload=crypto.encrypt(payload),
        )
    return check


def upload_lines(*, upload: RosterUpload) -> list[Line]:
    if not upload.payload:
        return []
    return [Line.from_json(item) for item in json.loads(crypto.decrypt(upload.payload))]


def unplaced_jurisdiction() -> Jurisdiction:
    """Where units first met on a roster wait for the city to place them. Only the city sees
    people there: no district officer is assigned to it."""
    jurisdiction, _created = Jurisdiction.objects.get_or_create(
        code=UNPLACED_CODE,
        defaults={
            "name": "待市人社局确定辖区",
            "kind": Jurisdiction.Kind.UNPLACED,
            "sort_order": 999,
        },
    )
    return jurisdiction


@dataclass
class RosterResult:
    upload: RosterUpload
    credited: int
    already: int
    created_people: int
    created_units: int


@transaction.atomic
def roster_confirm(
    *,
    upload: RosterUpload,
    user: User,
    today: dt.date | None = None,
) -> RosterResult:
    """Writes a checked roster: new units (awaiting placement), new people, the roster rows
    and one ledger entry per qualified trainee, all in this transaction or none of it.

    People already on the plan's roster are left as they are (and never credited twice: the
    ledger's source key is the plan and the person). The ledger is written by the ledger's own
    `entries_record`, in one call for the whole roster."""
    require(may_report_roster(user.scope, upload.plan))
    # One confirmation of a plan at a time; the second waits and then sees the first's rows.
    plan = Plan.objects.select_for_update().select_related("organiser").get(pk=upload.plan_id)
    upload = RosterUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.status != RosterUpload.Status.CHECKED:
        raise ValidationError(
            _("This upload is no longer awaiting confirmation; upload the file again.")
        )
    refusal = roster_refusal(plan=plan, today=today)
    if refusal:
        raise ValidationError(refusal)
    lines = upload_lines(upload=upload)
    hashes = _hashes(lines)
    known = _known(plan, lines, hashes)
    problems = _check_known(lines, hashes, known)
    problems += [
        RowProblem(line.row, "培训学时", _("More hours than the filed plan."))
        for line in lines
        if line.hours is not None and line.hours > plan.planned_hours
    ]
    if problems:
        raise ValidationError([f"第 {p.row} 行：{p.message}" for p in problems])

    # Units first met here are registered and wait for the city to place them.
    missing_units = sorted(
        {line.unit for line, d in zip(lines, hashes, strict=True) if d not in known.people}
        - set(known.units)
    )
    if missing_units:
        unplaced = unplaced_jurisdiction()
        # Another roster may register the same new unit at the same moment: share it.
        Unit.objects.bulk_create(
            [Unit(name=name, jurisdiction=unplaced) for name in missing_units],
            ignore_conflicts=True,
        )
        known.units.update(
            Unit.objects.filter(jurisdiction=unplaced, name__in=missing_units).values_list(
                "name", "pk"
            )
        )
    # People first met here are registered with the unit and title the base reported.
    now = timezone.now()
    new_people: dict[str, tuple[Any, ...]] = {}
    for line, digest in zip(lines, hashes, strict=True):
        if digest in known.people or digest in new_people:
            continue
        resident_id = idnumber.parse(line.id_number)
        new_people[digest] = (
            line.name,
            crypto.encrypt(resident_id.number),
            digest,
            resident_id.masked,
            resident_id.gender,
            resident_id.birth_date,
            known.units[line.unit],
            plan.industry_id,
            line.title,
            "",
            now,
            now,
        )
    if new_people:
        insert_rows(Person, PERSON_FIELDS, new_people.values())
        for digest, pk, name in values_in(
            Person, "id_number_hash", list(new_people), ("id_number_hash", "id", "name")
        ):
            known.people[digest] = (pk, name)

    rows: list[tuple[Any, ...]] = []
    drafts: list[EntryDraft] = []
    already = 0
    label = f"{plan.organiser.name}：{plan.title}"[:200]
    kind = roster_entry_kind(plan)
    number = plan.roster.count()
    for line, digest in zip(lines, hashes, strict=True):
        person_id = known.people[digest][0]
        if person_id in known.on_roster:
            already += 1
            continue
        number += 1
        passed = line.passed
        rows.append(
            (
                plan.pk,
                upload.pk,
                person_id,
                number,
                line.name,
                line.unit,
                line.title,
                line.hours,
                line.result,
                line.remark,
                passed,
            )
        )
        if passed and line.hours is not None:
            drafts.append(
                EntryDraft(
                    person_id=person_id,
                    year=plan.end_date.year,
                    kind=kind,
                    params={"hours": float(line.hours)},
                    source=Source.ROSTER,
                    source_key=f"plan:{plan.pk}:person:{person_id}",
                    title=plan.title,
                    source_label=label,
                    occurred_on=plan.end_date,
                )
            )
    insert_rows(RosterRow, ROSTER_ROW_FIELDS, rows)
    created = entries_record(drafts=drafts, reviewer=Reviewer.of(user)) if drafts else 0
    upload.status = RosterUpload.Status.CONFIRMED
    upload.confirmed_at = timezone.now()
    upload.payload = ""
    upload.credited_count = created
    upload.already_count = already
    upload.created_people = len(new_people)
    upload.created_units = len(missing_units)
    upload.save()
    return RosterResult(
        upload=upload,
        credited=created,
        already=already,
        created_people=len(new_people),
        created_units=len(missing_units),
    )


def roster_import(
    *, plan: Plan, user: User, data: bytes, filename: str, today: dt.date | None = None
) -> tuple[RosterCheck, RosterResult | None]:
    """Check and confirm in one go (commands, the benchmark)."""
    check = roster_check(plan=plan, user=user, data=data, filename=filename, today=today)
    if check.upload is None:
        return check, None
    return check, roster_confirm(upload=check.upload, user=user, today=today)


@transaction.atomic
def roster_export(*, plan: Plan, user: User, ip_address: str | None = None) -> bytes:
    """The plan's roster as the Attachment 2 form. It carries every trainee's full ID number,
    so each one is written to the ID-number access log (one row per trainee, same transaction)."""
    rows = list(plan.roster.select_related("person").order_by("number", "id"))
    contact = plan.filed_by.full_name if plan.filed_by_id else ""
    content = roster_workbook(plan=plan, rows=rows, contact=contact)
    id_numbers_shown_record(
        user=user,
        rows=plan.roster.all(),
        person_field="person_id",
        purpose=IdNumberAccess.Purpose.ROSTER_EXPORT,
        detail=_("Roster of plan %(pk)d: %(title)s") % {"pk": plan.pk, "title": plan.title},
        ip_address=ip_address,
    )
    return content
