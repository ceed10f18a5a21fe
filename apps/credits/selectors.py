"""Reads on the ledger and claims, scoped by who is asking."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps import rules
from apps.accounts.models import User
from apps.accounts.scope import Scope
from apps.credits.evidence import EVIDENCE_SUFFIXES
from apps.credits.ledger import entry_activity, ledger_evaluate, live_entries, rule_table
from apps.credits.models import Claim, ClaimStep, Evidence, LedgerEntry, PersonYear, Source
from apps.people.models import Industry, Person, Unit
from apps.people.selectors import people_in_scope, people_search
from apps.rules.table import ITEM_NUMBER_FAMILIES, ITEM_NUMBER_FIELDS, KIND_LABELS
from hefei_cpe.compiled import CompiledQuery


def claims_visible_to(*, user: User) -> QuerySet[Claim]:
    """The claimant's own claims; a unit administrator's people's; an office's the claims
    routed to it (a medical credit goes to the health authority, not the district)."""
    return user.scope.visible(
        Claim.objects.select_related("person__unit__jurisdiction", "office"),
        person="person",
        unit="person__unit",
        jurisdiction="office",
    )


def claim_get_for_user(*, user: User, pk: int) -> Claim:
    return get_object_or_404(claims_visible_to(user=user), pk=pk)


def claim_steps(*, claim: Claim) -> QuerySet[ClaimStep]:
    """The claim's history, oldest first (the caller fetched the claim through its scope)."""
    return claim.steps.order_by("at", "id")


def evidence_download_name(*, claim: Claim, evidence: Evidence) -> str:
    """The name an evidence file downloads under: whose, which claim (the receipt number the
    professional was given), e.g. 张明-SB2026-000012-证明材料.jpg; a claim with several files
    numbers them (…-证明材料2.jpg)."""
    suffix = EVIDENCE_SUFFIXES.get(evidence.content_type, "bin")
    receipt = claim.receipt_no or KIND_LABELS.get(claim.kind, "")
    ids = list(claim.evidence.order_by("id").values_list("id", flat=True))
    number = str(ids.index(evidence.pk) + 1) if len(ids) > 1 and evidence.pk in ids else ""
    return f"{claim.person.name}-{receipt}-{_('evidence')}{number}.{suffix}"


def review_queue(
    *,
    user: User,
    kind: str = "",
    unit_id: int | None = None,
    submitted_from: date | None = None,
    submitted_to: date | None = None,
) -> QuerySet[Claim]:
    """What waits on this user, oldest first: claims to screen for a unit's administrator,
    screened claims for an office; narrowed by kind, unit and the days submitted (inclusive,
    local time)."""
    status = Claim.Status.SCREENING if user.scope.unit_id else Claim.Status.PENDING
    claims = claims_visible_to(user=user).filter(status=status)
    if kind:
        claims = claims.filter(kind=kind)
    if unit_id is not None:
        claims = claims.filter(person__unit_id=unit_id)
    if submitted_from is not None:
        claims = claims.filter(submitted_at__gte=_local_midnight(submitted_from))
    if submitted_to is not None:
        claims = claims.filter(submitted_at__lt=_local_midnight(submitted_to + timedelta(days=1)))
    return claims.order_by("submitted_at", "id")


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def units_in_queue(*, claims: QuerySet[Claim]) -> QuerySet[Unit]:
    """The units with a claim in this queue: the queue's unit filter offers only these."""
    return Unit.objects.filter(
        pk__in=claims.order_by().values("person__unit_id").distinct()
    ).order_by("name")


def my_claims(*, user: User, status: str = "") -> QuerySet[Claim]:
    """A professional's claims, newest first."""
    claims = user.scope.visible(Claim.objects.select_related("office"), person="person")
    if status:
        claims = claims.filter(status=status)
    return claims.order_by("-submitted_at", "-id")


