"""Reads of verifications scoped by who is asking."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from apps.accounts.models import User
from apps.people.models import Person
from apps.verification.models import BookletBackfill, Verification


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
    every one issued; a refusal is not registered. The booklet PDF and the professional's web
    page (我的学时验证) both list exactly these, so the two never disagree."""
    return (
        Verification.objects.filter(person=person)
        .exclude(status=Verification.Status.REFUSED)
        .order_by("issued_at", "id")
    )


def refusals_of(*, person: Person) -> QuerySet[Verification]:
    """A person's refused verification requests with their reasons, newest first: shown on the
    professional's page beside the booklet's registrations, never registered in the booklet."""
    return Verification.objects.filter(person=person, status=Verification.Status.REFUSED).order_by(
        "-issued_at", "-id"
    )


def backfills_of(*, person: Person) -> QuerySet[BookletBackfill]:
    """A person's paper-booklet backfills (the caller fetched the person through its scope)."""
    return BookletBackfill.objects.filter(person=person).order_by("year", "id")


def backfill_get_for_user(*, user: User, pk: int) -> BookletBackfill:
    return get_object_or_404(
        user.scope.visible(
            BookletBackfill.objects.select_related("person"),
            jurisdiction="person__unit__jurisdiction",
        ),
        pk=pk,
    )


def related_verifications(*, verification: Verification) -> QuerySet[Verification]:
    """Every other verification or refusal of the same person and application year."""
    return (
        Verification.objects.filter(
            person_id=verification.person_id, application_year=verification.application_year
        )
        .exclude(pk=verification.pk)
        .order_by("-issued_at", "-id")
    )


def returned_to_office(*, user: User) -> QuerySet[Verification]:
    """Verifications the city returned to this office, not yet replaced: its to-do."""
    return user.scope.visible(
        Verification.objects.filter(status=Verification.Status.RETURNED, replaced_by__isnull=True),
        jurisdiction="jurisdiction",
        city=None,
    ).order_by("reviewed_at", "id")
