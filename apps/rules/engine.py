"""The year and the tenure cycle: time order, item numbers, either-or, the cap, make-up.

Time order (notice 五（一）"学时登记应按照规定时间顺序逐年、逐项登记，不得涂改"): activities are
credited by year, then in the order of the input (the order they were recorded). A later
activity never changes what an earlier one already counts. Where two compete (the same paper,
certificate, patent, award, item or project-year again; training and exam of one computer module
or one language; the year's self-study cap), the earlier keeps its credit and the later counts
only what is left: its own figure less what the item already counts, or what is left of the cap.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from types import MappingProxyType

from .credit import credit_activity
from .model import (
    Activity,
    ActivityId,
    Case,
    CityAward,
    InventionPatent,
    NewTechnology,
    Paper,
    ProvincialAward,
    QualificationCert,
    ResearchProject,
    SelfStudy,
    Subject,
    UtilityPatent,
)
from .reasons import ZERO, Code, Reason, fmt
from .table import DEFAULT_TABLE, ITEM_NUMBER_FAMILIES, KIND_LABELS, Requirement, RuleTable

PRO = Subject.PROFESSIONAL
PUB = Subject.PUBLIC
SUBJECTS = (PRO, PUB)
_SUBJECT_NAMES = {PRO: "专业科目", PUB: "公需科目"}


@dataclass(frozen=True)
class Hours:
    """Hours per subject (one decimal place each)."""

    professional: Decimal = ZERO
    public: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.professional + self.public

    def get(self, subject: Subject) -> Decimal:
        return self.professional if subject is PRO else self.public

    @classmethod
    def of(cls, values: Mapping[Subject, Decimal]) -> Hours:
        return cls(professional=values.get(PRO, ZERO), public=values.get(PUB, ZERO))

    def is_zero(self) -> bool:
        return self.professional == 0 and self.public == 0


@dataclass(frozen=True)
class Credit:
    """What one activity finally counts for, and why it counts for less than its nominal hours."""

    activity: Activity
    hours: Decimal
    nominal: Decimal
    subject: Subject
    note: str
    reasons: tuple[Reason, ...]

    @property
    def id(self) -> ActivityId:
        return self.activity.id


@dataclass(frozen=True)
class YearResult:
    year: int
    hours: Hours  # credited in this year (make-up does not move hours)
    requirement: Requirement
    exempt: bool  # before transferred_in_year: not assessed, counts as compliant
    aid_service: bool  # the year holds an aid_service: compliant
    compliant_before_make_up: bool
    shortfall_before_make_up: Hours
    made_up: Hours  # taken from the next year's surplus of the same subject
    shortfall: Hours  # what is still missing after make-up
    compliant: bool  # after make-up
    surplus: Hours  # what this year may lend to the year before (aid hours lend nothing)
    surplus_used: Hours  # the part of `surplus` that made up the previous year
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class CycleResult:
    start: int
    end: int
    total: Decimal  # sum of the credited hours of the cycle's years
    compliant: bool
    failed_years: tuple[int, ...]
    made_up_years: tuple[int, ...]  # compliant only thanks to make-up


@dataclass(frozen=True)
class Evaluation:
    credits: tuple[Credit, ...]  # in input order
    years: Mapping[int, YearResult]  # the requested years (default: activity and cycle years)
    cycle: CycleResult | None
    evaluated: Mapping[int, YearResult]  # every year looked at, e.g. cycle end + 1


# --- items: what counts at most once -------------------------------------------------------

ItemKey = tuple[str, ...]


@dataclass(frozen=True)
class ItemRule:
    """One item an activity belongs to: `key` identifies it, `code` and `rule` explain a cut."""

    key: ItemKey
    code: Code
    rule: str  # the notice's rule, in plain Chinese


def normalise(text: str) -> str:
    """Module names and item numbers compare after NFKC, case folding and dropping spaces."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


