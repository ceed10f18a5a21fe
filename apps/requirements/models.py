from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.people.models import Industry


class IndustryRequirement(models.Model):
    """The yearly requirement the city set for one industry (notice §四: "省行业主管部门对专业
    知识学时有更高或其他要求的，按行业主管部门规定执行").

    Without a row in force, the industry's people need the notice's 30 + 60 = 90 hours (72 before
    2016, always: Attachment 3). A requirement is switched off (`in_force`), never deleted, so its
    history stays on the 修改记录 page."""

    industry = models.OneToOneField(
        Industry,
        on_delete=models.PROTECT,
        related_name="requirement",
        verbose_name=_("industry"),
    )
    public = models.DecimalField(_("public subject hours"), max_digits=5, decimal_places=1)
    professional = models.DecimalField(
        _("professional subject hours"), max_digits=5, decimal_places=1
    )
    basis = models.CharField(
        _("basis"),
        max_length=100,
        help_text=_("Who requires it, as the reasons quote it, e.g. 市卫生健康委规定."),
    )
    in_force = models.BooleanField(_("in force"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(verbose_name=_("industry requirement history"))

    class Meta:
        ordering = ["industry__code"]
        verbose_name = _("industry requirement")
        verbose_name_plural = _("industry requirements")

    def __str__(self) -> str:
        return f"{self.industry}"

    @property
    def total(self) -> Decimal:
        return self.public + self.professional
