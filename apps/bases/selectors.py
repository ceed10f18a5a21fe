from __future__ import annotations

from django.db.models import QuerySet

from apps.accounts.models import Role, User
from apps.bases.models import TrainingBase


def bases_visible_to(*, user: User) -> QuerySet[TrainingBase]:
    if user.role == Role.CITY_OFFICER:
        return TrainingBase.objects.all()
    return TrainingBase.objects.filter(is_active=True)
