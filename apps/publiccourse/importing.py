"""Reading and checking a sheet of public-course exam results, as the provincial platform
exports it (身份证号码, 姓名, 专题, 考试结果), possibly under title rows, with full-width
characters, stray spaces and ID numbers that Excel turned into numbers.

`results_check` reads the whole file and returns every problem by Excel row and column, in
Chinese, or a plan: which person passed or failed which topic, and what importing it would do
given the results already recorded. Nothing is written here; see `services.py`.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from itertools import islice
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from apps.people import crypto, idnumber
from apps.people.importing import RowProblem
from apps.people.models import Person
from apps.publiccourse.models import PublicResult, PublicTopic, topic_key

ID_NUMBER, NAME, TOPIC, RESULT = "身份证号码", "姓名", "专题", "考试结果"
COLUMNS = (ID_NUMBER, NAME, TOPIC, RESULT)
# The headings each column goes by in the sheets people actually send.
HEADINGS = {
    ID_NUMBER: ("身份证号码", "身份证号", "公民身份号码", "证件号码", "身份证"),
    NAME: ("姓名", "学员姓名"),
    TOPIC: ("专题", "专题名称", "课程", "课程名称", "课题", "科目", "公需课专题"),
    RESULT: ("考试结果", "结果", "考核结果", "是否合格", "考试情况"),
}
_HEADING_COLUMN = {heading: column for column, names in HEADINGS.items() for heading in names}
PASSED_WORDS = ("合格", "通过", "是", "pass", "passed")
FAILED_WORDS = ("不合格", "未通过", "否", "fail", "failed")
RESULT_WORDS = {
    **dict.fromkeys(PASSED_WORDS, True),
    **dict.fromkeys(FAILED_WORDS, False),
}
HEADER_SEARCH_ROWS = 10
LOOKUP_CHUNK = 2000


class Outcome(enum.StrEnum):
    """What importing one row does, given what is recorded already."""

    CREDIT = "credit"  # a first pass: 30 public hours
    CREDIT_AFTER_FAILURE = "credit_after_failure"  # passed after an earlier failure
    PASS_KNOWN = "pass_known"  # noqa: S105 - passed, and credited already
    FAIL_NEW = "fail_new"
    FAIL_KNOWN = "fail_known"
    FAIL_AFTER_PASS = "fail_after_pass"  # noqa: S105 - the pass stands; nothing changes
    UNKNOWN_SKIPPED = "unknown_skipped"  # not registered, skipped at the city's request


@dataclass(frozen=True)
class PlannedRow:
    row: int
    person_id: int
    topic_id: int
    passed: bool


@dataclass
class ResultsCheck:
    year: int
    rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    planned: list[PlannedRow] = field(default_factory=list)
    outcomes: Counter[Outcome] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        return not self.problems


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        value = value.isoformat()
    return " ".join(unicodedata.normalize("NFKC", str(value)).split())


def _heading(value: Any) -> str:
    text = cell_text(value).replace(" ", "").strip("*＊:：")
    return _HEADING_COLUMN.get(text, "")


def _rows_of_csv(data: bytes) -> Iterator[tuple[Any, ...]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return (tuple(row) for row in csv.reader(text.splitlines()))
    raise ValidationError(_("The CSV file is neither UTF-8 nor GB18030 text; save it again."))


def _rows_of_workbook(data: bytes) -> Iterator[tuple[Any, ...]]:
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError(
            _("The file cannot be read as an Excel workbook (.xlsx); save it as .xlsx and retry.")
        ) from None
    return sheet.iter_rows(values_only=True)


def read_rows(file: IO[bytes], filename: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The rows of the first sheet (or the CSV), numbered as Excel numbers them."""
    limit = settings.PUBLIC_COURSE_IMPORT_MAX_BYTES
    data = file.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("The file is larger than %(size)s; split it into several files.")
            % {"size": filesizeformat(limit)}
        )
    if not data:
        raise ValidationError(_("The file is empty."))
    lower = filename.lower()
    if lower.endswith(".xls"):
        raise ValidationError(
            _("Old Excel files (.xls) cannot be read; save the file as .xlsx and retry.")
        )
    rows = _rows_of_csv(data) if lower.endswith(".csv") else _rows_of_workbook(data)
    return enumerate(rows, start=1)


def _find_header(
    rows: Iterator[tuple[int, tuple[Any, ...]]],
) -> tuple[int, dict[str, int]] | None:
    for number, cells in islice(rows, HEADER_SEARCH_ROWS):
        columns: dict[str, int] = {}
        for index, cell in enumerate(cells):
            column = _heading(cell)
            if column and column not in columns:
                columns[column] = index
        if ID_NUMBER in columns and NAME in columns:
            return number, columns
    return None


def result_word(text: str) -> bool | None:
    """True for a pass, False for a failure, None for anything else."""
    return RESULT_WORDS.get(text.replace(" ", "").lower())


