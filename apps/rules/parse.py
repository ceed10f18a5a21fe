"""From plain JSON-like data to the engine's dataclasses, collecting every problem at once."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .model import (
    Activity,
    ActivityId,
    AidService,
    BaseTraining,
    Book,
    Case,
    CityAward,
    ComputerExam,
    ComputerTraining,
    Cycle,
    DegreeCourse,
    InventionPatent,
    KeyTeacher,
    LanguageExam,
    LanguageTraining,
    MedicalCredit,
    MinistryTraining,
    NationalConference,
    NewTechnology,
    OrganizedTraining,
    Paper,
    PaperBooklet,
    Params,
    Person,
    PrincipalTraining,
    ProvincialAward,
    ProvincialConference,
    PublicCourse,
    QualificationCert,
    ResearchProject,
    SelfStudy,
    Subject,
    TeacherTraining,
    UtilityPatent,
)
from .table import DEFAULT_TABLE, KINDS, RuleTable

# Sanity bounds so that hours stay exact in JSON numbers (far above any real claim).
MAX_AMOUNT = Decimal(1_000_000)  # hours, credits
MAX_COUNT = 1_000_000_000  # characters, courses, days, ranks


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: which activity (`id`, or its 1-based `index`), which
    field, a stable `code` and a Chinese `message` naming the field."""

    id: ActivityId | None
    field: str | None
    code: str
    message: str
    index: int | None = None


class InvalidCase(ValueError):
    """Raised by `parse_case` / `validate_activity` with every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("; ".join(p.message for p in self.problems))


class _Reader:
    """Reads typed fields out of one JSON object, recording a problem instead of raising."""

    def __init__(
        self,
        data: Mapping[str, object],
        problems: list[Problem],
        *,
        owner: ActivityId | None = None,
        index: int | None = None,
        prefix: str = "",
        noun: str = "参数",
    ) -> None:
        self.data = data
        self.problems = problems
        self.owner = owner
        self.index = index
        self.prefix = prefix
        self.noun = noun

    def problem(self, name: str, code: str, message: str) -> None:
        if self.owner is None and self.index is not None:
            message = f"第 {self.index} 项活动：{message}"
        self.problems.append(Problem(self.owner, self.prefix + name, code, message, self.index))

    def label(self, name: str) -> str:
        return f"{self.noun} {self.prefix}{name}"

    def _get(self, name: str) -> object:
        if name not in self.data or self.data[name] is None:
            self.problem(name, "missing", f"缺少{self.label(name)}")
            return None
        return self.data[name]

    def text(self, name: str) -> str:
        value = self._get(name)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
            self.problem(name, "type", f"{self.label(name)} 必须是非空字符串")
            return ""
        return str(value).strip()

    def optional_text(self, name: str) -> str | None:
        """An item's own number: absent, null or blank means none; otherwise text."""
        value = self.data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return self.text(name)

    def flag(self, name: str) -> bool:
        value = self._get(name)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.problem(name, "type", f"{self.label(name)} 必须是 true 或 false")
            return False
        return value

    def integer(self, name: str, low: int = 0, high: int = MAX_COUNT) -> int:
        value = self._get(name)
        if value is None:
            return low
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            if high == MAX_COUNT:
                message = f"{self.label(name)} 必须是不小于 {low} 的整数"
                if isinstance(value, int) and not isinstance(value, bool) and value > high:
                    message = f"{self.label(name)} 不能大于 {high}"
            else:
                message = f"{self.label(name)} 必须是 {low} 到 {high} 之间的整数"
            self.problem(name, "range" if isinstance(value, int) else "type", message)
            return low
        return value

    def amount(self, name: str) -> Decimal:
        value = self._get(name)
        if value is None:
            return Decimal(0)
        number = _to_decimal(value)
        if number is None:
            self.problem(name, "type", f"{self.label(name)} 必须是不小于 0 的数")
            return Decimal(0)
        if number < 0:
            self.problem(name, "range", f"{self.label(name)} 不能为负数")
            return Decimal(0)
        if number > MAX_AMOUNT:
            self.problem(name, "range", f"{self.label(name)} 不能大于 {MAX_AMOUNT}")
            return Decimal(0)
        return number

    def choice(self, name: str, allowed: Sequence[str]) -> str:
        value = self._get(name)
        if value is None:
            return ""
        if not isinstance(value, str) or value not in allowed:
            self.problem(name, "choice", f"{self.label(name)} 必须是以下之一：{'、'.join(allowed)}")
            return ""
        return value

    def year(self, name: str, table: RuleTable, *, required: bool = True) -> int | None:
        if not required and self.data.get(name) is None:
            return None
        value = self._get(name)
        if value is None:
            return None
        first, last = table.first_year, table.last_year
        if isinstance(value, bool) or not isinstance(value, int) or not first <= value <= last:
            message = f"{self.label(name)} 必须是 {first} 到 {last} 之间的整数年份"
            self.problem(name, "year", message)
            return None
        return value


