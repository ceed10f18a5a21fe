"""Bulk registration of professionals from an Excel sheet (or CSV), as a district clerk has them.

The upload goes through the project's one workflow (`hefei_cpe.uploads`): the one hardened
reader, the one cell cleaner, every problem by Excel row and column in Chinese. A file without a
single problem is kept, encrypted, as a `PersonImport` and previewed (who is new, who is
registered already); the officer's confirmation checks it again against the database and writes
it in one transaction, or nothing. A person already registered under the same name is left as
is, so uploading the same sheet twice changes nothing.

Nothing is said about a person outside the officer's jurisdiction: an ID number registered
there under another name is "registered elsewhere under another name; the city office can
help", never that person's name, unit or district.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.people import crypto, idnumber
from apps.people.models import Industry, Person, PersonImport
from apps.people.selectors import people_visible_to, units_visible_to
from hefei_cpe import cleaning
from hefei_cpe.sheets import Limits
from hefei_cpe.uploads import Column, Intake, Refused, RowProblem, Schema
from hefei_cpe.xlsx import XlsxWriter

# Column headings (the first row that holds both 姓名 and 身份证号码 is the heading row).
NAME, ID_NUMBER, UNIT = "姓名", "身份证号码", "单位"
TITLE, LEVEL, TITLE_YEAR, INDUSTRY, TRANSFERRED = (
    "技术职称",
    "职称级别",
    "取得现职称年份",
    "行业",
    "调入合肥年份",
)
COLUMNS = (NAME, ID_NUMBER, UNIT, TITLE, LEVEL, TITLE_YEAR, INDUSTRY, TRANSFERRED)
SCHEMA = Schema(
    columns=(
        Column(NAME, ("学员姓名",), required=True),
        Column(ID_NUMBER, ("身份证号", "公民身份号码", "证件号码"), required=True),
        Column(UNIT, ("单位名称", "工作单位"), required=True),
        Column(TITLE, ("职称", "职称名称")),
        Column(LEVEL),
        Column(TITLE_YEAR, ("取得职称年份",)),
        Column(INDUSTRY),
        Column(TRANSFERRED),
    ),
    limits=lambda: Limits(
        max_bytes=settings.PEOPLE_IMPORT_MAX_BYTES, max_rows=settings.PEOPLE_IMPORT_MAX_ROWS
    ),
    key_columns=(NAME, ID_NUMBER),
)
LEVELS = {
    "初级": Person.TitleLevel.JUNIOR,
    "中级": Person.TitleLevel.INTERMEDIATE,
    "副高": Person.TitleLevel.ASSOCIATE_SENIOR,
    "副高级": Person.TitleLevel.ASSOCIATE_SENIOR,
    "正高": Person.TitleLevel.SENIOR,
    "正高级": Person.TitleLevel.SENIOR,
}
NAME_LIMIT, TITLE_LIMIT = 50, 100


def registered_elsewhere_message() -> str:
    """What an officer hears of an ID number registered outside their jurisdiction under
    another name: nothing about that person."""
    return _(
        "This ID number is registered elsewhere under another name; check it against the ID "
        "card, or ask the city office (市人社局) for help."
    )


@dataclass(frozen=True)
class Draft:
    """One clean row, as kept (encrypted) between preview and confirmation."""

    row: int
    name: str
    id_number: str
    unit_id: int
    industry_id: int
    title: str
    title_level: str
    title_year: int | None
    transferred_in_year: int | None

    def person(self) -> Person:
        person = Person(
            name=self.name,
            unit_id=self.unit_id,
            industry_id=self.industry_id,
            title=self.title,
            title_level=self.title_level,
            title_year=self.title_year,
            transferred_in_year=self.transferred_in_year,
        )
        person.set_id_number(idnumber.parse(self.id_number))
        return person


@dataclass
class ImportReport:
    """What a check found; `upload` is set when nothing is wrong (then confirm it)."""

    rows: int = 0
    new: int = 0
    unchanged: int = 0
    created: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    upload: PersonImport | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


class _Lookups:
    def __init__(self, officer: User) -> None:
        self.units: dict[str, list[int]] = {}
        for pk, name in (
            units_visible_to(user=officer).filter(is_active=True).values_list("pk", "name")
        ):
            self.units.setdefault(cleaning.compact(name), []).append(pk)
        industries = list(Industry.objects.all())
        self.industries = {cleaning.compact(i.name): i.pk for i in industries}
        self.default_industry = next((i.pk for i in industries if i.code == "general"), None)


def _check_row(
    intake: Intake, row: int, cells: dict[str, Any], lookups: _Lookups, seen: dict[str, int]
) -> Draft | None:
    before = len(intake.problems)

    def problem(column: str, message: str) -> None:
        intake.problem(row, column, message)

    name = cleaning.name(cells.get(NAME))
    if not name:
        problem(NAME, _("The name is empty."))
    elif len(name) > NAME_LIMIT:
        problem(
            NAME,
            _("At most %(limit)d characters (this one has %(count)d).")
            % {"limit": NAME_LIMIT, "count": len(name)},
        )
    resident_id = None
    try:
        resident_id = idnumber.parse(cleaning.id_number_text(cells.get(ID_NUMBER)))
    except cleaning.CellError as exc:
        problem(ID_NUMBER, exc.message)
    except ValidationError as exc:
        problem(ID_NUMBER, exc.messages[0])
    if resident_id is not None:
        if resident_id.number in seen:
            problem(
                ID_NUMBER,
                _("The same ID number is already on row %(row)d.")
                % {"row": seen[resident_id.number]},
            )
        seen.setdefault(resident_id.number, row)
    unit_name = cleaning.text(cells.get(UNIT))
    matches = lookups.units.get(cleaning.compact(unit_name), [])
    if not unit_name:
        problem(UNIT, _("The unit is empty."))
    elif not matches:
        problem(
            UNIT,
            _("The unit “%(unit)s” is not registered in your jurisdiction; register it first.")
            % {"unit": unit_name},
        )
    elif len(matches) > 1:
        problem(
            UNIT,
            _("Several jurisdictions have a unit named “%(unit)s”; import per jurisdiction.")
            % {"unit": unit_name},
        )
    level_text = cleaning.compact(cells.get(LEVEL))
    level = LEVELS.get(level_text, "") if level_text else ""
    if level_text and not level:
        problem(
            LEVEL,
            _("“%(value)s” is not a title level; use 初级, 中级, 副高 or 正高.")
            % {"value": level_text},
        )
    title = cleaning.text(cells.get(TITLE))
    if level and not title:
        problem(TITLE, _("Give the title name for the chosen title level."))
    elif len(title) > TITLE_LIMIT:
        problem(
            TITLE,
            _("At most %(limit)d characters (this one has %(count)d).")
            % {"limit": TITLE_LIMIT, "count": len(title)},
        )
    industry_name = cleaning.compact(cells.get(INDUSTRY))
    industry = lookups.industries.get(industry_name) if industry_name else lookups.default_industry
    if industry is None:
        problem(INDUSTRY, _("“%(value)s” is not a known industry.") % {"value": industry_name})
    years = {}
    this_year = timezone.localdate().year
    for column in (TITLE_YEAR, TRANSFERRED):
        try:
            years[column] = cleaning.year(cells.get(column), earliest=1950, latest=this_year)
        except cleaning.CellError as exc:
            problem(column, exc.message)
    if len(intake.problems) > before or resident_id is None or industry is None:
        return None
    return Draft(
        row=row,
        name=name,
        id_number=resident_id.number,
        unit_id=matches[0],
        industry_id=industry,
        title=title,
        title_level=level,
        title_year=years.get(TITLE_YEAR),
        transferred_in_year=years.get(TRANSFERRED),
    )


@dataclass(frozen=True)
class _Registered:
    name: str
    visible: bool  # inside the officer's jurisdiction


def _registered(officer: User, drafts: Sequence[Draft]) -> dict[str, _Registered]:
    """Who is registered already, by ID hash: two queries for the whole file."""
    hashes = [crypto.keyed_hash(d.id_number) for d in drafts]
    found: dict[str, _Registered] = {}
    for start in range(0, len(hashes), 2000):
        chunk = hashes[start : start + 2000]
        rows = Person.objects.filter(id_number_hash__in=chunk).values_list("id_number_hash", "name")
        visible = set(
            people_visible_to(user=officer)
            .filter(id_number_hash__in=chunk)
            .values_list("id_number_hash", flat=True)
        )
        for digest, name in rows:
            found[digest] = _Registered(name, digest in visible)
    return found


def _compare(
    officer: User, drafts: Sequence[Draft]
) -> tuple[list[Draft], int, list[RowProblem], list[RowProblem]]:
    """The drafts to create, how many are registered already, and the problems and warnings
    of the rows whose ID number is registered."""
    registered = _registered(officer, drafts)
    new, unchanged, problems, warnings = [], 0, [], []
    for draft in drafts:
        known = registered.get(crypto.keyed_hash(draft.id_number))
        if known is None:
            new.append(draft)
        elif cleaning.same_name(known.name, draft.name):
            unchanged += 1
            if not known.visible:
                warnings.append(
                    RowProblem(
                        draft.row,
                        ID_NUMBER,
                        _(
                            "Already registered with a unit outside your jurisdiction; it is "
                            "left as it is (the city office can move the person)."
                        ),
                    )
                )
        elif known.visible:
            problems.append(
                RowProblem(
                    draft.row,
                    NAME,
                    _("This ID number is registered under the name %(known)s, not %(name)s.")
                    % {"known": known.name, "name": draft.name},
                )
            )
        else:
            problems.append(RowProblem(draft.row, NAME, registered_elsewhere_message()))
    return new, unchanged, problems, warnings


def people_import_check(
    *, officer: User, file: IO[bytes] | None = None, data: bytes | None = None, filename: str
) -> ImportReport:
    """Checks a whole sheet. Without a problem, keeps it (encrypted) as a `PersonImport`
    awaiting confirmation; with problems, writes nothing and lists them all."""
    report = ImportReport()
    intake = Intake(SCHEMA)
    drafts: list[Draft] = []
    try:
        intake.read(file=file, data=data, filename=filename)
        intake.find_header()
        lookups = _Lookups(officer)
        seen: dict[str, int] = {}
        for record in intake.records():
            draft = _check_row(intake, record.row, record.cells, lookups, seen)
            if draft is not None:
                drafts.append(draft)
    except Refused:
        report.problems = intake.problems[-1:]
        return report
    report.rows = intake.rows
    if not intake.rows:
        intake.problem(
            intake.header.row if intake.header else 0,
            "",
            _("The file lists nobody under the heading row."),
        )
    new, unchanged, problems, warnings = _compare(officer, drafts)
    report.problems = [*intake.problems, *problems]
    report.problems.sort(key=SCHEMA.order)
    if report.problems:
        return report
    report.new, report.unchanged = len(new), unchanged
    report.warnings = sorted(warnings, key=SCHEMA.order)
    payload = json.dumps([asdict(d) for d in drafts], ensure_ascii=False)
    with transaction.atomic():
        # An earlier unconfirmed check of the same officer is superseded by this one.
        PersonImport.objects.filter(officer=officer, status=PersonImport.Status.CHECKED).update(
            status=PersonImport.Status.DISCARDED, payload=""
        )
        report.upload = PersonImport.objects.create(
            officer=officer,
            filename=filename[-200:],
            sha256=intake.sha256,
            row_count=intake.rows,
            new_count=report.new,
            unchanged_count=report.unchanged,
            warnings=[[w.row, w.column, w.message] for w in report.warnings],
            payload=crypto.encrypt(payload),
        )
    return report


def import_drafts(upload: PersonImport) -> list[Draft]:
    if not upload.payload:
        return []
    return [Draft(**item) for item in json.loads(crypto.decrypt(upload.payload))]


def import_warnings(upload: PersonImport) -> list[RowProblem]:
    return [RowProblem(*item) for item in upload.warnings]


@transaction.atomic
def people_import_confirm(*, upload: PersonImport, officer: User) -> PersonImport:
    """Writes a checked import: the new people, all of them or none. Rows registered since the
    preview under the same name are left as they are; under another name, nothing is written."""
    upload = PersonImport.objects.select_for_update().get(pk=upload.pk)
    if upload.officer_id != officer.pk:
        raise ValidationError(_("Only the officer who uploaded the file confirms it."))
    if upload.status != PersonImport.Status.CHECKED:
        raise ValidationError(
            _("This upload is no longer awaiting confirmation; upload the file again.")
        )
    drafts = import_drafts(upload)
    visible_units = set(
        units_visible_to(user=officer).filter(is_active=True).values_list("pk", flat=True)
    )
    if any(d.unit_id not in visible_units for d in drafts):
        raise ValidationError(
            _("A unit of this file was changed since the check; upload it again.")
        )
    new, unchanged, problems, _warnings = _compare(officer, drafts)
    if problems:
        raise ValidationError([f"第 {p.row} 行：{p.message}" for p in problems])
    Person.objects.bulk_create([d.person() for d in new], batch_size=1000)
    upload.status = PersonImport.Status.CONFIRMED
    upload.confirmed_at = timezone.now()
    upload.created_count = len(new)
    upload.unchanged_count = unchanged
    upload.payload = ""
    upload.save()
    return upload


def people_import_discard(*, upload: PersonImport) -> None:
    PersonImport.objects.filter(pk=upload.pk, status=PersonImport.Status.CHECKED).update(
        status=PersonImport.Status.DISCARDED, payload=""
    )


def people_import(*, officer: User, file: IO[bytes], filename: str) -> ImportReport:
    """Check and confirm in one go (commands, the benchmark): all of the file, or nothing."""
    report = people_import_check(officer=officer, file=file, filename=filename)
    if report.upload is not None:
        upload = people_import_confirm(upload=report.upload, officer=officer)
        report.created, report.unchanged = upload.created_count, upload.unchanged_count
    return report


def import_template() -> bytes:
    """An empty sheet with the heading row and one example row, for officers to fill in."""
    example = idnumber.compose("340104", dt.date(1988, 5, 17), 21)
    writer = XlsxWriter(title="专业技术人员", widths=(10, 22, 30, 14, 10, 16, 12, 14))
    writer.heading(list(COLUMNS))
    writer.row(
        ["张三", example, "（填写已登记的单位全称）", "工程师", "中级", 2019, "工程技术", None]
    )
    writer.text_columns(2, rows=200)
    return writer.getvalue()