@dataclass(frozen=True)
class _Candidate:
    row: int
    number: str
    name: str
    topic: PublicTopic
    passed: bool


def _name_key(name: str) -> str:
    return name.replace(" ", "")


def _check_row(
    number: int,
    cells: Sequence[Any],
    columns: dict[str, int],
    topics: dict[str, PublicTopic],
    year: int,
    seen: dict[tuple[str, int], int],
    check: ResultsCheck,
) -> _Candidate | None:
    before = len(check.problems)

    def problem(column: str, message: str) -> None:
        check.problems.append(RowProblem(number, column, message))

    def raw(column: str) -> Any:
        index = columns[column]
        return cells[index] if index < len(cells) else None

    raw_id = raw(ID_NUMBER)
    resident_id = None
    if isinstance(raw_id, int | float) and not isinstance(raw_id, bool):
        # Excel keeps 15 significant digits of a number: the last digits of an 18-digit ID
        # number are lost, and what is left may even pass the check digit by chance.
        problem(
            ID_NUMBER,
            _(
                "Excel stored this ID number as a number, which keeps only 15 digits: "
                "format the column as text and enter the number again."
            ),
        )
    else:
        try:
            resident_id = idnumber.parse(cell_text(raw_id).replace(" ", ""))
        except ValidationError as exc:
            problem(ID_NUMBER, exc.messages[0])
    name = cell_text(raw(NAME))
    if not name:
        problem(NAME, _("The name is empty."))
    topic_text = cell_text(raw(TOPIC))
    topic = topics.get(topic_key(topic_text)) if topic_text else None
    if not topic_text:
        problem(TOPIC, _("The topic is empty."))
    elif topic is None:
        problem(
            TOPIC,
            _("“%(topic)s” is not a public course topic of %(year)d.")
            % {"topic": topic_text, "year": year},
        )
    elif not topic.is_active:
        problem(
            TOPIC,
            _("The topic “%(topic)s” is closed for imports.") % {"topic": topic.title},
        )
    result_text = cell_text(raw(RESULT))
    passed = result_word(result_text)
    if not result_text:
        problem(RESULT, _("The exam result is empty; write 合格 or 不合格."))
    elif passed is None:
        problem(
            RESULT,
            _("“%(value)s” is not an exam result; write 合格 or 不合格.") % {"value": result_text},
        )
    if resident_id is not None and topic is not None:
        key = (resident_id.number, topic.pk)
        if key in seen:
            problem(
                ID_NUMBER,
                _("The same person and topic are already on row %(row)d.") % {"row": seen[key]},
            )
        seen.setdefault(key, number)
    if len(check.problems) > before or resident_id is None or topic is None or passed is None:
        return None
    return _Candidate(number, resident_id.number, name, topic, passed)


