from __future__ import annotations

from django.db.models import QuerySet

from apps.accounts.models import User
from apps.bases.models import Organiser


def organisers_visible_to(*, user: User) -> QuerySet[Organiser]:
    return user.scope.organisers(Organiser.objects.select_related("industry"))


def organiser_of(*, user: User) -> Organiser | None:
    """The training base or industry authority this login acts for (None for anyone else)."""
    if user.scope.organiser_id is None:
        return None
    return Organiser.objects.select_related("industry").filter(pk=user.scope.organiser_id).first()


def authorities_visible_to(*, user: User) -> QuerySet[Organiser]:
    """The reference list of industry authorities (the city keeps it)."""
    return organisers_visible_to(user=user).filter(kind=Organiser.Kind.INDUSTRY_AUTHORITY)
