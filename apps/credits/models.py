"""The hour ledger: append-only entries, the per-person-year totals kept from them, and claims.

A `LedgerEntry` is never updated or deleted: the database refuses it (see `guard.py`, installed
by migration 0002). A correction is a new entry that reverses an earlier one, with a reason.
`PersonYear` is derived: `person_years_refresh` rebuilds it from the entries at any time.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.rules.table import KIND_LABELS, KINDS

KIND_CHOICES = [(kind, KIND_LABELS[kind]) for kind in KINDS]


class Subject(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional subjects")
    PUBLIC = "public", _("Public subjects")


class Source(models.TextChoices):
    ROSTER = "roster", _("Training base roster")
    PUBLIC_COURSE = "public_course", _("Public course exam")
    CLAIM = "claim", _("Approved claim")
    CORRECTION = "correction", _("Correction")
    DEMO = "demo", _("Historical record")
    BOOKLET = "booklet", _("Paper booklet backfill")


def hours_field(verbose_name: Any = None, **options: Any) -> models.DecimalField[Any, Any]:
    """Hours: one decimal place (17.5), up to 99999.9."""
    return models.DecimalField(verbose_name, max_digits=6, decimal_places=1, **options)


class LedgerEntry(models.Model):
    """One credited item, as the rules engine valued it on its own (its nominal hours).

    Year-level cuts (self-study cap, either-or, the same paper twice) are applied when the
    person's entries are evaluated together, so an entry never has to change afterwards.
    """

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="ledger_entries",
        verbose_name=_("professional"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("activity"), max_length=30, choices=KIND_CHOICES)
    subject = models.CharField(_("subject"), max_length=12, choices=Subject.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    hours = hours_field(_("hours"))
    note = models.CharField(_("how the hours were found"), max_length=300, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    # Makes recording idempotent: the same roster row, exam result or claim is credited once.
    source_key = models.CharField(max_length=80, unique=True, null=True, blank=True)
    source_label = models.CharField(_("source"), max_length=200, blank=True)
    reviewer_name = models.CharField(_("reviewer"), max_length=50)
    reviewer_org = models.CharField(_("reviewing organisation"), max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    # When the activity took place, where known (a training's last day); the year is `year`.
    occurred_on = models.DateField(_("date of the activity"), null=True, blank=True)
    # When it was appended to the ledger: always the moment of recording, never backdated.
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["recorded_at", "id"]
        indexes = [models.Index(fields=["person", "year", "id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2100), name="ledger_entry_year_range"
            ),
            # An ordinary entry credits hours; a correction takes exactly those hours back.
            models.CheckConstraint(
                condition=(Q(reverses__isnull=True) & Q(hours__gte=0) & ~Q(source="correction"))
                | (
                    Q(reverses__isnull=False)
                    & Q(hours__lte=0)
                    & Q(source="correction")
                    & ~Q(reason="")
                ),
                name="ledger_entry_correction_shape",
            ),
            models.CheckConstraint(
                condition=Q(subject__in=["professional", "public"]),
                name="ledger_entry_subject_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()} {self.hours}"

    @property
    def is_correction(self) -> bool:
        return self.reverses_id is not None


class PersonYear(models.Model):
    """The credited hours and compliance of one person in one year, kept current from the ledger.

    City-wide reports aggregate this table (one narrow row per person and year) instead of
    evaluating a million ledgers.
    """

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="years",
        verbose_name=_("professional"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    public = hours_field(_("public hours"), default=Decimal("0.0"))
    professional = hours_field(_("professional hours"), default=Decimal("0.0"))
    total = hours_field(_("total hours"), default=Decimal("0.0"))
    required_public = hours_field(default=Decimal("30.0"))
    required_professional = hours_field(default=Decimal("60.0"))
    exempt = models.BooleanField(_("not assessed"), default=False)
    aid_service = models.BooleanField(default=False)
    compliant_before_make_up = models.BooleanField(default=False)
    made_up = models.BooleanField(_("made up next year"), default=False)
    compliant = models.BooleanField(_("compliant"), default=False)
    shortfall_public = hours_field(default=Decimal("0.0"))
    shortfall_professional = hours_field(default=Decimal("0.0"))
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("year total")
        verbose_name_plural = _("year totals")
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="person_year_unique"),
        ]
        indexes = [models.Index(fields=["year", "compliant"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year}: {self.total}"


class Claim(models.Model):
    """A professional's claim for an Attachment 3 activity (DESIGN §3.4).

    It goes to the unit's administrator first when the unit has an active one (单位初审,
    status `screening`), then to the office that decides it (`office`: the person's
    jurisdiction, or the city health authority for medical credits; status `pending`). Any
    reviewer may return it for correction (`returned`); the professional edits and resubmits
    it and it goes round again. Every step is a `ClaimStep`.
    """

    class Status(models.TextChoices):
        SCREENING = "screening", _("Awaiting unit screening")
        PENDING = "pending", _("Awaiting review")
        RETURNED = "returned", _("Returned for correction")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="claims",
        verbose_name=_("professional"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("activity"), max_length=30, choices=KIND_CHOICES)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # What the engine said when the claim was sent; the entry is valued again on approval.
    previewed_hours = hours_field(_("hours expected"))
    subject = models.CharField(_("subject"), max_length=12, choices=Subject.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    # 申报编号, e.g. SB2026-000123: the year of first submission and the claim's id.
    receipt_no = models.CharField(
        _("receipt number"), max_length=20, unique=True, null=True, blank=True
    )
    # When the professional confirmed 本人承诺信息属实 (last submission).
    attested_at = models.DateTimeField(_("confirmed true at"), null=True, blank=True)
    # The office that decides it, fixed at submission (DESIGN §3.4).
    office = models.ForeignKey(
        "people.Jurisdiction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewing office"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewer_name = models.CharField(_("reviewer"), max_length=50, blank=True)
    reviewer_org = models.CharField(_("reviewing organisation"), max_length=100, blank=True)
    opinion = models.CharField(_("review opinion"), max_length=500, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    entry = models.OneToOneField(
        LedgerEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claim",
        verbose_name=_("ledger entry"),
    )

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["status", "submitted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2100), name="claim_year_range"
            ),
            # Approved exactly when an entry was recorded for it.
            models.CheckConstraint(
                condition=Q(status="approved", entry__isnull=False)
                | (~Q(status="approved") & Q(entry__isnull=True)),
                name="claim_approved_has_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()} {self.title}"

    @property
    def is_open(self) -> bool:
        """Still on its way: awaiting someone's decision or the professional's correction."""
        return self.status in (self.Status.SCREENING, self.Status.PENDING, self.Status.RETURNED)


class ClaimStep(models.Model):
    """One step of a claim's way, kept for the professional and every reviewer to read."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted the claim")
        FORWARDED = "forwarded", _("Screened and forwarded")
        RETURNED = "returned", _("Returned for correction")
        RESUBMITTED = "resubmitted", _("Corrected and resubmitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="steps", verbose_name=_("claim")
    )
    action = models.CharField(_("decision"), max_length=12, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_name = models.CharField(_("by"), max_length=50, blank=True)
    actor_org = models.CharField(_("organisation"), max_length=100, blank=True)
    opinion = models.CharField(_("opinion"), max_length=500, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("claim step")
        verbose_name_plural = _("claim steps")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["claim", "at"])]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.action} {self.at:%Y-%m-%d}"


def evidence_path(instance: Evidence, filename: str) -> str:
    # The stored name never carries the uploaded name (which may hold personal data).
    # Kept as a Fernet token (apps.credits.claims), hence ".enc"; files stored before that keep
    # their names and are encrypted in place by migration 0004.
    return f"evidence/{instance.claim.person_id}/{instance.claim_id}/{instance.sha256[:16]}.enc"


class Evidence(models.Model):
    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("claim")
    )
    file = models.FileField(_("file"), upload_to=evidence_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=40)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name