def _chunks(items: Sequence[Any], size: int = LOOKUP_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def year_topics(year: int) -> dict[str, PublicTopic]:
    return {topic.key: topic for topic in PublicTopic.objects.filter(year=year)}


def classify(planned: Sequence[PlannedRow], recorded: dict[tuple[int, int], bool]) -> list[Outcome]:
    """What each row does given the results recorded as {(person, topic): passed}."""
    outcomes = []
    for row in planned:
        before = recorded.get((row.person_id, row.topic_id))
        if row.passed:
            if before is None:
                outcomes.append(Outcome.CREDIT)
            elif before:
                outcomes.append(Outcome.PASS_KNOWN)
            else:
                outcomes.append(Outcome.CREDIT_AFTER_FAILURE)
        elif before is None:
            outcomes.append(Outcome.FAIL_NEW)
        elif before:
            outcomes.append(Outcome.FAIL_AFTER_PASS)
        else:
            outcomes.append(Outcome.FAIL_KNOWN)
    return outcomes


def recorded_results(
    planned: Sequence[PlannedRow], *, for_update: bool = False
) -> dict[tuple[int, int], PublicResult]:
    topic_ids = sorted({row.topic_id for row in planned})
    person_ids = sorted({row.person_id for row in planned})
    found: dict[tuple[int, int], PublicResult] = {}
    for chunk in _chunks(person_ids):
        results = PublicResult.objects.filter(topic_id__in=topic_ids, person_id__in=chunk)
        if for_update:
            results = results.select_for_update()
        for result in results.only("pk", "person_id", "topic_id", "passed"):
            found[(result.person_id, result.topic_id)] = result
    return found


def results_check(
    *, year: int, file: IO[bytes], filename: str, skip_unknown: bool = False
) -> ResultsCheck:
    """Every problem of the file, or the plan of what importing it would do. Writes nothing."""
    check = ResultsCheck(year=year)

    def file_problem(row: int, message: str) -> ResultsCheck:
        check.problems.append(RowProblem(row, "", message))
        return check

    try:
        rows = read_rows(file, filename)
        header = _find_header(rows)
    except ValidationError as exc:
        return file_problem(0, exc.messages[0])
    if header is None:
        return file_problem(
            0,
            _("No heading row with 身份证号码 and 姓名 in the first ten rows; use the template."),
        )
    header_row, columns = header
    missing = [c for c in COLUMNS if c not in columns]
    if missing:
        return file_problem(
            header_row, _("Missing columns: %(columns)s.") % {"columns": "、".join(missing)}
        )
    topics = year_topics(year)
    if not topics:
        return file_problem(
            0,
            _("No public course topics are entered for %(year)d; enter them first.")
            % {"year": year},
        )

    max_rows = settings.PUBLIC_COURSE_IMPORT_MAX_ROWS
    candidates: list[_Candidate] = []
    seen: dict[tuple[str, int], int] = {}
    try:
        for number, cells in rows:
            if not any(cell_text(cell) for cell in cells):
                continue  # blank line
            check.rows += 1
            if check.rows > max_rows:
                return file_problem(
                    number, _("More than %(max)d rows; split the file.") % {"max": max_rows}
                )
            candidate = _check_row(number, cells, columns, topics, year, seen, check)
            if candidate is not None:
                candidates.append(candidate)
    except (csv.Error, ValueError, KeyError, OSError):
        return file_problem(0, _("The file is damaged and cannot be read to the end."))
    if not check.rows:
        return file_problem(header_row, _("The file has no result rows under the headings."))

    # Who is registered: one query per chunk of ID numbers, by their keyed hashes.
    by_hash = {crypto.keyed_hash(c.number): c for c in candidates}
    people: dict[str, tuple[int, str]] = {}
    hashes = list(by_hash)
    for chunk in _chunks(hashes):
        for pk, digest, name in Person.objects.filter(id_number_hash__in=chunk).values_list(
            "pk", "id_number_hash", "name"
        ):
            people[digest] = (pk, name)
    for candidate in candidates:
        found = people.get(crypto.keyed_hash(candidate.number))
        if found is None:
            where = {"number": idnumber.mask(candidate.number), "name": candidate.name}
            if skip_unknown:
                check.outcomes[Outcome.UNKNOWN_SKIPPED] += 1
                check.warnings.append(
                    RowProblem(
                        candidate.row,
                        ID_NUMBER,
                        _("%(name)s (%(number)s) is not registered in the portal; skipped.")
                        % where,
                    )
                )
            else:
                check.problems.append(
                    RowProblem(
                        candidate.row,
                        ID_NUMBER,
                        _(
                            "%(name)s (%(number)s) is not registered in the portal: register "
                            "the person with their unit first, or tick “skip people not "
                            "registered”."
                        )
                        % where,
                    )
                )
            continue
        pk, known_name = found
        if candidate.name and _name_key(known_name) != _name_key(candidate.name):
            check.problems.append(
                RowProblem(
                    candidate.row,
                    NAME,
                    _("This ID number is registered under the name %(known)s, not %(name)s.")
                    % {"known": known_name, "name": candidate.name},
                )
            )
            continue
        check.planned.append(PlannedRow(candidate.row, pk, candidate.topic.pk, candidate.passed))
    if check.problems:
        check.problems.sort(key=_problem_order)
        check.planned = []
        return check

    recorded = {key: r.passed for key, r in recorded_results(check.planned).items()}
    for row, outcome in zip(check.planned, classify(check.planned, recorded), strict=True):
        check.outcomes[outcome] += 1
        if outcome == Outcome.FAIL_AFTER_PASS:
            check.warnings.append(
                RowProblem(
                    row.row,
                    RESULT,
                    _("This person has already passed this topic; the pass stands."),
                )
            )
    check.warnings.sort(key=_problem_order)
    return check


def _problem_order(problem: RowProblem) -> tuple[int, int]:
    return problem.row, COLUMNS.index(problem.column) if problem.column in COLUMNS else -1


def import_template(*, year: int, topics: Sequence[PublicTopic]) -> bytes:
    """An empty sheet with the heading row and an example row, plus the year's topics."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"{year}年公需课考试结果"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    example = idnumber.compose("340104", dt.date(1988, 5, 17), 21)
    first = topics[0].title if topics else "（填写本年度专题名称）"
    sheet.append([example, "张三", first, "合格"])
    # ID numbers as text, so Excel does not turn them into 15-digit numbers.
    for row in sheet.iter_rows(min_row=2, max_row=200, max_col=1):
        for cell in row:
            cell.number_format = "@"
    for column, width in zip("ABCD", (22, 10, 46, 10), strict=True):
        sheet.column_dimensions[column].width = width
    listing = book.create_sheet(f"{year}年专题")
    listing.append(["专题", "考试结果可填"])
    listing["A1"].font = listing["B1"].font = Font(bold=True)
    for index, topic in enumerate(topics):
        listing.append([topic.title, "合格 / 不合格" if index == 0 else None])
    listing.column_dimensions["A"].width = 46
    listing.column_dimensions["B"].width = 16
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