_NUMBER_RULES: Mapping[str, str] = MappingProxyType(
    {
        "qualification_cert": "同一证书“一次性认定”",
        "invention_patent": "同一专利“一次性认定”",
        "utility_patent": "同一专利“一次性认定”",
        "provincial_award": "同一奖励“一次性核定”",
        "city_award": "同一奖励“一次性核定”",
        "new_technology": "同一项新技术、新成果按项认定一次",
        "research_project": "同一课题（项目）“每年”认定一次",
    }
)


def _number_of(activity: Activity) -> str | None:
    p = activity.params
    match p:
        case QualificationCert():
            return p.cert_no
        case InventionPatent() | UtilityPatent():
            return p.patent_no
        case ProvincialAward() | CityAward():
            return p.award_no
        case NewTechnology():
            return p.item_no
        case ResearchProject():
            return p.project_no
    return None


def item_rules(activity: Activity, table: RuleTable = DEFAULT_TABLE) -> tuple[ItemRule, ...]:
    """The items this activity counts towards; each counts at most its highest figure."""
    a = activity
    p = a.params
    found: list[ItemRule] = []
    if isinstance(p, Paper) and p.paper_id is not None:
        found.append(
            ItemRule(
                ("paper", normalise(p.paper_id)),
                Code.SAME_PAPER,
                "同一篇论文“学分不可累计，按最高所授学时计算”",
            )
        )
    number = _number_of(a)
    if number is not None:
        family = ITEM_NUMBER_FAMILIES.get(a.kind, a.kind)
        key: ItemKey = (family, normalise(number))
        if isinstance(p, ResearchProject):
            key = (family, p.level, normalise(number), str(a.year))
        found.append(ItemRule(key, Code.SAME_ITEM, _NUMBER_RULES[a.kind]))
    either_or = table.either_or_for(a.kind)
    if either_or is not None:
        value = str(getattr(p, either_or.key))
        unit = "模块" if either_or.key == "module" else "语种"
        found.append(
            ItemRule(
                ("either_or", either_or.name, normalise(value)),
                Code.EITHER_OR,
                f"同一{unit}的{either_or.name}培训与考试“按照二选一核定”",
            )
        )
    if a.kind in table.once_per_year:
        found.append(
            ItemRule(
                ("once_per_year", a.kind, str(a.year)),
                Code.ONCE_PER_YEAR,
                f"{KIND_LABELS[a.kind]}“按每年90学时的标准登记”，每年只登记一次",
            )
        )
    if a.kind in table.once_per_person:
        found.append(
            ItemRule(
                ("once_per_person", a.kind),
                Code.ONCE_PER_PERSON,
                f"{KIND_LABELS[a.kind]}每人只认定一次",
            )
        )
    return tuple(found)


def time_order(activities: tuple[Activity, ...]) -> list[int]:
    """Indices of `activities` in time order: by year, then input (recorded) order."""
    return sorted(range(len(activities)), key=lambda i: (activities[i].year, i))


def _years_text(years: list[int]) -> str:
    return "、".join(str(y) for y in sorted(set(years)))


def _what_is_left(already: Decimal, years: list[int], granted: Decimal) -> str:
    where = f"在 {_years_text(years)} 年度" if years else ""
    told = f"此前已{where}计入 {fmt(already)} 学时"
    if granted == 0:
        return f"{told}，本项不再计学时"
    return f"{told}，本项只计差额 {fmt(granted)} 学时"


