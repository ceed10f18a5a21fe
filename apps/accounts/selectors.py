from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from apps.accounts.models import Role, User
from apps.bases.models import TrainingBase
from apps.people.selectors import people_visible_to, units_visible_to


def home_summary(*, user: User) -> dict[str, Any]:
    """What each role's home page needs to show its next steps."""
    if user.role == Role.TRAINEE:
        person = people_visible_to(user=user).get()
        return {"person": person}
    if user.role == Role.BASE_STAFF:
        return {"base": user.base}
    people = people_visible_to(user=user)
    counts = people.aggregate(
        total=Count("id"),
        without_account=Count("id", filter=Q(account__isnull=True)),
        without_title_year=Count("id", filter=Q(title_year__isnull=True)),
    )
    summary: dict[str, Any] = {
        "people_total": counts["total"],
        "people_without_account": counts["without_account"],
        "people_without_title_year": counts["without_title_year"],
        "units_total": units_visible_to(user=user).count(),
    }
    if user.role == Role.CITY_OFFICER:
        summary["bases_active"] = TrainingBase.objects.filter(is_active=True).count()
        summary["bases_inactive"] = TrainingBase.objects.filter(is_active=False).count()
    return summary
