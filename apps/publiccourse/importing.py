"""Reading and checking a sheet of public-course exam results, as the provincial platform
exports it (身份证号码, 姓名, 专题, 考试结果), possibly under title rows, with full-width
characters, stray spaces and ID numbers that Excel turned into numbers.

`results_check` reads the whole file and returns every problem by Excel row and column, in
Chinese, or a plan: which person passed or failed which topic, and what importing it would do
given the results already recorded. Nothing is written here; see `services.py`.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.people import crypto, idnumber
from apps.people.importing import registered_elsewhere_message
from apps.people.models import Person
from apps.people.selectors import people_visible_to
from apps.publiccourse.models import PublicResult, PublicTopic, topic_key
from hefei_cpe import cleaning
from hefei_cpe.sheets import Limits
from hefei_cpe.uploads import Column, Intake, Refused, RowProblem, Schema
from hefei_cpe.xlsx import XlsxWriter

ID_NUMBER, NAME, TOPIC, RESULT = "身份证号码", "姓名", "专题", "考试结果"
COLUMNS = (ID_NUMBER, NAME, TOPIC, RESULT)
# The headings each column goes by in the sheets people actually send.
HEADINGS = {
    ID_NUMBER: ("身份证号码", "身份证号", "公民身份号码", "证件号码", "身份证"),
    NAME: ("姓名", "学员姓名"),
    TOPIC: ("专题", "专题名称", "课程", "课程名称", "课题", "科目", "公需课专题"),
    RESULT: ("考试结果", "结果", "考核结果", "是否合格", "考试情况"),
}
SCHEMA = Schema(
    columns=tuple(Column(column, names[1:], required=True) for column, names in HEADINGS.items()),
    limits=lambda: Limits(
        max_bytes=settings.PUBLIC_COURSE_IMPORT_MAX_BYTES,
        max_rows=settings.PUBLIC_COURSE_IMPORT_MAX_ROWS,
    ),
    key_columns=(ID_NUMBER, NAME),
)
PASSED_WORDS = ("合格", "通过", "是", "pass", "passed")
# 缺考 (absent from the exam) counts as not passed, as the provincial platform exports it.
FAILED_WORDS = ("不合格", "未通过", "否", "缺考", "缺席", "fail", "failed")
RESULT_WORDS = {
    **dict.fromkeys(PASSED_WORDS, True),
    **dict.fromkeys(FAILED_WORDS, False),
}
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


def _check_row(
    number: int,
    cells: dict[str, Any],
    topics: dict[str, PublicTopic],
    year: int,
    seen: dict[tuple[str, int], int],
    intake: Intake,
) -> _Candidate | None:
    before = len(intake.problems)

    def problem(column: str, message: str) -> None:
        intake.problem(number, column, message)

    resident_id = None
    try:
        resident_id = idnumber.parse(cleaning.id_number_text(cells[ID_NUMBER]))
    except cleaning.CellError as exc:
        problem(ID_NUMBER, exc.message)
    except ValidationError as exc:
        problem(ID_NUMBER, exc.messages[0])
    name = cleaning.name(cells[NAME])
    if not name:
        problem(NAME, _("The name is empty."))
    topic_text = cleaning.text(cells[TOPIC])
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
    result_text = cleaning.text(cells[RESULT])
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
    if len(intake.problems) > before or resident_id is None or topic is None or passed is None:
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
    *,
    year: int,
    file: IO[bytes] | None = None,
    data: bytes | None = None,
    filename: str,
    skip_unknown: bool = False,
    officer: User | None = None,
) -> ResultsCheck:
    """Every problem of the file, or the plan of what importing it would do. Writes nothing.
    With `officer`, nothing is said of a person outside the officer's scope."""
    check = ResultsCheck(year=year)
    intake = Intake(SCHEMA)
    candidates: list[_Candidate] = []
    try:
        intake.read(file=file, data=data, filename=filename)
        header = intake.find_header()
        topics = year_topics(year)
        if not topics:
            raise intake.refuse(
                0,
                _("No public course topics are entered for %(year)d; enter them first.")
                % {"year": year},
            )
        seen: dict[tuple[str, int], int] = {}
        for record in intake.records():
            candidate = _check_row(record.row, record.cells, topics, year, seen, intake)
            if candidate is not None:
                candidates.append(candidate)
        if not intake.rows:
            raise intake.refuse(header.row, _("The file has no result rows under the headings."))
    except Refused:
        check.rows = intake.rows
        check.problems = intake.problems[-1:]
        return check
    check.rows = intake.rows
    check.problems = intake.problems

    # Who is registered: one query per chunk of ID numbers, by their keyed hashes.
    by_hash = {crypto.keyed_hash(c.number): c for c in candidates}
    people: dict[str, tuple[int, str]] = {}
    visible: set[str] = set()
    hashes = list(by_hash)
    for chunk in _chunks(hashes):
        for pk, digest, name in Person.objects.filter(id_number_hash__in=chunk).values_list(
            "pk", "id_number_hash", "name"
        ):
            people[digest] = (pk, name)
        if officer is not None:
            visible.update(
                people_visible_to(user=officer)
                .filter(id_number_hash__in=chunk)
                .values_list("id_number_hash", flat=True)
            )
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
        if not cleaning.same_name(known_name, candidate.name):
            in_scope = officer is None or crypto.keyed_hash(candidate.number) in visible
            check.problems.append(
                RowProblem(
                    candidate.row,
                    NAME,
                    _("This ID number is registered under the name %(known)s, not %(name)s.")
                    % {"known": known_name, "name": candidate.name}
                    if in_scope
                    else registered_elsewhere_message(),
                )
            )
            continue
        check.planned.append(PlannedRow(candidate.row, pk, candidate.topic.pk, candidate.passed))
    if check.problems:
        check.problems.sort(key=SCHEMA.order)
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
    check.warnings.sort(key=SCHEMA.order)
    return check


def import_template(*, year: int, topics: Sequence[PublicTopic]) -> bytes:
    """An empty sheet with the heading row and an example row, plus the year's topics."""
    writer = XlsxWriter(title=f"{year}年公需课考试结果", widths=(22, 10, 46, 10))
    writer.heading(list(COLUMNS))
    example = idnumber.compose("340104", dt.date(1988, 5, 17), 21)
    first = topics[0].title if topics else "（填写本年度专题名称）"
    writer.row([example, "张三", first, "合格"])
    # ID numbers as text, so Excel does not turn them into 15-digit numbers.
    writer.text_columns(1, rows=200)
    writer.add_sheet(f"{year}年专题", (46, 16))
    writer.heading(["专题", "考试结果可填"])
    for index, topic in enumerate(topics):
        writer.row([topic.title, "合格 / 不合格" if index == 0 else None])
    return writer.getvalue()