def entry_get_for_user(*, user: User, pk: int) -> LedgerEntry:
    entries = user.scope.visible(
        LedgerEntry.objects.select_related("person"),
        person="person",
        jurisdiction="person__unit__jurisdiction",
    )
    return get_object_or_404(entries, pk=pk)


@dataclass
class EntryRow:
    entry: LedgerEntry
    credited: Decimal | None = None  # None: a correction, or reversed
    cuts: list[str] = field(default_factory=list)
    reversed_by: LedgerEntry | None = None
    # Where the entry came from, as the professional knows it: the receipt number they were
    # given for a claim (SB2026-000019), never the claim's internal id.
    source_note: str = ""


@dataclass
class YearView:
    year: int
    result: rules.YearResult | None
    rows: list[EntryRow]
    is_current: bool = False

    def _percent(self, value: Decimal, required: Decimal) -> int:
        if required <= 0:
            return 100
        return min(100, int(value * 100 / required))

    @property
    def missing(self) -> list[tuple[str, Decimal]]:
        """What is still short after make-up, per subject with hours > 0."""
        if self.result is None or self.result.compliant:
            return []
        short = self.result.shortfall
        return [
            (key, value)
            for key, value in (("public", short.public), ("professional", short.professional))
            if value > 0
        ]

    @property
    def bars(self) -> list[dict[str, object]]:
        if self.result is None:
            return []
        r = self.result
        required_total = r.requirement.public + r.requirement.professional
        return [
            {
                "key": "public",
                "value": r.hours.public,
                "required": r.requirement.public,
                "percent": self._percent(r.hours.public, r.requirement.public),
            },
            {
                "key": "professional",
                "value": r.hours.professional,
                "required": r.requirement.professional,
                "percent": self._percent(r.hours.professional, r.requirement.professional),
            },
            {
                "key": "total",
                "value": r.hours.total,
                "required": required_total,
                "percent": self._percent(r.hours.total, required_total),
            },
        ]


@dataclass
class Ledger:
    person: Person
    years: list[YearView]  # newest first
    pending: list[Claim]
    closed: list[Claim]  # rejected or withdrawn, newest first

    @property
    def total_entries(self) -> int:
        return sum(len(y.rows) for y in self.years)

    @property
    def year_choices(self) -> list[int]:
        """The years one may pick on the ledger page, newest first: every year from the
        first entry (or the registration) to this year."""
        return [y.year for y in self.years]

    def year(self, year: int) -> YearView | None:
        return next((y for y in self.years if y.year == year), None)


def _source_note(entry: LedgerEntry, receipts: dict[int, str]) -> str:
    """The claim's receipt number for an approved claim (and for the correction reversing
    it); the stored label otherwise (the base and training, the exam). Older claim entries
    stored "Claim No. <id>": an internal number the professional never saw, so never shown."""
    receipt = receipts.get(entry.reverses_id or entry.pk, "")
    if receipt:
        return _("Receipt number %(receipt)s") % {"receipt": receipt}
    if entry.source == Source.CLAIM or (entry.source_key or "").startswith("claim:"):
        return ""
    return entry.source_label


