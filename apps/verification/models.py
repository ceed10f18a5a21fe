"""Verifications of a tenure cycle's hours for a title application (学时验证) and the city's
re-review of senior ones (复核).

A verification is written once, complete: the evaluation's per-year breakdown and totals, the
officer's name and organisation, the date, the code and the stored PDF. Those columns never
change afterwards (the database refuses it, see `guard.py`); only the status moves on
(re-review, return, revocation), each move with its own who/when/why columns.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.people.models import Person

SENIOR_LEVELS = (Person.TitleLevel.ASSOCIATE_SENIOR, Person.TitleLevel.SENIOR)
OPINION_MAX_LENGTH = 150  # characters: a few sentences; a 5-year cycle's PDF stays on one page


def pdf_path(instance: Verification, filename: str) -> str:
    # Never the person's name or ID number in a file name.
    return f"verifications/{instance.application_year}/{instance.code}-{filename}"


class Verification(models.Model):
    class Status(models.TextChoices):
        REFUSED = "refused", _("Refused")
        AWAITING_REVIEW = "awaiting_review", _("Awaiting the city's re-review")
        VALID = "valid", _("Valid")
        RETURNED = "returned", _("Returned by the city")
        REVOKED = "revoked", _("Revoked")

    # --- frozen at issue -----------------------------------------------------------------
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="verifications",
        verbose_name=_("professional"),
    )
    person_name = models.CharField(_("full name"), max_length=50)
    id_number_masked = models.CharField(_("resident ID number"), max_length=18)
    unit_name = models.CharField(_("unit"), max_length=100)
    current_title = models.CharField(_("current title"), max_length=50, blank=True)
    title_applied = models.CharField(_("title applied for"), max_length=50)
    title_level = models.CharField(
        _("title level applied for"), max_length=20, choices=Person.TitleLevel.choices
    )
    application_year = models.PositiveSmallIntegerField(_("application year"))
    cycle_start = models.PositiveSmallIntegerField(_("cycle from"))
    cycle_end = models.PositiveSmallIntegerField(_("cycle to"))
    # How the cycle was derived (DESIGN §3.6): the title year it started from and the cap in
    # years for the level applied for. Null on verifications issued before the cycle was derived.
    title_year_used = models.PositiveSmallIntegerField(
        _("year of the current title used"), null=True, blank=True
    )
    cycle_cap = models.PositiveSmallIntegerField(_("cycle capped to years"), null=True, blank=True)
    # Years whose totals rest on the paper booklet (历史学时补录), as at issue.
    backfilled_years = models.JSONField(_("years from the paper booklet"), default=list, blank=True)
    total_hours = models.DecimalField(_("total hours"), max_digits=7, decimal_places=1)
    public_hours = models.DecimalField(_("public hours"), max_digits=7, decimal_places=1)
    professional_hours = models.DecimalField(
        _("professional hours"), max_digits=7, decimal_places=1
    )
    # One object per year of the cycle: hours, requirement, make-up, shortfall, reasons.
    years = models.JSONField(_("year by year"))
    compliant = models.BooleanField(_("compliant"))
    refusal_reasons = models.JSONField(_("reasons for refusal"), default=list, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("officer"),
    )
    officer_name = models.CharField(_("officer"), max_length=50)
    officer_org = models.CharField(_("verifying organisation"), max_length=100)
    jurisdiction = models.ForeignKey(
        "people.Jurisdiction",
        on_delete=models.PROTECT,
        related_name="verifications",
        verbose_name=_("jurisdiction"),
    )
    issued_at = models.DateTimeField(_("date"))
    # The issuing officer's own words on the application (区县审核意见), written with the issue or
    # the refusal. Empty only on rows recorded before it was asked for: shown as not given.
    opinion = models.CharField(_("verification opinion"), max_length=OPINION_MAX_LENGTH)
    # Printed on the PDF, so kept as is (normalised: 16 characters, upper case, no dashes).
    code = models.CharField(
        _("verification code"), max_length=16, unique=True, null=True, blank=True
    )
    pdf = models.FileField(_("PDF"), upload_to=pdf_path, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    # --- moves after issue ---------------------------------------------------------------
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    needs_review = models.BooleanField(_("needs the city's re-review"), default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("re-reviewed by"),
    )
    reviewer_name = models.CharField(_("re-reviewer"), max_length=50, blank=True)
    reviewer_org = models.CharField(_("re-reviewing organisation"), max_length=100, blank=True)
    reviewed_at = models.DateTimeField(_("re-reviewed at"), null=True, blank=True)
    return_reason = models.CharField(_("reason for return"), max_length=500, blank=True)
    reviewed_pdf = models.FileField(_("PDF with the re-review"), upload_to=pdf_path, blank=True)
    reviewed_pdf_sha256 = models.CharField(max_length=64, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)
    revoke_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)
    # Set when a later verification of the same person and application year is issued after
    # this one was revoked or returned: the public check names it.
    replaced_by = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("verification")
        verbose_name_plural = _("verifications")
        indexes = [
            models.Index(fields=["jurisdiction", "-issued_at"]),
            models.Index(fields=["status", "issued_at"]),
            models.Index(fields=["person", "-issued_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(cycle_start__lte=models.F("cycle_end"))
                & Q(cycle_end__lt=models.F("application_year")),
                name="verification_cycle_before_application",
            ),
            # A refusal has no code or PDF; anything else has both.
            models.CheckConstraint(
                condition=Q(status="refused", compliant=False, code__isnull=True, pdf="")
                | (
                    ~Q(status="refused")
                    & Q(compliant=True, code__isnull=False)
                    & ~Q(pdf="")
                    & ~Q(pdf_sha256="")
                ),
                name="verification_refused_or_issued",
            ),
            models.CheckConstraint(
                condition=~Q(status="awaiting_review") | Q(needs_review=True),
                name="verification_review_only_when_needed",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="verification_returned_with_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked")
                | (Q(revoked_at__isnull=False) & ~Q(revoke_reason="")),
                name="verification_revoked_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} {self.application_year} {self.title_applied}"

    @property
    def code_display(self) -> str:
        return format_code(self.code or "")

    @property
    def current_pdf(self) -> models.fields.files.FieldFile:
        """The PDF to hand out: the one with the city's re-review once there is one."""
        return self.reviewed_pdf if self.reviewed_pdf else self.pdf

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.VALID

    @property
    def cycle_capped(self) -> bool:
        """True when the cap, not the title year, set the cycle's first year."""
        return self.title_year_used is not None and self.cycle_start > self.title_year_used + 1


