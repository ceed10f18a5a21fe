"""The Attachment 2 form (继续教育合格人员简明情况汇总表) as clerks really fill it in.

A header block (填报单位, 填表时间, 培训主题, 培训时间; labels with or without spaces between
the characters, value in the same cell after a colon or in the next cell), the column row
(序号, 姓名, 单位, 身份证号码, 技术职称, 培训学时, 考试结果, 备注), then one row per trainee, with
blank lines, pre-numbered empty lines, cells merged down a column (one unit for several people),
full-width characters and stray spaces; a footer (联系人, 联系电话). This module turns such a
sheet into clean lines and every problem it can see without the database. The sheet comes from
the project's one reader (`hefei_cpe.sheets`), its cells go through the one cleaner
(`hefei_cpe.cleaning`), its problems are the workflow's `RowProblem`s (`hefei_cpe.uploads`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.people import idnumber
from hefei_cpe import cleaning
from hefei_cpe.cleaning import compact
from hefei_cpe.cleaning import text as clean
from hefei_cpe.sheets import Limits, Sheet
from hefei_cpe.uploads import Column, Intake, Refused, RowProblem, Schema

FORM_TITLE = "继续教育合格人员简明情况汇总表"
NUMBER, NAME, UNIT, ID_NUMBER, TITLE, HOURS, RESULT, REMARK = (
    "序号",
    "姓名",
    "单位",
    "身份证号码",
    "技术职称",
    "培训学时",
    "考试结果",
    "备注",
)
COLUMNS = (NUMBER, NAME, UNIT, ID_NUMBER, TITLE, HOURS, RESULT, REMARK)
REQUIRED = (NAME, UNIT, ID_NUMBER, TITLE, HOURS, RESULT)
# Header labels of the form, and what we call them.
HEADER_LABELS = {
    "填报单位": "organiser",
    "填表时间": "filled_on",
    "培训主题": "topic",
    "培训时间": "period",
    "联系人": "contact",
    "联系电话": "phone",
}
FOOTER = ("联系人", "联系电话", "填表人", "审核人")
# Exam results as the form has them: only 合格 earns hours.
RESULTS = {"合格": True, "通过": True, "不合格": False, "未通过": False, "缺考": False}
HEADER_SCAN_ROWS = 30
LIMITS = {NAME: 50, UNIT: 100, TITLE: 50, REMARK: 200}

SCHEMA = Schema(
    columns=tuple(Column(c, required=c in REQUIRED) for c in COLUMNS),
    limits=lambda: Limits(
        max_bytes=settings.FILINGS_ROSTER_MAX_BYTES, max_rows=settings.FILINGS_ROSTER_MAX_ROWS
    ),
    key_columns=(NAME, ID_NUMBER),
    header_scan_rows=HEADER_SCAN_ROWS,
    template_hint=gettext_lazy("use the Attachment 2 form."),
)
HOURS_SUFFIXES = ("学时", "小时", "课时", "h")


@dataclass
class Line:
    """One trainee row of the form, cleaned."""

    row: int
    name: str
    unit: str
    id_number: str
    title: str
    hours: Decimal | None
    result: str
    remark: str

    @property
    def passed(self) -> bool:
        return RESULTS.get(self.result, False)

    def as_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "name": self.name,
            "unit": self.unit,
            "id": self.id_number,
            "title": self.title,
            "hours": None if self.hours is None else str(self.hours),
            "result": self.result,
            "remark": self.remark,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Line:
        return cls(
            row=data["row"],
            name=data["name"],
            unit=data["unit"],
            id_number=data["id"],
            title=data["title"],
            hours=None if data["hours"] is None else Decimal(data["hours"]),
            result=data["result"],
            remark=data["remark"],
        )


@dataclass
class Parsed:
    header: dict[str, str] = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    blank_lines: int = 0


def _header_value(cells: list[str], index: int, label: str) -> str:
    text = cells[index]
    rest = text[len(label) :].lstrip(":").strip()
    if rest:
        return rest
    for later in cells[index + 1 :]:
        if later and compact(later) not in HEADER_LABELS:
            return later
    return ""


def _read_labels(cells: tuple[Any, ...], header: dict[str, str]) -> None:
    texts = [clean(c) for c in cells]
    compacts = [compact(t) for t in texts]
    for index, text in enumerate(compacts):
        for label, key in HEADER_LABELS.items():
            if text.startswith(label) and key not in header:
                header[key] = _header_value(compacts, index, label)
                # keep the spacing of the value as typed (a topic has words)
                if text == label:
                    for later in texts[index + 1 :]:
                        if later and compact(later) not in HEADER_LABELS:
                            header[key] = later
                            break


def _merged_by_row(
    sheet: Sheet, first_data_row: int
) -> tuple[dict[int, list[int]], dict[int, list[tuple[int, tuple[int, int]]]]]:
    """Vertical merges in the data area: per row, the columns whose value a merge starts with,
    and the (column, top-left) of each cell a merge covers."""
    tops: dict[int, list[int]] = {}
    covered: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for r1, c1, r2, c2 in sheet.merged:
        if r2 <= r1 or r2 < first_data_row:
            continue
        tops.setdefault(r1, []).append(c1)
        for r in range(max(r1 + 1, first_data_row), r2 + 1):
            for c in range(c1, c2 + 1):
                covered.setdefault(r, []).append((c, (r1, c1)))
    return tops, covered


def _hours(raw: Any) -> Decimal | str | None:
    """Decimal hours, None when empty, or an error message."""
    try:
        hours = cleaning.decimal(raw, suffixes=HOURS_SUFFIXES)
    except cleaning.CellError:
        return _("“%(value)s” is not a number of hours.") % {"value": clean(raw)}
    if hours is None:
        return None
    if hours <= 0:
        return _("The hours must be more than 0.")
    if hours != hours.quantize(Decimal("0.1")):
        return _("Hours have at most one decimal place (e.g. 17.5).")
    return hours.quantize(Decimal("0.1"))


def parse_sheet(intake: Intake, *, planned_hours: Decimal, today: dt.date) -> Parsed:
    """The header block, the clean lines and every problem found without the database, from a
    sheet `intake` has read: the workflow's heading row (`Intake.find_header`, the form's title
    block read on the way), then this form's own rows (merged cells, pre-numbered empty
    lines, the footer). The workflow's problems (the file's, the heading row's) are in
    `intake.problems`; the rows' are in the result."""
    parsed = Parsed()
    problems = parsed.problems
    assert intake.sheet is not None
    sheet = intake.sheet
    try:
        header = intake.find_header(above=lambda cells: _read_labels(cells, parsed.header))
    except Refused:
        return parsed
    header_row, columns, position = header.row, header.columns, header.position
    rows = sheet.rows

    tops, covered = _merged_by_row(sheet, header_row + 1)
    merged_values: dict[tuple[int, int], Any] = {}
    seen: dict[str, int] = {}
    in_footer = False
    previous = header_row
    for number, cells in rows[position + 1 :]:
        if not in_footer:
            parsed.blank_lines += max(number - previous - 1, 0)  # rows the file leaves out
        previous = number
        cells_list = list(cells)
        for column in tops.get(number, ()):
            if column <= len(cells_list):
                merged_values[(number, column)] = cells_list[column - 1]
        for column, origin in covered.get(number, ()):
            if column > len(cells_list):
                cells_list.extend([None] * (column - len(cells_list)))
            if cells_list[column - 1] in (None, ""):
                cells_list[column - 1] = merged_values.get(origin)
        raw = {col: cells_list[i] if i < len(cells_list) else None for col, i in columns.items()}
        values = {col: clean(value) for col, value in raw.items()}
        first = next((compact(c) for c in cells_list if clean(c)), "")
        if in_footer or first.startswith(FOOTER):
            in_footer = True
            _read_labels(cells, parsed.header)
            continue
        if not any(v for col, v in values.items() if col != NUMBER):
            parsed.blank_lines += 1
            continue  # a blank line, or a pre-numbered empty line of the form
        line = _check_line(number, raw, values, planned_hours, today, seen, problems)
        if line is not None:
            parsed.lines.append(line)
    if not parsed.lines and not problems:
        problems.append(RowProblem(0, "", _("The form lists nobody under the column row.")))
    return parsed