def ledger_build(*, person: Person, today: date | None = None) -> Ledger:
    """The whole ledger of a person, evaluated, from the first entry or the registration
    (whichever is earlier) to this year. A fixed number of queries (entries, the approved
    claims' receipt numbers, the open claims), whatever the number of entries."""
    current_year = (today or timezone.localdate()).year
    registered = timezone.localtime(person.created_at).year if person.created_at else current_year
    entries = list(LedgerEntry.objects.filter(person=person).order_by("year", "recorded_at", "id"))
    live = live_entries(entries)
    years_with_entries = {e.year for e in entries}
    first = min([*years_with_entries, current_year, registered])
    last = max([*years_with_entries, current_year])
    evaluation = ledger_evaluate(person=person, entries=entries, years=range(first, last + 1))
    credits = {credit.id: credit for credit in evaluation.credits}
    reversals = {e.reverses_id: e for e in entries if e.reverses_id is not None}
    rows_by_year: dict[int, list[EntryRow]] = {}
    live_ids = {e.pk for e in live}
    receipts = {
        entry_id: receipt
        for entry_id, receipt in Claim.objects.filter(person=person, entry__isnull=False)
        .exclude(receipt_no__isnull=True)
        .values_list("entry_id", "receipt_no")
        if entry_id is not None and receipt
    }
    for entry in entries:
        row = EntryRow(
            entry=entry,
            reversed_by=reversals.get(entry.pk),
            source_note=_source_note(entry, receipts),
        )
        if entry.pk in live_ids:
            credit = credits[entry.pk]
            row.credited = credit.hours
            row.cuts = [reason.note for reason in credit.reasons]
        rows_by_year.setdefault(entry.year, []).append(row)
    years = [
        YearView(
            year=year,
            result=evaluation.years.get(year),
            rows=rows_by_year.get(year, []),
            is_current=year == current_year,
        )
        for year in range(last, first - 1, -1)
    ]
    claims = list(
        Claim.objects.filter(person=person)
        .exclude(status=Claim.Status.APPROVED)
        .order_by("-submitted_at", "-id")
    )
    return Ledger(
        person=person,
        years=years,
        pending=[c for c in claims if c.status == Claim.Status.PENDING],
        closed=[c for c in claims if c.status != Claim.Status.PENDING],
    )


@dataclass(frozen=True)
class LedgerVersion:
    """What a person's ledger holds, in four numbers: the count and highest id of their
    entries, the count of their claims and the highest id of their claims' steps. Entries are
    append-only (the database refuses updates and deletes, see guard.py) and every change of a
    claim is a new step (claims.py), so any change to what the ledger page shows of them
    (receipt numbers of approved claims included) changes this: what a cached rendering of
    the page is keyed on."""

    entries: int
    last_entry: int
    claims: int
    last_step: int


_VERSION_FIELDS = ("version_entries", "version_last_entry", "version_claims", "version_last_step")


def ledger_version(*, person: Person) -> LedgerVersion:
    """No query when the person was read through `with_ledger_version`, two otherwise."""
    if hasattr(person, "version_entries"):
        return LedgerVersion(*(getattr(person, name) for name in _VERSION_FIELDS))
    entries = LedgerEntry.objects.filter(person=person).aggregate(n=Count("id"), last=Max("id"))
    claims = Claim.objects.filter(person=person).aggregate(
        n=Count("id", distinct=True), last=Max("steps__id")
    )
    return LedgerVersion(entries["n"], entries["last"] or 0, claims["n"], claims["last"] or 0)


def with_ledger_version(people: QuerySet[Person]) -> QuerySet[Person]:
    """The people with their `ledger_version` read in the same query: correlated subqueries
    on the indexes of entries (person, year, id), claims (person) and steps (claim). Written
    as SQL: the ORM's `Subquery` costs more to compile (about 1.5 ms a request) than the
    database spends answering."""
    quote = connection.ops.quote_name
    person_id = f"{quote(Person._meta.db_table)}.{quote('id')}"
    entries = f"FROM {quote(LedgerEntry._meta.db_table)} AS e WHERE e.person_id = {person_id}"
    claims = f"FROM {quote(Claim._meta.db_table)} AS c WHERE c.person_id = {person_id}"
    steps = (
        f"FROM {quote(ClaimStep._meta.db_table)} AS s "
        f"JOIN {quote(Claim._meta.db_table)} AS c ON c.id = s.claim_id "
        f"WHERE c.person_id = {person_id}"
    )
    sql = {  # no user input in any of it
        "version_entries": f"SELECT COUNT(*) {entries}",
        "version_last_entry": f"SELECT COALESCE(MAX(e.id), 0) {entries}",
        "version_claims": f"SELECT COUNT(*) {claims}",
        "version_last_step": f"SELECT COALESCE(MAX(s.id), 0) {steps}",
    }
    return people.annotate(**{name: RawSQL(text, ()) for name, text in sql.items()})  # noqa: S611