def _to_decimal(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    return None


def _ranked(r: _Reader, name: str) -> int:
    return r.integer(name, low=1)


def _paper_chars(r: _Reader) -> int:
    return r.integer("paper_chars")


_Builder = Callable[[_Reader, RuleTable], Params]


def _research(r: _Reader, t: RuleTable) -> ResearchProject:
    level = r.choice("level", list(t.research_project))
    roles = sorted({role for by_role in t.research_project.values() for role in by_role})
    return ResearchProject(
        level=level,
        role=r.choice("role", roles),
        rank=_ranked(r, "rank"),
        project_no=r.optional_text("project_no"),
    )


def _key_teacher(r: _Reader, t: RuleTable) -> KeyTeacher:
    value = r.data.get("hours")
    hours = _to_decimal(value)
    if value is None:
        r.problem("hours", "missing", "缺少参数 hours")
    elif hours is None or hours not in t.key_teacher_hours:
        allowed = "、".join(f"{h:f}" for h in t.key_teacher_hours)
        r.problem("hours", "choice", f"参数 hours 必须是 {allowed} 之一")
    return KeyTeacher(hours=hours if hours is not None else Decimal(0))


def _grade(r: _Reader, levels: int) -> int:
    return r.integer("grade", low=1, high=levels)


def _self_study(r: _Reader, t: RuleTable) -> SelfStudy:
    hours = r.amount("hours")
    subject = Subject.PROFESSIONAL
    if r.data.get("subject") is not None:
        subject = Subject(r.choice("subject", [s.value for s in Subject]) or "professional")
    return SelfStudy(hours=hours, subject=subject)


_BUILDERS: Mapping[str, _Builder] = {
    "public_course": lambda r, t: PublicCourse(topic=r.text("topic")),
    "computer_training": lambda r, t: ComputerTraining(module=r.text("module")),
    "computer_exam": lambda r, t: ComputerExam(module=r.text("module")),
    "language_training": lambda r, t: LanguageTraining(language=r.text("language")),
    "language_exam": lambda r, t: LanguageExam(language=r.text("language")),
    "ministry_training": lambda r, t: MinistryTraining(
        hours=r.amount("hours"), days=r.integer("days")
    ),
    "organized_training": lambda r, t: OrganizedTraining(hours=r.amount("hours")),
    "base_training": lambda r, t: BaseTraining(hours=r.amount("hours")),
    "degree_course": lambda r, t: DegreeCourse(courses=r.integer("courses")),
    "self_study": _self_study,
    "national_conference": lambda r, t: NationalConference(paper_chars=_paper_chars(r)),
    "provincial_conference": lambda r, t: ProvincialConference(paper_chars=_paper_chars(r)),
    "research_project": _research,
    "book": lambda r, t: Book(chars=r.integer("chars")),
    "paper": lambda r, t: Paper(
        journal=r.choice("journal", list(t.paper)),
        chars=r.integer("chars"),
        indexed=r.flag("indexed"),
        paper_id=r.optional_text("paper_id"),
    ),
    "aid_service": lambda r, t: AidService(),
    "qualification_cert": lambda r, t: QualificationCert(cert_no=r.optional_text("cert_no")),
    "teacher_training": lambda r, t: TeacherTraining(),
    "key_teacher": _key_teacher,
    "principal_training": lambda r, t: PrincipalTraining(),
    "invention_patent": lambda r, t: InventionPatent(
        rank=_ranked(r, "rank"), patent_no=r.optional_text("patent_no")
    ),
    "utility_patent": lambda r, t: UtilityPatent(
        rank=_ranked(r, "rank"), patent_no=r.optional_text("patent_no")
    ),
    "provincial_award": lambda r, t: ProvincialAward(
        grade=_grade(r, len(t.provincial_award)),
        rank=_ranked(r, "rank"),
        award_no=r.optional_text("award_no"),
    ),
    "city_award": lambda r, t: CityAward(
        grade=_grade(r, len(t.city_award)),
        rank=_ranked(r, "rank"),
        award_no=r.optional_text("award_no"),
    ),
    "new_technology": lambda r, t: NewTechnology(
        level=r.choice("level", list(t.new_technology)),
        rank=_ranked(r, "rank"),
        item_no=r.optional_text("item_no"),
    ),
    "medical_credit": lambda r, t: MedicalCredit(credits=r.amount("credits")),
    "paper_booklet": lambda r, t: PaperBooklet(
        hours=r.amount("hours"),
        subject=Subject(r.choice("subject", [s.value for s in Subject]) or "professional"),
    ),
}
assert set(_BUILDERS) == set(KINDS)


def _activity_id(data: Mapping[str, object], index: int, problems: list[Problem]) -> ActivityId:
    value = data.get("id")
    if value is None:
        problems.append(
            Problem(None, "id", "missing", f"第 {index} 项活动：缺少活动编号 id", index)
        )
    elif isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        message = f"第 {index} 项活动：活动编号 id 必须是非空字符串或整数"
        problems.append(Problem(None, "id", "type", message, index))
    else:
        return value
    return ""


def _read_activity(
    data: object,
    index: int,
    problems: list[Problem],
    table: RuleTable,
    *,
    need_id: bool = True,
) -> Activity | None:
    if not isinstance(data, Mapping):
        message = f"第 {index} 项活动必须是 JSON 对象"
        problems.append(Problem(None, None, "type", message, index))
        return None
    before = len(problems)
    activity_id: ActivityId = ""
    owner: ActivityId | None = None
    if need_id or data.get("id") is not None:
        activity_id = _activity_id(data, index, problems)
        owner = activity_id if len(problems) == before else None
    reader = _Reader(data, problems, owner=owner, index=index, noun="字段")
    year = reader.year("year", table)
    kind = data.get("kind")
    params: Params | None = None
    if kind is None:
        reader.problem("kind", "missing", "缺少活动类型 kind")
    elif not isinstance(kind, str) or kind not in _BUILDERS:
        reader.problem("kind", "unknown_kind", f"未知的活动类型 kind：{kind}")
    else:
        params = _BUILDERS[kind](_Reader(data, problems, owner=owner, index=index), table)
    if len(problems) > before or year is None or params is None:
        return None
    return Activity(id=activity_id, year=year, params=params)


def validate_activity(
    data: Mapping[str, object], table: RuleTable = DEFAULT_TABLE, *, need_id: bool = False
) -> Activity:
    """Validates one claim (`kind`, `year`, its parameters; `id` optional unless `need_id`).

    Raises `InvalidCase` with every problem; forms map `Problem.field` to their fields.
    """
    problems: list[Problem] = []
    activity = _read_activity(data, 1, problems, table, need_id=need_id)
    if problems or activity is None:
        raise InvalidCase(problems)
    return activity


def _read_person(data: object, problems: list[Problem], table: RuleTable) -> Person:
    if data is None:
        return Person()
    if not isinstance(data, Mapping):
        problems.append(Problem(None, "person", "type", "person 必须是 JSON 对象"))
        return Person()
    reader = _Reader(data, problems, prefix="person.", noun="字段")
    industry = data.get("industry")
    if industry is not None and not isinstance(industry, str):
        reader.problem("industry", "type", "字段 person.industry 必须是字符串")
        industry = None
    transferred = reader.year("transferred_in_year", table, required=False)
    return Person(industry=industry, transferred_in_year=transferred)


def _read_years(data: object, problems: list[Problem], table: RuleTable) -> tuple[int, ...] | None:
    if data is None:
        return None
    if not isinstance(data, list):
        problems.append(Problem(None, "years", "type", "字段 years 必须是年份数组"))
        return None
    years: set[int] = set()
    for position, value in enumerate(data, start=1):
        first, last = table.first_year, table.last_year
        if isinstance(value, bool) or not isinstance(value, int) or not first <= value <= last:
            message = f"字段 years 第 {position} 项必须是 {first} 到 {last} 之间的整数年份"
            problems.append(Problem(None, "years", "year", message))
        else:
            years.add(value)
    return tuple(sorted(years))


def _read_cycle(data: object, problems: list[Problem], table: RuleTable) -> Cycle | None:
    if data is None:
        return None
    if not isinstance(data, Mapping):
        problems.append(Problem(None, "cycle", "type", "字段 cycle 必须是 JSON 对象"))
        return None
    reader = _Reader(data, problems, prefix="cycle.", noun="字段")
    start = reader.year("start", table)
    end = reader.year("end", table)
    if start is None or end is None:
        return None
    if end < start:
        message = "字段 cycle.end 不能早于 cycle.start"
        problems.append(Problem(None, "cycle.end", "range", message))
        return None
    return Cycle(start=start, end=end)


def parse_case(data: object, table: RuleTable = DEFAULT_TABLE) -> Case:
    """Validates a whole case (DESIGN.md section 5 input) and returns it as a `Case`.

    Raises `InvalidCase` carrying every problem found, not only the first.
    """
    problems: list[Problem] = []
    if not isinstance(data, Mapping):
        raise InvalidCase([Problem(None, None, "type", "输入必须是 JSON 对象")])
    person = _read_person(data.get("person"), problems, table)
    raw_activities = data.get("activities")
    activities: list[Activity] = []
    if raw_activities is None:
        problems.append(Problem(None, "activities", "missing", "缺少字段 activities"))
    elif not isinstance(raw_activities, list):
        problems.append(Problem(None, "activities", "type", "字段 activities 必须是数组"))
    else:
        seen: dict[tuple[str, str], int] = {}
        for index, raw in enumerate(raw_activities, start=1):
            activity = _read_activity(raw, index, problems, table)
            if activity is not None:
                activities.append(activity)
            raw_id = raw.get("id") if isinstance(raw, Mapping) else None
            if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) and raw_id != "":
                key = (type(raw_id).__name__, str(raw_id))
                if key in seen:
                    message = f"活动编号 id 重复：{raw_id}（第 {seen[key]} 项与第 {index} 项）"
                    problems.append(Problem(raw_id, "id", "duplicate_id", message, index))
                else:
                    seen[key] = index
    years = _read_years(data.get("years"), problems, table)
    cycle = _read_cycle(data.get("cycle"), problems, table)
    if problems:
        raise InvalidCase(problems)
    return Case(person=person, activities=tuple(activities), years=years, cycle=cycle)
