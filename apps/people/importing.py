"""Bulk registration of professionals from an Excel sheet (or CSV), as a district clerk has them.

The whole file is read and checked first; only a file without a single problem is written, in
one transaction. Every problem names its Excel row and column, in Chinese. A person already
registered under the same name is left as is, so uploading the same sheet twice changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from io import BytesIO
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from apps.accounts.models import User
from apps.people import idnumber
from apps.people.models import Industry, Person, Unit
from apps.people.selectors import units_visible_to

MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024

# Column headings (the first row that holds both 姓名 and 身份证号码 is the heading row).
NAME, ID_NUMBER, UNIT = "姓名", "身份证号码", "单位"
TITLE, LEVEL, TITLE_YEAR, INDUSTRY, TRANSFERRED = (
    "技术职称",
    "职称级别",
    "取得现职称年份",
    "行业",
    "调入合肥年份",
)
REQUIRED = (NAME, ID_NUMBER, UNIT)
COLUMNS = (NAME, ID_NUMBER, UNIT, TITLE, LEVEL, TITLE_YEAR, INDUSTRY, TRANSFERRED)
LEVELS = {
    "初级": Person.TitleLevel.JUNIOR,
    "中级": Person.TitleLevel.INTERMEDIATE,
    "副高": Person.TitleLevel.ASSOCIATE_SENIOR,
    "副高级": Person.TitleLevel.ASSOCIATE_SENIOR,
    "正高": Person.TitleLevel.SENIOR,
    "正高级": Person.TitleLevel.SENIOR,
}


@dataclass(frozen=True)
class RowProblem:
    row: int  # the Excel row number; 0 for the file as a whole
    column: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel keeps years (and careless ID numbers) as floats
    return " ".join(unicodedata.normalize("NFKC", str(value)).split())


def _read_rows(file: IO[bytes], filename: str) -> list[tuple[int, tuple[Any, ...]]]:
    data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB; split it into several files."))
    if filename.lower().endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("gb18030", errors="strict")
        return list(enumerate(csv.reader(text.splitlines()), start=1))  # type: ignore[arg-type]
    try:
        sheet = load_workbook(BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError(
            _("The file cannot be read as an Excel workbook (.xlsx); save it as .xlsx and retry.")
        ) from None
    return list(enumerate(sheet.iter_rows(values_only=True), start=1))


def _find_header(rows: list[tuple[int, tuple[Any, ...]]]) -> tuple[int, dict[str, int]] | None:
    for number, cells in rows[:10]:
        headings = [_text(cell).replace(" ", "") for cell in cells]
        if NAME in headings and ID_NUMBER in headings:
            return number, {h: i for i, h in enumerate(headings) if h in COLUMNS}
    return None


def _year(raw: str, column: str, row: int, problems: list[RowProblem]) -> int | None:
    if not raw:
        return None
    this_year = timezone.localdate().year
    if not raw.isdigit() or not 1950 <= int(raw) <= this_year:
        problems.append(
            RowProblem(
                row,
                column,
                _("“%(value)s” is not a year between 1950 and %(this)d.")
                % {"value": raw, "this": this_year},
            )
        )
        return None
    return int(raw)


def _check_row(
    number: int,
    values: dict[str, str],
    units: dict[str, list[Unit]],
    industries: dict[str, Industry],
    default_industry: Industry | None,
    seen: dict[str, int],
    problems: list[RowProblem],
) -> Person | None:
    """Every problem of one row, or the unsaved Person it describes."""
    before = len(problems)

    def problem(column: str, message: str) -> None:
        problems.append(RowProblem(number, column, message))

    name = values.get(NAME, "")
    if not name:
        problem(NAME, _("The name is empty."))
    resident_id = None
    try:
        resident_id = idnumber.parse(values.get(ID_NUMBER, ""))
    except ValidationError as exc:
        problem(ID_NUMBER, exc.messages[0])
    if resident_id is not None:
        if resident_id.number in seen:
            row = seen[resident_id.number]
            problem(ID_NUMBER, _("The same ID number is already on row %(row)d.") % {"row": row})
        seen.setdefault(resident_id.number, number)
    unit_name = values.get(UNIT, "")
    matches = units.get(unit_name, [])
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
    level_text = values.get(LEVEL, "")
    level = LEVELS.get(level_text, "") if level_text else ""
    if level_text and not level:
        problem(
            LEVEL,
            _("“%(value)s” is not a title level; use 初级, 中级, 副高 or 正高.")
            % {"value": level_text},
        )
    title = values.get(TITLE, "")
    if level and not title:
        problem(TITLE, _("Give the title name for the chosen title level."))
    industry_name = values.get(INDUSTRY, "")
    industry = industries.get(industry_name) if industry_name else default_industry
    if industry is None:
        problem(INDUSTRY, _("“%(value)s” is not a known industry.") % {"value": industry_name})
    title_year = _year(values.get(TITLE_YEAR, ""), TITLE_YEAR, number, problems)
    transferred = _year(values.get(TRANSFERRED, ""), TRANSFERRED, number, problems)
    if len(problems) > before or resident_id is None or industry is None:
        return None
    person = Person(
        name=name,
        unit=matches[0],
        industry=industry,
        title=title,
        title_level=level,
        title_year=title_year,
        transferred_in_year=transferred,
    )
    person.set_id_number(resident_id)
    return person


def people_import(*, officer: User, file: IO[bytes], filename: str) -> ImportReport:
    report = ImportReport()
    try:
        rows = _read_rows(file, filename)
    except ValidationError as exc:
        report.problems.append(RowProblem(0, "", exc.messages[0]))
        return report
    header = _find_header(rows)
    if header is None:
        report.problems.append(
            RowProblem(
                0,
                "",
                _(
                    "No heading row with 姓名 and 身份证号码 in the first ten rows; "
                    "use the template."
                ),
            )
        )
        return report
    header_row, columns = header
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        report.problems.append(
            RowProblem(
                header_row, "", _("Missing columns: %(columns)s.") % {"columns": "、".join(missing)}
            )
        )
        return report

    units: dict[str, list[Unit]] = {}
    for unit in units_visible_to(user=officer).filter(is_active=True).select_related(None):
        units.setdefault(unit.name, []).append(unit)
    all_industries = list(Industry.objects.all())
    industries = {i.name: i for i in all_industries}
    default_industry = next((i for i in all_industries if i.code == "general"), None)

    candidates: list[tuple[int, Person]] = []
    seen: dict[str, int] = {}
    for number, cells in rows[header_row:]:
        values = {c: _text(cells[i]) if i < len(cells) else "" for c, i in columns.items()}
        if not any(values.values()):
            continue  # blank line
        report.rows += 1
        if report.rows > MAX_ROWS:
            report.problems.append(
                RowProblem(
                    number, "", _("More than %(max)d rows; split the file.") % {"max": MAX_ROWS}
                )
            )
            return report
        person = _check_row(
            number, values, units, industries, default_industry, seen, report.problems
        )
        if person is not None:
            candidates.append((number, person))

    # Who is registered already: one query for the whole file.
    hashes = [person.id_number_hash for _, person in candidates]
    registered = dict(
        Person.objects.filter(id_number_hash__in=hashes).values_list("id_number_hash", "name")
    )
    new_people = []
    for number, person in candidates:
        known_name = registered.get(person.id_number_hash)
        if known_name is None:
            new_people.append(person)
        elif known_name == person.name:
            report.unchanged += 1
        else:
            message = _("This ID number is registered under the name %(known)s, not %(name)s.")
            report.problems.append(
                RowProblem(number, NAME, message % {"known": known_name, "name": person.name})
            )
    if report.problems:
        report.problems.sort(key=_problem_order)
        return report
    with transaction.atomic():
        Person.objects.bulk_create(new_people, batch_size=1000)
    report.created = len(new_people)
    return report


def _problem_order(problem: RowProblem) -> tuple[int, int]:
    return problem.row, COLUMNS.index(problem.column) if problem.column in COLUMNS else -1


def import_template() -> bytes:
    """An empty sheet with the heading row and one example row, for officers to fill in."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "专业技术人员"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    example = idnumber.compose("340104", dt.date(1988, 5, 17), 21)
    sheet.append(
        ["张三", example, "（填写已登记的单位全称）", "工程师", "中级", 2019, "工程技术", None]
    )
    for column, width in zip("ABCDEFGH", (10, 22, 30, 14, 10, 16, 12, 14), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