_LEDGER_PERSON: CompiledQuery[Person] = CompiledQuery(
    lambda kind, anchor, pk: with_ledger_version(people_in_scope(Scope(kind, anchor))).filter(pk=pk)
)


def ledger_person_get(*, user: User, pk: int | None) -> Person:
    """The person of a ledger page through the user's scope (404 outside it), read with the
    version of their entries and claims (`with_ledger_version`) in one query compiled once
    per process (hefei_cpe.compiled): every ledger request makes it."""
    scope = user.scope
    if pk is None:
        raise Http404
    person = _LEDGER_PERSON.get(scope.kind, anchor=scope.anchor_id or 0, pk=pk)
    if person is None:
        raise Http404
    return person


# --- what a claim would really credit ---------------------------------------------------------

CLAIM_ID = "claim"  # the claim's activity id in the engine's case (entries use their pks)


@dataclass
class SameItem:
    """A live entry of the person's ledger that counts towards the same item as the claim."""

    entry: LedgerEntry
    credited: Decimal  # what it counts for today
    rule: str  # the notice's rule, in plain Chinese


@dataclass
class ClaimAssessment:
    """What approving a claim now would credit, seen before the decision."""

    credit: rules.Credit | None  # None: the claim cannot be valued (see `problems`)
    problems: list[str] = field(default_factory=list)
    same_item: list[SameItem] = field(default_factory=list)
    twins: list[Claim] = field(default_factory=list)  # other pending claims of the same item
    lowered: list[tuple[LedgerEntry, Decimal, Decimal]] = field(default_factory=list)
    missing_number: str = ""  # the kind's item number, absent from this (older) claim
    # Other people who claimed or were credited the same number at the same rank (DESIGN §4:
    # "the portal flags the same number claimed by two people at the same rank"). A count only:
    # they may be outside the officer's jurisdiction.
    others_at_same_rank: int = 0

    @property
    def hours(self) -> Decimal | None:
        return self.credit.hours if self.credit is not None else None

    @property
    def cut(self) -> bool:
        return self.credit is not None and self.credit.hours < self.credit.nominal


def _claim_activity(*, kind: str, year: int, params: dict[str, object]) -> rules.Activity:
    data = {**params, "kind": kind, "year": year, "id": CLAIM_ID}
    return rules.validate_activity(data, rule_table(), need_id=True)


def claim_assess(*, claim: Claim) -> ClaimAssessment:
    """The claim as the engine would credit it if approved now: appended after every entry of
    the person's ledger (recorded order), with the entries that already count towards the same
    paper, certificate, patent, award, item, project-year, module or language. Three queries
    (entries, the person's other pending claims, the person's industry)."""
    number_field = ITEM_NUMBER_FIELDS.get(claim.kind, "")
    missing = number_field if number_field and not claim.params.get(number_field) else ""
    try:
        activity = _claim_activity(kind=claim.kind, year=claim.year, params=dict(claim.params))
    except rules.InvalidCase as exc:
        return ClaimAssessment(
            credit=None, problems=[p.message for p in exc.problems], missing_number=missing
        )
    person = claim.person
    entries = list(LedgerEntry.objects.filter(person=person))
    live = live_entries(entries)
    before = ledger_evaluate(person=person, entries=entries)
    after = ledger_evaluate(person=person, entries=entries, appended=[activity])
    old = {c.id: c.hours for c in before.credits}
    credits = {c.id: c for c in after.credits}
    rules_of_claim = {item.key: item.rule for item in rules.item_rules(activity, rule_table())}
    same_item = []
    for entry in live:
        shared = [
            rules_of_claim[item.key]
            for item in rules.item_rules(entry_activity(entry), rule_table())
            if item.key in rules_of_claim
        ]
        if shared:
            same_item.append(SameItem(entry=entry, credited=old[entry.pk], rule=shared[0]))
    lowered = [
        (entry, old[entry.pk], credits[entry.pk].hours)
        for entry in live
        if credits[entry.pk].hours != old[entry.pk]
    ]
    twins = []
    others = Claim.objects.filter(person=person, status=Claim.Status.PENDING).exclude(pk=claim.pk)
    for other in others.order_by("submitted_at", "id"):
        try:
            theirs = _claim_activity(kind=other.kind, year=other.year, params=dict(other.params))
        except rules.InvalidCase:
            continue
        if any(item.key in rules_of_claim for item in rules.item_rules(theirs, rule_table())):
            twins.append(other)
    return ClaimAssessment(
        credit=credits[CLAIM_ID],
        same_item=same_item,
        twins=twins,
        lowered=lowered,
        missing_number=missing,
        others_at_same_rank=_others_at_same_rank(claim),
    )


