from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hefei_cpe.history import baseline_on_first_edit


class TrainingBase(models.Model):
    """A city-level continuing-education base (notice Attachment 1).

    Bases are deactivated, never deleted: plans, rosters and ledger entries keep pointing at them.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
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
    history = HistoricalRecords(verbose_name=_("training base history"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("training base")
        verbose_name_plural = _("training bases")

    def __str__(self) -> str:
        return self.name


baseline_on_first_edit(TrainingBase)
