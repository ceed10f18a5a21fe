"""Summary tables behind the compliance reports, derived from `credits.PersonYear` and people.

`PersonYearFact` complements `PersonYear` (which holds the years a person has entries for):
one row per person and year of the reporting range, people with no hours at all included (as
short, 0 hours), with the dimensions a report filters by copied in, so a drill-down reads one
table. `ComplianceGroup` aggregates the facts per year × unit × industry × title level (the
unit fixes the jurisdiction and whether the unit is in the city's scope); dashboards read it.
Both are rebuilt in full by `summaries_refresh` and per person after every write that changes
hours (`facts_refresh`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.people.models import Industry, Jurisdiction, Person, Unit


def _hours(verbose_name: Any = None) -> models.DecimalField[Decimal, Decimal]:
    return models.DecimalField(verbose_name, max_digits=6, decimal_places=1, default=Decimal(0))


def _dimension(model: type[models.Model]) -> models.ForeignKey[models.Model, models.Model]:
    # Copied from the person when the summary is refreshed; no constraint, so a bulk refresh
    # does not check 6 million references it has just read from the referenced tables.
    return models.ForeignKey(
        model, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )


class PersonYearFact(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, db_constraint=False, db_index=False, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    unit = _dimension(Unit)
    jurisdiction = _dimension(Jurisdiction)
    industry = _dimension(Industry)
    title_level = models.CharField(max_length=20, blank=True, default="")
    # False for provincial and ministerial units: out of the city's scope (不含省、部属单位).
    in_scope = models.BooleanField(default=True)
    exempt = models.BooleanField(default=False)
    public = _hours(_("public hours"))
    professional = _hours(_("professional hours"))
    total = _hours(_("total hours"))
    shortfall_public = _hours()
    shortfall_professional = _hours()
    shortfall = _hours()  # the sum of both: the drill-down's default order
    compliant = models.BooleanField(default=False)
    made_up = models.BooleanField(default=False)  # this year's shortfall made up next year
    made_up_previous = models.BooleanField(default=False)  # this year made up the year before

    class Meta:
        verbose_name = _("person-year summary")
        verbose_name_plural = _("person-year summaries")
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="reports_fact_person_year"),
        ]
        indexes = [
            # Drill-down pages: seek paging in (shortfall desc, person) order, city or district.
            models.Index(
                fields=["year", "jurisdiction", "-shortfall", "person"], name="reports_fact_juris"
            ),
            models.Index(fields=["year", "-shortfall", "person"], name="reports_fact_city"),
            # A unit's people, and the incremental refresh of a unit's groups.
            models.Index(fields=["unit", "year"], name="reports_fact_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year}"


class Counts(models.Model):
    """The figures of a group of person-years: how many, compliant, short of what, hours."""

    people = models.PositiveIntegerField(default=0)
    compliant = models.PositiveIntegerField(default=0)
    exempt = models.PositiveIntegerField(default=0)
    no_hours = models.PositiveIntegerField(default=0)
    short_public = models.PositiveIntegerField(default=0)
    short_professional = models.PositiveIntegerField(default=0)
    short_both = models.PositiveIntegerField(default=0)
    made_up_previous = models.PositiveIntegerField(default=0)
    public_sum = models.DecimalField(max_digits=14, decimal_places=1, default=Decimal(0))
    professional_sum = models.DecimalField(max_digits=14, decimal_places=1, default=Decimal(0))

    class Meta:
        abstract = True


class ComplianceGroup(Counts):
    year = models.PositiveSmallIntegerField(_("year"))
    unit = _dimension(Unit)
    jurisdiction = _dimension(Jurisdiction)
    industry = _dimension(Industry)
    title_level = models.CharField(max_length=20, blank=True, default="")
    in_scope = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("compliance group")
        verbose_name_plural = _("compliance groups")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit", "industry", "title_level"], name="reports_group_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["year", "jurisdiction"], name="reports_group_juris"),
            models.Index(fields=["unit", "year"], name="reports_group_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.unit_id} {self.industry_id} {self.title_level}"


class ComplianceRollup(Counts):
    """`ComplianceGroup` summed over units: a few thousand rows a year, so the dashboards'
    breakdowns by jurisdiction, industry and title level and the trend read almost nothing.
    Rebuilt from the groups, in full and for the jurisdictions a change touched."""

    year = models.PositiveSmallIntegerField(_("year"))
    jurisdiction = _dimension(Jurisdiction)
    industry = _dimension(Industry)
    title_level = models.CharField(max_length=20, blank=True, default="")
    in_scope = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("compliance rollup")
        verbose_name_plural = _("compliance rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "jurisdiction", "industry", "title_level", "in_scope"],
                name="reports_rollup_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.jurisdiction_id} {self.industry_id} {self.title_level}"


class ComplianceUnitYear(Counts):
    """`ComplianceGroup` summed over industries and title levels: one row per year and unit
    (about 50,000 a year for the whole city), with the people short stored so that "the units
    with most people short" is an index scan instead of grouping a year's groups. Rebuilt from
    the groups, in full and for the units a change touched. Read when no industry or title
    level filter applies (with one, the groups are read: the filter narrows them)."""

    year = models.PositiveSmallIntegerField(_("year"))
    unit = _dimension(Unit)
    jurisdiction = _dimension(Jurisdiction)
    in_scope = models.BooleanField(default=True)
    short = models.PositiveIntegerField(default=0)  # people - compliant

    class Meta:
        verbose_name = _("compliance per unit")
        verbose_name_plural = _("compliance per unit")
        constraints = [
            models.UniqueConstraint(fields=["year", "unit"], name="reports_unityear_unique"),
        ]
        indexes = [
            # Units by people short, seek-paged: the city's, and a jurisdiction's.
            models.Index(fields=["year", "in_scope", "-short", "unit"], name="reports_unit_city"),
            models.Index(
                fields=["year", "jurisdiction", "in_scope", "-short", "unit"],
                name="reports_unit_juris",
            ),
            models.Index(fields=["unit"], name="reports_unityear_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.unit_id}"


class SummaryRefresh(models.Model):
    """When the summaries were computed: every full rebuild and incremental update."""

    class Kind(models.TextChoices):
        FULL = "full", _("Full rebuild")
        INCREMENTAL = "incremental", _("Incremental update")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    finished_at = models.DateTimeField(default=timezone.now, db_index=True)
    people = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-finished_at", "-id"]
        verbose_name = _("summary refresh")
        verbose_name_plural = _("summary refreshes")

    def __str__(self) -> str:
        return f"{self.kind} {self.finished_at:%Y-%m-%d %H:%M}"
