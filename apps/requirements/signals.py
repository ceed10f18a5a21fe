"""Any write of a requirement (the service, the admin, a shell) drops the cached copy, at once
and again when the transaction commits, so no process keeps reading the old figures."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from apps.requirements.models import IndustryRequirement
from apps.requirements.selectors import requirements_forget

# Sent inside the transaction of a change of an industry's figures, with `industry_id`: that
# industry's people's year totals are stale. The ledger (apps.credits) listens and rebuilds them;
# this foundation app knows nothing of it.
requirement_changed = Signal()


@receiver(post_save, sender=IndustryRequirement)
@receiver(post_delete, sender=IndustryRequirement)
def _forget(sender: type[IndustryRequirement], **kwargs: Any) -> None:
    requirements_forget()
    transaction.on_commit(requirements_forget)
