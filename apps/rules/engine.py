"""The year and the tenure cycle: caps, either-or, paper dedupe, exempt years, make-up.

Every choice between activities is made in a canonical order that does not depend on the order
of the input (highest hours first, then the earliest year, then the activity id in natural
order: ``a2`` before ``a10``), so the same activities always give the same answer.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from types import MappingProxyType

from .credit import credit_activity
from .model import Activity, ActivityId, Case, Paper, SelfStudy, Subject
from .reasons import ZERO, Code, Reason, fmt
from .table import DEFAULT_TABLE, KIND_LABELS, Requirement, RuleTable

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
    surplus: Hours  # beyond this year's own requirement
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


# --- canonical order ----------------------------------------------------------------------

_CHUNKS = re.compile(r"(\d+)")


def id_key(activity_id: ActivityId) -> tuple[tuple[tuple[int, int, str], ...], str, str]:
    """Natural order of ids (``a2`` < ``a10``), total over strings and integers."""
    text = str(activity_id)
    parts = tuple(
        (0, int(chunk), "") if chunk.isdigit() else (1, 0, chunk)
        for chunk in _CHUNKS.split(text)
        if chunk
    )
    return parts, type(activity_id).__name__, text


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


# --- the engine ---------------------------------------------------------------------------


class _Ledger:
    """Mutable working state: hours and reasons per activity index."""

    def __init__(self, activities: tuple[Activity, ...], table: RuleTable) -> None:
        self.activities = activities
        self.nominal = [credit_activity(a, table) for a in activities]
        self.hours = [n.hours for n in self.nominal]
        self.reasons: list[list[Reason]] = [list(n.reasons) for n in self.nominal]

    def label(self, i: int) -> str:
        a = self.activities[i]
        return f"{a.id}（{a.year} 年{KIND_LABELS[a.kind]}）"

    def keep_best(self, indices: list[int], code: Code, why: str) -> None:
        """Only the highest of `indices` counts (ties: earliest year, then id); others get 0."""
        if len(indices) < 2:
            return
        order = sorted(
            indices,
            key=lambda i: (-self.hours[i], self.activities[i].year, id_key(self.activities[i].id)),
        )
        winner = order[0]
        for i in order[1:]:
            self.hours[i] = ZERO
            self.reasons[i].append(Reason(code, f"{why}，已由 {self.label(winner)} 计入"))


def _group(indices: Iterable[int], key: Callable[[int], tuple[str, ...] | None]) -> list[list[int]]:
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i in indices:
        k = key(i)
        if k is not None:
            groups[k].append(i)
    return list(groups.values())


def _apply_group_rules(ledger: _Ledger, table: RuleTable) -> None:
    acts = ledger.activities

    def key(i: int) -> tuple[str, ...] | None:
        a = acts[i]
        if isinstance(a.params, Paper):
            return ("paper", _norm(a.params.paper_id))
        return None

    papers = _group(range(len(acts)), key)
    for group in papers:
        paper = acts[group[0]].params
        if not isinstance(paper, Paper):  # pragma: no cover - grouped by paper above
            continue
        why = f"同一篇论文（paper_id {paper.paper_id}）学时不可累计，只按最高学时计一次"
        ledger.keep_best(group, Code.SAME_PAPER, why)

    for family in table.either_or:
        members = [i for i, a in enumerate(acts) if a.kind in family.kinds]

        def module_key(i: int, key: str = family.key) -> tuple[str, ...]:
            return (str(acts[i].year), _norm(str(getattr(acts[i].params, key))))

        for group in _group(members, module_key):
            a = acts[group[0]]
            value = getattr(a.params, family.key)
            why = f"{family.name}（{value}）同一年度培训与考试二选一，只按较高的一项核定"
            ledger.keep_best(group, Code.EITHER_OR, why)

    once_a_year = [i for i, a in enumerate(acts) if a.kind in table.once_per_year]
    for group in _group(once_a_year, lambda i: (str(acts[i].year), acts[i].kind)):
        a = acts[group[0]]
        why = f"{KIND_LABELS[a.kind]}每年只按一次登记（{a.year} 年度）"
        ledger.keep_best(group, Code.ONCE_PER_YEAR, why)

    once_a_life = [i for i, a in enumerate(acts) if a.kind in table.once_per_person]
    for group in _group(once_a_life, lambda i: (acts[i].kind,)):
        why = f"{KIND_LABELS[acts[group[0]].kind]}每人只认定一次"
        ledger.keep_best(group, Code.ONCE_PER_PERSON, why)


def _allocate_self_study(
    cap: Decimal,
    base: Hours,
    claimed: Hours,
    requirement: Requirement,
    next_surplus: Hours,
) -> Hours:
    """Splits the year's self-study cap between the subjects (see docs/rules.md).

    1. Self-study first fills the year's own shortfall in each subject.
    2. If the cap cannot fill both, it first fills what the next year's surplus of the same
       subject cannot make up; the rest goes professional first.
    3. Cap left after both shortfalls goes professional first, then public.
    """
    total = min(cap, claimed.total)
    need = {s: max(ZERO, requirement_of(requirement, s) - base.get(s)) for s in SUBJECTS}
    fill = {s: min(need[s], claimed.get(s)) for s in SUBJECTS}
    x = dict.fromkeys(SUBJECTS, ZERO)
    if fill[PRO] + fill[PUB] <= total:
        x = dict(fill)
        rest = total - fill[PRO] - fill[PUB]
        add = min(rest, claimed.professional - fill[PRO])
        x[PRO] += add
        x[PUB] += rest - add
        return Hours.of(x)
    beyond_make_up = {s: min(fill[s], max(ZERO, need[s] - next_surplus.get(s))) for s in SUBJECTS}
    if beyond_make_up[PRO] + beyond_make_up[PUB] <= total:
        x = dict(beyond_make_up)
    rest = total - x[PRO] - x[PUB]
    add = min(rest, fill[PRO] - x[PRO])
    x[PRO] += add
    x[PUB] += rest - add
    return Hours.of(x)


def requirement_of(requirement: Requirement, subject: Subject) -> Decimal:
    return requirement.professional if subject is PRO else requirement.public


def _excess(hours: Hours, over: Hours) -> Hours:
    """Per subject, how far `hours` exceeds `over` (never negative)."""
    return Hours.of({s: max(ZERO, hours.get(s) - over.get(s)) for s in SUBJECTS})


def _as_hours(requirement: Requirement) -> Hours:
    return Hours(professional=requirement.professional, public=requirement.public)


def evaluate(case: Case, table: RuleTable = DEFAULT_TABLE) -> Evaluation:
    """Credits every activity and evaluates the requested years and the cycle."""
    acts = case.activities
    ledger = _Ledger(acts, table)
    _apply_group_rules(ledger, table)

    requirement = table.requirement_for(case.person.industry)
    transferred = case.person.transferred_in_year
    cycle_years = case.cycle.years if case.cycle else ()
    requested = (
        case.years
        if case.years is not None
        else tuple(sorted({a.year for a in acts} | set(cycle_years)))
    )
    all_years = sorted({a.year for a in acts} | set(requested) | set(cycle_years))

    by_year: dict[int, list[int]] = defaultdict(list)
    for i, a in enumerate(acts):
        by_year[a.year].append(i)

    # Self-study cap, latest year first: a year's split may look at the next year's surplus.
    hours_of: dict[int, Hours] = {}
    surplus: dict[int, Hours] = {}
    for year in reversed(all_years):
        base = {s: ZERO for s in SUBJECTS}
        studies: dict[Subject, list[int]] = {s: [] for s in SUBJECTS}
        for i in by_year[year]:
            subject = ledger.nominal[i].subject
            if isinstance(acts[i].params, SelfStudy):
                studies[subject].append(i)
            else:
                base[subject] += ledger.hours[i]
        claimed = Hours.of({s: sum((ledger.hours[i] for i in studies[s]), ZERO) for s in SUBJECTS})
        allowed = _allocate_self_study(
            table.self_study_cap,
            Hours.of(base),
            claimed,
            requirement,
            surplus.get(year + 1, Hours()),
        )
        for subject in SUBJECTS:
            left = allowed.get(subject)
            for i in sorted(studies[subject], key=lambda i: id_key(acts[i].id)):
                granted = min(ledger.hours[i], left)
                left -= granted
                if granted < ledger.hours[i]:
                    ledger.reasons[i].append(
                        Reason(
                            Code.SELF_STUDY_CAP,
                            f"{year} 年度全部自学合计不超过 {fmt(table.self_study_cap)} 学时"
                            f"，本项申报 {fmt(ledger.hours[i])} 学时，计入 {fmt(granted)} 学时",
                        )
                    )
                    ledger.hours[i] = granted
        hours_of[year] = Hours.of({s: base[s] + allowed.get(s) for s in SUBJECTS})
        surplus[year] = _excess(hours_of[year], _as_hours(requirement))

    results = _years(case, table, by_year, hours_of, surplus, all_years, requirement, transferred)

    credits = tuple(
        Credit(
            activity=a,
            hours=ledger.hours[i],
            nominal=ledger.nominal[i].hours,
            subject=ledger.nominal[i].subject,
            note="；".join([ledger.nominal[i].note, *(r.note for r in ledger.reasons[i])]),
            reasons=tuple(ledger.reasons[i]),
        )
        for i, a in enumerate(acts)
    )
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


def _years(
    case: Case,
    table: RuleTable,
    by_year: Mapping[int, list[int]],
    hours_of: Mapping[int, Hours],
    surplus: Mapping[int, Hours],
    all_years: list[int],
    requirement: Requirement,
    transferred: int | None,
) -> dict[int, YearResult]:
    acts = case.activities
    used: dict[int, Hours] = {}
    results: dict[int, YearResult] = {}
    for year in all_years:
        hours = hours_of[year]
        reasons: list[Reason] = []
        exempt = transferred is not None and year < transferred
        aid = any(acts[i].kind in table.year_compliant_kinds for i in by_year.get(year, ()))
        if exempt:
            reasons.append(
                Reason(
                    Code.EXEMPT_BEFORE_TRANSFER,
                    f"{year} 年度在调入合肥（{transferred} 年）之前，不考核，视为达标",
                )
            )
        elif aid:
            reasons.append(Reason(Code.AID_SERVICE_YEAR, f"{year} 年度有援助服务，视为达标"))
        short = Hours() if exempt or aid else _excess(_as_hours(requirement), hours)
        available = surplus.get(year + 1, Hours())
        made_up = Hours.of({s: min(short.get(s), available.get(s)) for s in SUBJECTS})
        used[year + 1] = made_up
        left = Hours.of({s: short.get(s) - made_up.get(s) for s in SUBJECTS})
        if not made_up.is_zero():
            parts = "、".join(
                f"{_SUBJECT_NAMES[s]} {fmt(made_up.get(s))} 学时"
                for s in SUBJECTS
                if made_up.get(s) > 0
            )
            reasons.append(
                Reason(Code.MADE_UP, f"由 {year + 1} 年度同科目超出要求的部分顺延补学：{parts}")
            )
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
        parts = "、".join(
            f"{_SUBJECT_NAMES[s]} {fmt(given.get(s))} 学时" for s in SUBJECTS if given.get(s) > 0
        )
        note = f"本年度超出要求的部分已用于 {year - 1} 年度顺延补学：{parts}"
        results[year] = _replace_year(result, given, Reason(Code.SURPLUS_USED, note))
    return results


def _replace_year(result: YearResult, used: Hours, reason: Reason) -> YearResult:
    return replace(result, surplus_used=used, reasons=(*result.reasons, reason))
