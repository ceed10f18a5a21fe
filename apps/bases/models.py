from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hefei_cpe.history import baseline_on_first_edit


class Organiser(models.Model):
    """Who organises professional-subject training and files its plans (notice §三): a
    city-level continuing-education base (Attachment 1) or an industry authority
    (行业主管部门), one of the city's departments that supervise an industry.

    Organisers are deactivated, never deleted: plans, rosters and ledger entries keep pointing
    at them. The app keeps its label `bases` (the table is `bases_organiser`).
    """

    class Kind(models.TextChoices):
        TRAINING_BASE = "training_base", _("Training base")
        INDUSTRY_AUTHORITY = "industry_authority", _("Industry authority")

    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.TRAINING_BASE
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    # The industry an authority supervises; its plans are for this industry only.
    industry = models.ForeignKey(
        "people.Industry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="authorities",
        verbose_name=_("industry"),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True, default="")
    notice_rows = models.CharField(
        _("rows in Attachment 1"),
        max_length=40,
        blank=True,
        default="",
        help_text=_("The row numbers under which the notice lists this base, e.g. 14、16."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    deactivated_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(verbose_name=_("organiser history"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")
        indexes = [models.Index(fields=["kind", "is_active"], name="organiser_kind_active")]
        constraints = [
            models.CheckConstraint(
                name="organiser_authority_has_industry",
                condition=Q(kind="training_base") | Q(industry__isnull=False),
                violation_error_message=_(
                    "An industry authority names the industry it supervises."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_authority(self) -> bool:
        return self.kind == self.Kind.INDUSTRY_AUTHORITY


baseline_on_first_edit(Organiser)