def _credit_all(acts: tuple[Activity, ...], table: RuleTable) -> list[Credit]:
    nominal = [credit_activity(a, table) for a in acts]
    hours = [n.hours for n in nominal]
    reasons: list[list[Reason]] = [list(n.reasons) for n in nominal]
    counted: dict[ItemKey, Decimal] = {}
    counted_in: dict[ItemKey, list[int]] = defaultdict(list)
    self_study_used: dict[int, Decimal] = defaultdict(lambda: ZERO)
    cap = table.self_study_cap
    for i in time_order(acts):
        a = acts[i]
        h = hours[i]
        items = item_rules(a, table)
        for item in items:
            if item.key not in counted:
                continue
            already = counted[item.key]
            granted = max(ZERO, h - already)
            if granted < h:
                note = f"{item.rule}：{_what_is_left(already, counted_in[item.key], granted)}"
                reasons[i].append(Reason(item.code, note))
            h = granted
        if isinstance(a.params, SelfStudy):
            used = self_study_used[a.year]
            granted = min(h, max(ZERO, cap - used))
            if granted < h:
                told = f"{a.year} 年度此前已计入自学 {fmt(used)} 学时"
                rest = "本项不再计学时" if granted == 0 else f"本项只计余下的 {fmt(granted)} 学时"
                note = f"附件3“自学每年不超过{fmt(cap)}学时”（两科合计）：{told}，{rest}"
                reasons[i].append(Reason(Code.SELF_STUDY_CAP, note))
            h = granted
            self_study_used[a.year] = used + h
        for item in items:
            counted[item.key] = counted.get(item.key, ZERO) + h
            if h > 0:
                counted_in[item.key].append(a.year)
        hours[i] = h
    return [
        Credit(
            activity=a,
            hours=hours[i],
            nominal=nominal[i].hours,
            subject=nominal[i].subject,
            note="；".join([nominal[i].note, *(r.note for r in reasons[i])]),
            reasons=tuple(reasons[i]),
        )
        for i, a in enumerate(acts)
    ]


# --- the years -----------------------------------------------------------------------------


def _excess(hours: Hours, over: Hours) -> Hours:
    """Per subject, how far `hours` exceeds `over` (never negative)."""
    return Hours.of({s: max(ZERO, hours.get(s) - over.get(s)) for s in SUBJECTS})


def _minus(hours: Hours, less: Hours) -> Hours:
    return Hours.of({s: hours.get(s) - less.get(s) for s in SUBJECTS})


def _as_hours(requirement: Requirement) -> Hours:
    return Hours(professional=requirement.professional, public=requirement.public)


def _parts(hours: Hours) -> str:
    return "、".join(
        f"{_SUBJECT_NAMES[s]} {fmt(hours.get(s))} 学时" for s in (PUB, PRO) if hours.get(s) > 0
    )


def evaluate(case: Case, table: RuleTable = DEFAULT_TABLE) -> Evaluation:
    """Credits every activity in time order and evaluates the requested years and the cycle."""
    acts = case.activities
    credits = tuple(_credit_all(acts, table))

    cycle_years = case.cycle.years if case.cycle else ()
    requested = (
        case.years
        if case.years is not None
        else tuple(sorted({a.year for a in acts} | set(cycle_years)))
    )
    all_years = sorted({a.year for a in acts} | set(requested) | set(cycle_years))

    earned: dict[int, dict[Subject, Decimal]] = defaultdict(lambda: dict.fromkeys(SUBJECTS, ZERO))
    lent_by_nothing: dict[int, dict[Subject, Decimal]] = defaultdict(
        lambda: dict.fromkeys(SUBJECTS, ZERO)
    )
    aid_years: set[int] = set()
    for c in credits:
        earned[c.activity.year][c.subject] += c.hours
        if c.activity.kind in table.lends_nothing_kinds:
            lent_by_nothing[c.activity.year][c.subject] += c.hours
        if c.activity.kind in table.year_compliant_kinds:
            aid_years.add(c.activity.year)
    hours_of = {y: Hours.of(earned[y]) for y in all_years}
    results = _years(case, table, hours_of, lent_by_nothing, aid_years, all_years)

    cycle = None
    if case.cycle is not None:
        in_cycle = [results[y] for y in case.cycle.years]
        cycle = CycleResult(
            start=case.cycle.start,
            end=case.cycle.end,
            total=sum((r.hours.total for r in in_cycle), ZERO),
            compliant=all(r.compliant for r in in_cycle),
            failed_years=tuple(r.year for r in in_cycle if not r.compliant),
            made_up_years=tuple(
                r.year for r in in_cycle if r.compliant and not r.compliant_before_make_up
            ),
        )
    return Evaluation(
        credits=credits,
        years=MappingProxyType({y: results[y] for y in requested}),
        cycle=cycle,
        evaluated=MappingProxyType(results),
    )


