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


def format_code(code: str) -> str:
    """ABCD-EFGH-JKMN-PQRS: four groups of four for reading aloud and typing."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