# Kinds whose number two people may rightly share at different ranks (or, for a certificate,
# never: it is personal). Co-authors share a paper's identifier, so papers are not flagged.
_FLAGGED_ACROSS_PEOPLE = frozenset(ITEM_NUMBER_FIELDS) - {"paper"}


def _others_at_same_rank(claim: Claim) -> int:
    """How many other people hold the claim's number at its rank (same year for a project),
    in a live entry or a claim not rejected or withdrawn. Two queries."""
    field_name = ITEM_NUMBER_FIELDS.get(claim.kind)
    number = str(claim.params.get(field_name or "", "") or "").strip()
    if claim.kind not in _FLAGGED_ACROSS_PEOPLE or not field_name or not number:
        return 0
    family = ITEM_NUMBER_FAMILIES.get(claim.kind, claim.kind)
    kinds = [k for k in ITEM_NUMBER_FIELDS if ITEM_NUMBER_FAMILIES.get(k, k) == family]
    lookup: dict[str, object] = {"kind__in": kinds, f"params__{field_name}": number}
    if "rank" in claim.params:
        lookup["params__rank"] = claim.params["rank"]
    if claim.kind == "research_project":
        lookup["year"] = claim.year
    claims = (
        Claim.objects.filter(**lookup)
        .exclude(person_id=claim.person_id)
        .exclude(status__in=[Claim.Status.REJECTED, Claim.Status.WITHDRAWN])
        .values_list("person_id", flat=True)
    )
    entries = (
        LedgerEntry.objects.filter(reverses__isnull=True, reversed_by__isnull=True, **lookup)
        .exclude(person_id=claim.person_id)
        .values_list("person_id", flat=True)
    )
    return len(set(claims) | set(entries))


def draft_credit(
    *, person: Person, kind: str, year: int, params: dict[str, object]
) -> rules.Credit:
    """What a claim being written would credit if approved now, on the person's own ledger
    (the claim form's live preview). Raises `rules.InvalidCase`."""
    activity = _claim_activity(kind=kind, year=year, params=params)
    entries = list(LedgerEntry.objects.filter(person=person))
    evaluation = ledger_evaluate(person=person, entries=entries, appended=[activity])
    return evaluation.credits[-1]


def entry_credit(*, entry: LedgerEntry) -> rules.Credit | None:
    """What a recorded entry counts for on its person's ledger now (None: not live)."""
    entries = list(LedgerEntry.objects.filter(person_id=entry.person_id))
    evaluation = ledger_evaluate(person=entry.person, entries=entries)
    return next((c for c in evaluation.credits if c.id == entry.pk), None)


@dataclass(frozen=True)
class PersonHours:
    """One row of a people list: a person's credited hours in a year and what is missing, as
    the year total (`PersonYear`) holds them; someone with no hours has none, all still short."""

    person: Person
    public: Decimal
    professional: Decimal
    required_public: Decimal
    required_professional: Decimal
    shortfall_public: Decimal
    shortfall_professional: Decimal
    compliant: bool  # the engine's verdict: after make-up, exemption or an aid-service year

    @property
    def total(self) -> Decimal:
        return self.public + self.professional

    @property
    def shortfall(self) -> Decimal:
        return self.shortfall_public + self.shortfall_professional


