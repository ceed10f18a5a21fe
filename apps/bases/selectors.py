from __future__ import annotations

from django.db.models import QuerySet

from apps.accounts.models import User
from apps.bases.models import TrainingBase


def bases_visible_to(*, user: User) -> QuerySet[TrainingBase]:
    return user.scope.bases(TrainingBase.objects.all())