def _check_line(
    number: int,
    raw: dict[str, Any],
    values: dict[str, str],
    planned_hours: Decimal,
    today: dt.date,
    seen: dict[str, int],
    problems: list[RowProblem],
) -> Line | None:
    before = len(problems)

    def problem(column: str, message: str) -> None:
        problems.append(RowProblem(number, column, message))

    name = cleaning.name(raw.get(NAME))
    if not name:
        problem(NAME, _("The name is empty."))
    resident_id = None
    try:
        resident_id = idnumber.parse(cleaning.id_number_text(raw.get(ID_NUMBER)), today=today)
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
        else:
            seen[resident_id.number] = number
    unit = values.get(UNIT, "")
    if not unit:
        problem(UNIT, _("The unit is empty."))
    result = compact(values.get(RESULT, ""))
    if result not in RESULTS:
        if result:
            problem(
                RESULT,
                _("“%(value)s” is not an exam result; write 合格 or 不合格.") % {"value": result},
            )
        else:
            problem(RESULT, _("The exam result is empty; write 合格 or 不合格."))
    hours = _hours(raw.get(HOURS))
    if isinstance(hours, str):
        problem(HOURS, hours)
        hours = None
    elif hours is None:
        if RESULTS.get(result):
            problem(HOURS, _("A qualified trainee needs the training hours."))
    elif hours > planned_hours:
        problem(
            HOURS,
            _("%(hours)s hours is more than the %(planned)s hours of the filed plan.")
            % {"hours": hours, "planned": planned_hours},
        )
    values[NAME] = name
    for column, limit in LIMITS.items():
        if len(values.get(column, "")) > limit:
            problem(
                column,
                _("At most %(limit)d characters (this one has %(count)d).")
                % {"limit": limit, "count": len(values[column])},
            )
    if len(problems) > before or resident_id is None:
        return None
    return Line(
        row=number,
        name=name,
        unit=unit,
        id_number=resident_id.number,
        title=values.get(TITLE, ""),
        hours=hours if isinstance(hours, Decimal) else None,
        result=result,
        remark=values.get(REMARK, ""),
    )


problem_order = SCHEMA.order