def format_code(code: str) -> str:
    """ABCD-EFGH-JKMN-PQRS: four groups of four for reading aloud and typing."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class CycleSetting(models.Model):
    """The city's cap on the tenure cycle per title level applied for (DESIGN §3.6): the cycle
    reaches back at most this many years. Rows are never changed: a change is a new row with
    who, when and why, so the history of the setting is the table itself."""

    DEFAULT_YEARS = 5
    MAX_YEARS = 15

    title_level = models.CharField(
        _("title level applied for"), max_length=20, choices=Person.TitleLevel.choices
    )
    years = models.PositiveSmallIntegerField(_("latest years verified"))
    reason = models.CharField(_("reason"), max_length=300)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_by_name = models.CharField(_("changed by"), max_length=50)
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        ordering = ["title_level", "-changed_at", "-id"]
        verbose_name = _("tenure cycle setting")
        verbose_name_plural = _("tenure cycle settings")
        indexes = [models.Index(fields=["title_level", "-changed_at", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(years__gte=1) & Q(years__lte=15), name="cycle_setting_years_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_title_level_display()} {self.years}"


class TitleYearChange(models.Model):
    """A correction of the year a person's current title was obtained, with its reason: the
    only way to mend a wrong tenure cycle. Kept for the city's re-review."""

    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="title_year_changes",
        verbose_name=_("professional"),
    )
    old_year = models.PositiveSmallIntegerField(_("earlier year"), null=True, blank=True)
    new_year = models.PositiveSmallIntegerField(_("corrected year"))
    reason = models.CharField(_("reason"), max_length=300)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("officer"),
    )
    officer_name = models.CharField(_("officer"), max_length=50)
    officer_org = models.CharField(_("organisation"), max_length=100)
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("title year correction")
        verbose_name_plural = _("title year corrections")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.old_year} → {self.new_year}"


def booklet_scan_path(instance: BookletBackfill, filename: str) -> str:
    # Encrypted at rest; never the person's name in the path.
    return f"booklet-scans/{instance.year}/{instance.person_id}-{filename}"


class BookletBackfill(models.Model):
    """Per-year totals copied from the paper booklet (历史学时补录) for a year before the portal's
    records, with a scan of the booklet's page. Its hours go on the ledger as `paper_booklet`
    entries (source 纸质证书补录), one per subject, reversed like any entry."""

    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="booklet_backfills",
        verbose_name=_("professional"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    public_hours = models.DecimalField(_("public hours"), max_digits=6, decimal_places=1)
    professional_hours = models.DecimalField(
        _("professional hours"), max_digits=6, decimal_places=1
    )
    booklet_number = models.CharField(_("booklet number"), max_length=50, blank=True)
    scan = models.FileField(_("scan of the booklet page"), upload_to=booklet_scan_path)
    scan_name = models.CharField(_("file name"), max_length=200)
    scan_type = models.CharField(_("file type"), max_length=40)
    scan_size = models.PositiveIntegerField(_("size"))
    scan_sha256 = models.CharField(max_length=64)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("officer"),
    )
    officer_name = models.CharField(_("officer"), max_length=50)
    officer_org = models.CharField(_("organisation"), max_length=100)
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["person_id", "year", "id"]
        verbose_name = _("paper booklet backfill")
        verbose_name_plural = _("paper booklet backfills")
        indexes = [models.Index(fields=["person", "year"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(public_hours__gte=0) & Q(professional_hours__gte=0),
                name="booklet_backfill_hours_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year}"

    @property
    def source_keys(self) -> tuple[str, str]:
        return (f"booklet:{self.pk}:public", f"booklet:{self.pk}:professional")
