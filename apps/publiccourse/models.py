"""The yearly public course (公需课): the topics the city enters, the exam results it imports
from the provincial platform, and the import batches that brought them in.

A passed result is credited on the ledger (30 public hours per topic, from the rules engine)
under the key `public:<topic>:person:<person>`, so importing it again credits nothing twice.
"""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Punctuation a topic may or may not be written with: 《》, quotes of any width, spaces.
_TOPIC_NOISE = dict.fromkeys(map(ord, "《》〈〉<>\"'“”‘’「」『』 "), None)


def topic_key(title: str) -> str:
    """How a topic is matched: 《"十四五"大战略》, “十四五”大战略 and 十四五大战略 are one topic."""
    return unicodedata.normalize("NFKC", title).translate(_TOPIC_NOISE).lower()


class PublicTopic(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("topic"), max_length=150)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    # An inactive topic keeps its results but no longer accepts imported ones.
    is_active = models.BooleanField(_("open for imports"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("public course topic")
        verbose_name_plural = _("public course topics")
        ordering = ["-year", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "title"], name="public_topic_unique_title"),
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2100), name="public_topic_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}《{self.title}》"

    @property
    def key(self) -> str:
        return topic_key(self.title)


class ImportBatch(models.Model):
    """One upload of exam results. It is `pending` from the preview until the city confirms it;
    the plan (people and topics by primary key, no ID numbers) is dropped on confirmation."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Imported")

    year = models.PositiveSmallIntegerField(_("year"))
    file_name = models.CharField(_("file name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    skip_unknown = models.BooleanField(_("skip people not registered"), default=False)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("imported by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    plan = models.JSONField(default=dict, blank=True, editable=False)
    # The counts: as previewed while pending, as written once confirmed.
    rows = models.PositiveIntegerField(_("rows"), default=0)
    passes_credited = models.PositiveIntegerField(_("passes credited"), default=0)
    passes_after_failure = models.PositiveIntegerField(_("of which failed before"), default=0)
    passes_known = models.PositiveIntegerField(_("passes already credited"), default=0)
    failures_recorded = models.PositiveIntegerField(_("failures recorded"), default=0)
    failures_known = models.PositiveIntegerField(_("failures already recorded"), default=0)
    failures_after_pass = models.PositiveIntegerField(_("failures after a pass"), default=0)
    unknown_skipped = models.PositiveIntegerField(_("people not registered, skipped"), default=0)

    class Meta:
        verbose_name = _("public course import")
        verbose_name_plural = _("public course imports")
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending", confirmed_at__isnull=True)
                | Q(status="confirmed", confirmed_at__isnull=False),
                name="public_import_confirmed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.file_name}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class PublicResult(models.Model):
    """A person's result in one topic, as last imported. A pass stands: a later failure of the
    same topic does not take it back (the hours are on the ledger, which only corrections
    change)."""

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="public_results",
        verbose_name=_("professional"),
    )
    topic = models.ForeignKey(
        PublicTopic, on_delete=models.PROTECT, related_name="results", verbose_name=_("topic")
    )
    passed = models.BooleanField(_("passed"))
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.PROTECT,
        related_name="results",
        verbose_name=_("import"),
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        verbose_name = _("public course result")
        verbose_name_plural = _("public course results")
        ordering = ["topic_id", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "topic"], name="public_result_unique"),
        ]
        indexes = [models.Index(fields=["batch", "id"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.topic}: {'passed' if self.passed else 'failed'}"

    @property
    def source_key(self) -> str:
        return result_source_key(topic_id=self.topic_id, person_id=self.person_id)


def result_source_key(*, topic_id: int, person_id: int) -> str:
    return f"public:{topic_id}:person:{person_id}"