class Compliance:
    COMPLIANT = "compliant"
    SHORT = "short"
    CHOICES = (COMPLIANT, SHORT)


@dataclass(frozen=True)
class PeopleHoursFilter:
    """What a people-with-hours list is narrowed to (all optional but the year)."""

    year: int
    query: str = ""  # a name, a unit's name, or a full resident ID number
    unit_id: int | None = None
    unit_name: str = ""  # every unit whose name contains it
    title_level: str | None = None  # "" = no title level recorded
    industry_id: int | None = None
    compliance: str = ""  # "", Compliance.COMPLIANT or Compliance.SHORT


def _zero_requirement_industries(year: int) -> list[str]:
    """Industries that require no hours in the year: their people comply without a total."""
    table = rule_table()
    return [
        code
        for code in Industry.objects.values_list("code", flat=True)
        if table.requirement_for(code, year).public + table.requirement_for(code, year).professional
        == 0
    ]


def people_with_hours(*, user: User, filters: PeopleHoursFilter) -> QuerySet[Person]:
    """The people this user reaches (a unit administrator: the unit's; a district: its units';
    the city: everyone), narrowed by `filters`, in (unit, name) order: one query, whatever the
    number of people; the compliance filter reads the year totals in the same query."""
    people = people_search(
        people=user.scope.people(Person.objects.select_related("unit", "industry")),
        query=filters.query,
    )
    if filters.unit_id is not None:
        people = people.filter(unit_id=filters.unit_id)
    if filters.unit_name:
        people = people.filter(unit__name__icontains=filters.unit_name)
    if filters.title_level is not None:
        people = people.filter(title_level=filters.title_level)
    if filters.industry_id is not None:
        people = people.filter(industry_id=filters.industry_id)
    if filters.compliance in Compliance.CHOICES:
        totals = PersonYear.objects.filter(person=OuterRef("pk"), year=filters.year)
        compliant = Q(Exists(totals.filter(compliant=True))) | (
            ~Q(Exists(totals)) & Q(industry__code__in=_zero_requirement_industries(filters.year))
        )
        people = people.filter(
            compliant if filters.compliance == Compliance.COMPLIANT else ~compliant
        )
    return people.order_by("unit_id", "name", "id")


ZERO = Decimal("0.0")
TENTH = Decimal("0.1")  # hours as the year totals hold them: one decimal place


def hours_of(*, people: Iterable[Person], year: int) -> list[PersonHours]:
    """The year's hours of these people, in their order: one query for the lot."""
    people = list(people)
    totals = {
        row.person_id: row
        for row in PersonYear.objects.filter(person__in=[p.pk for p in people], year=year)
    }
    table = rule_table()
    rows = []
    for person in people:
        total = totals.get(person.pk)
        if total is not None:
            rows.append(
                PersonHours(
                    person,
                    total.public,
                    total.professional,
                    total.required_public,
                    total.required_professional,
                    total.shortfall_public,
                    total.shortfall_professional,
                    total.compliant,
                )
            )
        else:
            requirement = table.requirement_for(person.industry.code, year)
            public, professional = (
                requirement.public.quantize(TENTH),
                requirement.professional.quantize(TENTH),
            )
            rows.append(
                PersonHours(
                    person,
                    ZERO,
                    ZERO,
                    public,
                    professional,
                    public,
                    professional,
                    public + professional == 0,
                )
            )
    return rows


def people_hours(*, user: User, year: int, short_only: bool = False) -> list[PersonHours]:
    """Every person this user reaches with the year's hours and shortfall (the unit
    administrator's list and home page); people with no hours count as short. A fixed number
    of queries whatever the size."""
    filters = PeopleHoursFilter(year=year, compliance=Compliance.SHORT if short_only else "")
    return hours_of(people=people_with_hours(user=user, filters=filters), year=year)
