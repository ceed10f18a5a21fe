"""Setting an industry's yearly requirement, and refreshing its people's year totals."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from apps.accounts.models import User
from apps.people.models import Industry
from apps.requirements.models import IndustryRequirement
from apps.requirements.signals import requirement_changed


def requirement_set(
    *,
    industry: Industry,
    public: Decimal,
    professional: Decimal,
    basis: str,
    user: User | None,
) -> IndustryRequirement:
    """Sets (or changes) the industry's requirement; when the figures change, its people's year
    totals are rebuilt once the change commits (in a worker, chunk by chunk). An unchanged save
    writes nothing."""
    with transaction.atomic():
        requirement = (
            IndustryRequirement.objects.select_for_update().filter(industry=industry).first()
        )
        if requirement is None:
            requirement = IndustryRequirement(industry=industry)
        elif (
            requirement.in_force
            and requirement.public == public
            and requirement.professional == professional
            and requirement.basis == basis
        ):
            return requirement
        changes_figures = not (
            requirement.pk is not None
            and requirement.in_force
            and (requirement.public, requirement.professional) == (public, professional)
        )
        requirement.public = public
        requirement.professional = professional
        requirement.basis = basis
        requirement.in_force = True
        requirement.updated_by = user
        requirement.save()
        if changes_figures:  # the basis alone is quoted in reasons, never stored in totals
            _refresh_industry(industry)
    return requirement


def requirement_reset(*, industry: Industry, user: User | None) -> IndustryRequirement | None:
    """Puts the industry back on the notice's default (30 + 60, 72 before 2016). The row is
    kept, out of force, so its history stays readable."""
    with transaction.atomic():
        requirement = (
            IndustryRequirement.objects.select_for_update().filter(industry=industry).first()
        )
        if requirement is None or not requirement.in_force:
            return requirement
        requirement.in_force = False
        requirement.updated_by = user
        requirement.save()
        _refresh_industry(industry)
    return requirement


def _refresh_industry(industry: Industry) -> None:
    """The ledger rebuilds the industry's people's year totals once this commits."""
    requirement_changed.send(sender=IndustryRequirement, industry_id=industry.pk)