def _surplus(hours: Hours, fixed: Hours, requirement: Requirement) -> Hours:
    """What a year may lend: its hours beyond the requirement, where the hours that lend
    nothing (aid service) fill the requirement first and are never lent themselves."""
    left_to_fill = _excess(_as_hours(requirement), fixed)
    return _excess(_minus(hours, fixed), left_to_fill)


def _years(
    case: Case,
    table: RuleTable,
    hours_of: Mapping[int, Hours],
    lent_by_nothing: Mapping[int, Mapping[Subject, Decimal]],
    aid_years: set[int],
    all_years: list[int],
) -> dict[int, YearResult]:
    industry = case.person.industry
    transferred = case.person.transferred_in_year
    surplus = {
        y: _surplus(
            hours_of[y],
            Hours.of(lent_by_nothing.get(y, {})),
            table.requirement_for(industry, y),
        )
        for y in all_years
    }
    used: dict[int, Hours] = {}
    results: dict[int, YearResult] = {}
    for year in all_years:
        hours = hours_of[year]
        requirement = table.requirement_for(industry, year)
        reasons: list[Reason] = []
        exempt = transferred is not None and year < transferred
        aid = year in aid_years
        own_short = _excess(_as_hours(requirement), hours)
        short = Hours() if exempt or aid else own_short
        available = surplus.get(year + 1, Hours())
        made_up = Hours.of({s: min(short.get(s), available.get(s)) for s in SUBJECTS})
        used[year + 1] = made_up
        left = _minus(short, made_up)
        rule = table.requirement_rule(industry, year)
        if rule != table.requirement_rule(None, table.early_before):
            rule += (
                f"（公需科目不少于 {fmt(requirement.public)}、专业科目不少于"
                f" {fmt(requirement.professional)} 学时）"
            )
        own = f"本年度计入{_parts(hours) or ' 0 学时'}"
        if exempt:
            note = (
                "按通知“自市外调入的专业技术人员，从其调入后当年按照我市继续教育政策执行”："
                f"本年度在调入合肥（{transferred} 年）之前，不考核，视为达标"
            )
            reasons.append(Reason(Code.EXEMPT_BEFORE_TRANSFER, note))
        elif aid:
            note = (
                "本年度参加援藏、援外、扶贫、支教、支医、支农等，按附件3“按每年90学时的标准登记”"
                "，视为达标；援助服务学时只用于本年度，不用于补上一年度"
            )
            reasons.append(Reason(Code.AID_SERVICE_YEAR, note))
        elif short.is_zero():
            reasons.append(Reason(Code.REQUIREMENT_MET, f"按{rule}：{own}，达到要求"))
        else:
            reasons.append(Reason(Code.SHORTFALL, f"按{rule}：{own}，尚缺{_parts(short)}"))
        if not made_up.is_zero():
            note = (
                f"按通知“因故未及时参加学习的，可顺延至下一年度补学”：由 {year + 1} 年度"
                f"同科目超出要求的学时补足{_parts(made_up)}"
            )
            if not left.is_zero():
                note += f"，仍缺{_parts(left)}"
            reasons.append(Reason(Code.MADE_UP, note))
        results[year] = YearResult(
            year=year,
            hours=hours,
            requirement=requirement,
            exempt=exempt,
            aid_service=aid,
            compliant_before_make_up=short.is_zero(),
            shortfall_before_make_up=short,
            made_up=made_up,
            shortfall=left,
            compliant=left.is_zero(),
            surplus=surplus[year],
            surplus_used=Hours(),
            reasons=tuple(reasons),
        )
    for year, result in results.items():
        given = used.get(year)
        if given is None or given.is_zero():
            continue
        note = f"本年度超出要求的{_parts(given)}已用于 {year - 1} 年度顺延补学"
        results[year] = replace(
            result,
            surplus_used=given,
            reasons=(*result.reasons, Reason(Code.SURPLUS_USED, note)),
        )
    return results
