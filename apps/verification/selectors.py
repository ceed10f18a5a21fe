"""Reads of verifications scoped by who is asking."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from apps.accounts.models import User
from apps.people.models import Person
from apps.verification.models import Verification


def verifications_visible_to(*, user: User) -> QuerySet[Verification]:
    """District officers (and city departments) see what their office issued or refused;
    the city sees everything; a professional sees their own."""
    return user.scope.visible(
        Verification.objects.all(), jurisdiction="jurisdiction", person="person"
    )


def verification_get_for_user(*, user: User, pk: int) -> Verification:
    return get_object_or_404(verifications_visible_to(user=user), pk=pk)


def review_queue(*, user: User) -> QuerySet[Verification]:
    """Senior verifications waiting for the city, oldest first."""
    return user.scope.visible(
        Verification.objects.filter(status=Verification.Status.AWAITING_REVIEW)
    ).order_by("issued_at", "id")


def verification_by_code(*, code: str) -> Verification | None:
    """The public check: an exact match on the unique, indexed code column (80 random bits,
    rate-limited per address, so the lookup's timing reveals nothing useful)."""
    return Verification.objects.filter(code=code).exclude(code__isnull=True).first()


def verifications_in_booklet(*, person: Person) -> QuerySet[Verification]:
    """The verifications the person's electronic booklet registers (学时验证登记), oldest first:
    every one issued; a refusal is not registered."""
    return (
        Verification.objects.filter(person=person)
        .exclude(status=Verification.Status.REFUSED)
        .order_by("issued_at", "id")
    )
