"""Training plans filed by organisers (training bases and industry authorities; 备案) and the
rosters of qualified trainees (备查, Attachment 2).

A plan is filed at least 15 calendar days before it starts; the city acknowledges or returns it.
After the training, the organiser uploads the roster: it is checked whole and kept, encrypted, as a
`RosterUpload` until the organiser confirms it; confirming writes `RosterRow`s and ledger entries in
one transaction. One person appears once on a plan's roster (a database constraint), so the same
roster uploaded twice credits nobody twice.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hefei_cpe.history import baseline_on_first_edit


class Plan(models.Model):
    class Mode(models.TextChoices):
        ONLINE = "online", _("Online")
        FACE_TO_FACE = "face_to_face", _("Face-to-face")

    class Status(models.TextChoices):
        FILED = "filed", _("Filed, awaiting the city")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RETURNED = "returned", _("Plan returned by the city")
        REFUSED = "refused", _("Refused: filed too late")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Subject(models.TextChoices):
        # Organisers run professional-subject trainings (DESIGN §3.1); the public course is the
        # city's.
        PROFESSIONAL = "professional", _("Professional subjects")

    # A training base or an industry authority (apps.bases.Organiser).
    organiser = models.ForeignKey(
        "bases.Organiser",
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("organiser"),
    )
    title = models.CharField(_("training title"), max_length=200)
    subject = models.CharField(
        _("subject"), max_length=12, choices=Subject.choices, default=Subject.PROFESSIONAL
    )
    industry = models.ForeignKey(
        "people.Industry",
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("industry"),
    )
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    planned_hours = models.DecimalField(_("planned hours"), max_digits=6, decimal_places=1)
    place = models.CharField(_("place or platform"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.FILED, db_index=True
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("filed by"),
    )
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    refusal_reason = models.CharField(_("reason"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("city's note"), max_length=300, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    history = HistoricalRecords(verbose_name=_("training plan history"))

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")
        indexes = [
            models.Index(fields=["organiser", "-start_date", "-id"], name="plan_organiser_start")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_hours__gt=0), name="plan_planned_hours_positive"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="plan_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(subject="professional"), name="plan_subject_professional"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.start_date:%Y-%m-%d}）"

    @property
    def is_open_for_review(self) -> bool:
        return self.status == self.Status.FILED


baseline_on_first_edit(Plan)


class RosterUpload(models.Model):
    """A checked roster file between preview and confirmation.

    The parsed rows are kept server-side, encrypted (they hold ID numbers), so the confirmation
    never trusts anything posted back; confirming re-checks them against the database.
    """

    class Status(models.TextChoices):
        CHECKED = "checked", _("Checked, awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        DISCARDED = "discarded", _("Discarded")

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="uploads", verbose_name=_("training plan")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    filename = models.CharField(_("file"), max_length=200)
    sha256 = models.CharField(max_length=64)
    row_count = models.PositiveIntegerField(_("rows"))
    passed_count = models.PositiveIntegerField(_("qualified"))
    header = models.JSONField(default=dict, blank=True)
    # What the check found: new people, people already on the roster, units first met.
    summary = models.JSONField(default=dict, blank=True)
    # A Fernet token of the parsed rows (JSON); emptied once confirmed or discarded.
    payload = models.TextField(blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CHECKED
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    credited_count = models.PositiveIntegerField(_("credited"), default=0)
    already_count = models.PositiveIntegerField(_("already on the roster"), default=0)
    created_people = models.PositiveIntegerField(_("people registered"), default=0)
    created_units = models.PositiveIntegerField(_("units registered"), default=0)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("roster upload")
        verbose_name_plural = _("roster uploads")

    def __str__(self) -> str:
        return f"{self.plan} — {self.filename}"


class RosterRow(models.Model):
    """One line of a plan's confirmed roster, as the organiser reported it (Attachment 2)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="roster", verbose_name=_("training plan")
    )
    upload = models.ForeignKey(
        RosterUpload,
        on_delete=models.PROTECT,
        related_name="rows",
        verbose_name=_("roster upload"),
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="roster_rows",
        verbose_name=_("professional"),
    )
    number = models.PositiveIntegerField(_("No."))
    name = models.CharField(_("full name"), max_length=50)
    unit_name = models.CharField(_("unit"), max_length=100)
    title = models.CharField(_("technical title"), max_length=50, blank=True)
    hours = models.DecimalField(
        _("training hours"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    result = models.CharField(_("exam result"), max_length=10)
    remark = models.CharField(_("remark"), max_length=200, blank=True)
    passed = models.BooleanField(_("qualified"))

    class Meta:
        ordering = ["plan", "number", "id"]
        verbose_name = _("roster row")
        verbose_name_plural = _("roster rows")
        constraints = [
            # One credit per roster row: a person is on a plan's roster once.
            models.UniqueConstraint(fields=["plan", "person"], name="roster_row_once_per_plan"),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gt=Decimal("0")),
                name="roster_row_hours_positive",
            ),
            models.CheckConstraint(
                condition=Q(passed=False) | Q(hours__isnull=False),
                name="roster_row_passed_has_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}#{self.number} {self.name}"
