"""What the ledger does when a foundation app says its figures changed."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from apps.credits.models import LedgerEntry
from apps.credits.tasks import person_years_refresh_later
from apps.requirements.signals import requirement_changed


@receiver(requirement_changed)
def _industry_requirement_changed(sender: Any, industry_id: int, **kwargs: Any) -> None:
    """Everyone of the industry with a ledger entry has stored year totals: rebuild them in a
    worker, chunk by chunk, once the change commits (at once when tasks run eagerly)."""
    ids = (
        LedgerEntry.objects.filter(person__industry_id=industry_id)
        .values_list("person_id", flat=True)
        .distinct()
    )
    person_years_refresh_later(person_ids=list(ids))
