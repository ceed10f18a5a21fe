"""Attachment 3 of notice No. 2021066 as data: every rate, rank list, cap and requirement.

The engine reads nothing but a `RuleTable`.  `DEFAULT_TABLE` is the notice as decided in
DESIGN.md section 4; a city officer's setting change becomes a new table built by the Django
side, e.g. ``dataclasses.replace(DEFAULT_TABLE, self_study_cap=Decimal(40))``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

# The names of the activity kinds (DESIGN.md section 4).  They are the vocabulary of the
# JSON contract, not settings, so they live here as constants rather than table fields.
KINDS: tuple[str, ...] = (
    "public_course",
    "computer_training",
    "computer_exam",
    "language_training",
    "language_exam",
    "ministry_training",
    "organized_training",
    "base_training",
    "degree_course",
    "self_study",
    "national_conference",
    "provincial_conference",
    "research_project",
    "book",
    "paper",
    "aid_service",
    "qualification_cert",
    "teacher_training",
    "key_teacher",
    "principal_training",
    "invention_patent",
    "utility_patent",
    "provincial_award",
    "city_award",
    "new_technology",
    "medical_credit",
    "paper_booklet",
)

KIND_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "public_course": "公需课",
        "computer_training": "职称计算机培训",
        "computer_exam": "职称计算机考试",
        "language_training": "职称外语培训",
        "language_exam": "职称外语考试",
        "ministry_training": "国家部委及国（境）外培训",
        "organized_training": "省市有关部门、行业组织培训",
        "base_training": "省、市级继续教育基地培训",
        "degree_course": "学历、学位教育或课程进修",
        "self_study": "自学",
        "national_conference": "国家部委学术会议",
        "provincial_conference": "省级学术会议",
        "research_project": "课题（项目）",
        "book": "出版著作（译作）",
        "paper": "发表论文（译文）",
        "aid_service": "援藏、援外、扶贫、支教、支医、支农",
        "qualification_cert": "考试取得中级专业技术资格或执业资格证书",
        "teacher_training": "中小学教师岗位培训等",
        "key_teacher": "全国骨干教师",
        "principal_training": "中小学校长、幼儿园园长培训",
        "invention_patent": "国家发明专利",
        "utility_patent": "实用新型、外观设计专利",
        "provincial_award": "省部级科学技术奖",
        "city_award": "市厅级科学技术奖",
        "new_technology": "引进推广新技术、新成果",
        "medical_credit": "医学类学分",
        "paper_booklet": "纸质证书补录",
    }
)

# Display names of parameter values used in notes.
VALUE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "national": "国家级",
        "provincial": "省级",
        "city": "市级",
        "main": "主课题（项目）组",
        "sub": "子课题（项目）组",
        "international": "国际水平",
        "professional": "专业科目",
        "public": "公需科目",
    }
)
NEW_TECHNOLOGY_LABELS: Mapping[str, str] = MappingProxyType(
    {"international": "国际水平", "national": "国内先进水平", "provincial": "省内先进水平"}
)


@dataclass(frozen=True)
class Requirement:
    """The yearly minimum per subject; the total is their sum (90 = 60 + 30 by default)."""

    professional: Decimal
    public: Decimal

    @property
    def total(self) -> Decimal:
        return self.professional + self.public


@dataclass(frozen=True)
class ConferenceRate:
    """Attendance hours plus a bonus for a reported paper, by its length in characters."""

    attendance: Decimal
    short_paper: Decimal  # a paper of at most `paper_threshold` characters
    long_paper: Decimal  # a paper of more than `paper_threshold` characters
    paper_threshold: int = 2000


@dataclass(frozen=True)
class PerCharacters:
    """`hours` for every `per_chars` characters, proportionally (exact, then rounded)."""

    hours: Decimal
    per_chars: int


@dataclass(frozen=True)
class DatedHours:
    """Hours that were lower before a given year (the notice: "2016年前按照72学时")."""

    hours: Decimal
    hours_before: Decimal
    before_year: int

    def for_year(self, year: int) -> Decimal:
        return self.hours_before if year < self.before_year else self.hours


@dataclass(frozen=True)
class EitherOr:
    """Kinds that count together, for good (not per year), for the same `key` parameter: the
    module or language counts at most its highest figure, in time order (按照二选一核定)."""

    name: str  # Chinese name of the family, used in notes
    kinds: frozenset[str]
    key: str  # the parameter that names the module / language


def _d(*values: int) -> tuple[Decimal, ...]:
    return tuple(Decimal(v) for v in values)


def _research_default() -> Mapping[str, Mapping[str, tuple[Decimal, ...]]]:
    return MappingProxyType(
        {
            "national": MappingProxyType({"main": _d(72, 60, 50, 40, 36), "sub": _d(40, 35, 30)}),
            "provincial": MappingProxyType({"main": _d(72, 60, 50), "sub": _d(30, 25, 20)}),
            "city": MappingProxyType({"main": _d(60, 50, 40), "sub": _d(25, 20, 15)}),
        }
    )


def _paper_default() -> Mapping[str, PerCharacters]:
    return MappingProxyType(
        {
            "national": PerCharacters(Decimal(5), 1000),
            "provincial": PerCharacters(Decimal(3), 1000),
        }
    )


def _new_technology_default() -> Mapping[str, Decimal]:
    return MappingProxyType(
        {"international": Decimal(60), "national": Decimal(48), "provincial": Decimal(36)}
    )


def _either_or_default() -> tuple[EitherOr, ...]:
    return (
        EitherOr("职称计算机", frozenset({"computer_training", "computer_exam"}), "module"),
        EitherOr("职称外语", frozenset({"language_training", "language_exam"}), "language"),
    )


def _requirements_default() -> Mapping[str, Requirement]:
    return MappingProxyType({})


def _basis_default() -> Mapping[str, str]:
    return MappingProxyType({})


# The parameter holding an item's own number, per kind (DESIGN.md section 4, "Item numbers").
# The same number never credits twice for one person (projects: never twice in one year).
ITEM_NUMBER_FIELDS: Mapping[str, str] = MappingProxyType(
    {
        "qualification_cert": "cert_no",
        "invention_patent": "patent_no",
        "utility_patent": "patent_no",
        "provincial_award": "award_no",
        "city_award": "award_no",
        "new_technology": "item_no",
        "research_project": "project_no",
        "paper": "paper_id",
    }
)

# Kinds whose numbers are one numbering: a patent number is issued by one patent office
# whatever the patent's type, so an invention and a utility patent never share one.
ITEM_NUMBER_FAMILIES: Mapping[str, str] = MappingProxyType(
    {"invention_patent": "patent", "utility_patent": "patent"}
)


@dataclass(frozen=True)
class RuleTable:
    """Every number of Attachment 3 and of the yearly requirement.  Hours are `Decimal`."""

    # 公需课: per passed course, public subject.
    public_course: Decimal = Decimal(30)
    # 职称计算机 / 职称外语: training vs exam, either-or (see `either_or`).
    computer_training: Decimal = Decimal(24)
    computer_exam: Decimal = Decimal(15)
    language_training: Decimal = Decimal(120)
    language_exam: Decimal = Decimal(45)
    # 国家部委及国（境）外培训: hours as recognised; more than `ministry_long_days` days -> flat.
    ministry_long_days: int = 20
    ministry_long_hours: Decimal = Decimal(120)
    # 学历、学位教育或课程进修: per passed course.
    degree_course: Decimal = Decimal(15)
    # 自学: all self-study of a year together, both subjects.
    self_study_cap: Decimal = Decimal(36)
    national_conference: ConferenceRate = ConferenceRate(Decimal(6), Decimal(5), Decimal(8))
    provincial_conference: ConferenceRate = ConferenceRate(Decimal(5), Decimal(3), Decimal(5))
    # 课题: level -> role -> hours of rank 1, 2, ... per year of work; a rank beyond earns 0.
    research_project: Mapping[str, Mapping[str, tuple[Decimal, ...]]] = field(
        default_factory=_research_default
    )
    book: PerCharacters = PerCharacters(Decimal(5), 10000)
    paper: Mapping[str, PerCharacters] = field(default_factory=_paper_default)
    paper_indexed: Decimal = Decimal(40)
    aid_service: DatedHours = DatedHours(Decimal(90), Decimal(72), 2016)
    qualification_cert: DatedHours = DatedHours(Decimal(90), Decimal(72), 2016)
    teacher_training: Decimal = Decimal(60)
    key_teacher_hours: tuple[Decimal, ...] = _d(40, 72, 120)
    principal_training: Decimal = Decimal(120)
    # Patents by rank; a rank beyond the list earns 0.
    invention_patent: tuple[Decimal, ...] = _d(72, 60, 50)
    utility_patent: tuple[Decimal, ...] = _d(60, 50, 40)
    # Awards by grade (1 = 一等奖) AND by rank ("按照排名顺序"): the lower of the grade's
    # figure and the rank's figure; a rank beyond the rank list earns 0.
    provincial_award: tuple[Decimal, ...] = _d(72, 60, 40)
    city_award: tuple[Decimal, ...] = _d(60, 45, 36)
    provincial_award_rank: tuple[Decimal, ...] = _d(72, 60, 40)
    city_award_rank: tuple[Decimal, ...] = _d(60, 45, 36)
    # 新技术、新成果: per item by level; only the first `new_technology_places` ranks.
    new_technology: Mapping[str, Decimal] = field(default_factory=_new_technology_default)
    new_technology_places: int = 3
    medical_credit: Decimal = Decimal(3)
    either_or: tuple[EitherOr, ...] = field(default_factory=_either_or_default)
    # Kinds that count at most once in a year (the others are credited per activity).
    once_per_year: frozenset[str] = frozenset({"aid_service"})
    # Kinds that make their year compliant whatever else the year holds.
    year_compliant_kinds: frozenset[str] = frozenset({"aid_service"})
    # Kinds whose hours fill their own year's requirement and lend nothing to make-up.
    lends_nothing_kinds: frozenset[str] = frozenset({"aid_service"})
    # Kinds that count at most once per person over all years (the highest, then the earliest).
    # Empty by default: "once" in Attachment 3 (一次性) means a lump sum per item, not per year.
    once_per_person: frozenset[str] = frozenset()
    # The yearly requirement by industry code; unknown or missing industries use the default.
    requirements: Mapping[str, Requirement] = field(default_factory=_requirements_default)
    # Who set an industry's requirement, in plain Chinese (e.g. "市卫生健康委规定"): the reasons
    # name it; an industry with a requirement but no basis quotes the notice's clause.
    requirement_basis: Mapping[str, str] = field(default_factory=_basis_default)
    default_requirement: Requirement = Requirement(Decimal(60), Decimal(30))
    # Years before `early_before` need 72 (附件3 "2016年前按照72学时审核"), split 1:2 like 90.
    early_requirement: Requirement = Requirement(Decimal(48), Decimal(24))
    early_before: int = 2016
    # The years the engine accepts at all.
    first_year: int = 1990
    last_year: int = 2100

    def requirement_for(self, industry: str | None, year: int | None = None) -> Requirement:
        """The year's requirement: 72 before 2016, else the industry's or the default 90."""
        if year is not None and year < self.early_before:
            return self.early_requirement
        if industry is None:
            return self.default_requirement
        return self.requirements.get(industry, self.default_requirement)

    def requirement_rule(self, industry: str | None, year: int) -> str:
        """Which rule of the notice sets the year's requirement, in plain Chinese."""
        if year < self.early_before:
            return f"附件3“{self.early_before}年前按照72学时审核”"
        if industry is not None and industry in self.requirements:
            if self.requirement_basis.get(industry):
                return self.requirement_basis[industry]
            return "通知“省行业主管部门对专业知识学时有更高或其他要求的，按行业主管部门规定执行”"
        return "通知“每年累计应不少于90学时，其中专业科目不少于60学时，公需科目不少于30学时”"

    def either_or_for(self, kind: str) -> EitherOr | None:
        for family in self.either_or:
            if kind in family.kinds:
                return family
        return None


DEFAULT_TABLE = RuleTable()
