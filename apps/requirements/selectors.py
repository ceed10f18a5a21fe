"""The requirements in force, as the rules table needs them.

`rule_table()` is read on every evaluation, so the requirements are kept in the cache (Redis
in production, shared by web and worker processes) and read from the database only after a
change; `requirements_forget` drops the cached copy when a requirement is saved."""

from __future__ import annotations

from decimal import Decimal

from django.core.cache import cache
from django.db.models import QuerySet

from apps.people.models import Industry
from apps.requirements.models import IndustryRequirement

CACHE_KEY = "requirements:in-force:v1"

# (industry code, professional, public, basis), sorted by code: hashable, so the table built
# from it is built once per process.
Snapshot = tuple[tuple[str, Decimal, Decimal, str], ...]


def requirements_in_force() -> Snapshot:
    snapshot: Snapshot | None = cache.get(CACHE_KEY)
    if snapshot is None:
        snapshot = requirements_read()
        cache.set(CACHE_KEY, snapshot, timeout=None)
    return snapshot


def requirements_read() -> Snapshot:
    """The requirements in force, from the database (one query)."""
    rows = (
        IndustryRequirement.objects.filter(in_force=True)
        .order_by("industry__code")
        .values_list("industry__code", "professional", "public", "basis")
    )
    return tuple((code, prof, pub, basis) for code, prof, pub, basis in rows)


def requirements_forget() -> None:
    cache.delete(CACHE_KEY)


def industries_with_requirements() -> QuerySet[Industry]:
    """Every industry with its requirement row, if any (one query)."""
    return Industry.objects.select_related("requirement", "requirement__updated_by").order_by(
        "code"
    )
