from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from apps.accounts.models import User
from apps.bases.models import Organiser
from apps.bases.selectors import organiser_of
from apps.credits.ledger import rule_table
from apps.credits.models import Claim, PersonYear
from apps.credits.selectors import people_hours, review_queue
from apps.filings.selectors import organiser_todos
from apps.people.selectors import people_visible_to, units_visible_to
from apps.verification.selectors import returned_to_office


def home_summary(*, user: User) -> dict[str, Any]:
    """What each role's home page needs to show its next steps."""
    scope = user.scope
    if scope.person_id is not None:
        person = people_visible_to(user=user).get()
        year = timezone.localdate().year
        table = rule_table()
        requirement = table.requirement_for(person.industry.code, year)
        return {
            "person": person,
            "year": year,
            "required": {
                "public": requirement.public,
                "professional": requirement.professional,
                "total": requirement.public + requirement.professional,
                # Which rule set these figures: the notice, or the industry's own (notice §四).
                "rule": table.requirement_rule(person.industry.code, year),
            },
            "this_year": PersonYear.objects.filter(person=person, year=year).first(),
            "claims_pending": person.claims.filter(status=Claim.Status.PENDING).count(),
        }
    if scope.organiser_id is not None:
        return {"organiser": organiser_of(user=user), "todos": organiser_todos(user=user)}
    if scope.unit_id is not None:
        year = timezone.localdate().year
        rows = people_hours(user=user, year=year)
        return {
            "unit": user.unit,
            "year": year,
            "people_total": len(rows),
            "people_short": sum(1 for row in rows if not row.compliant),
            "people_without_account": people_visible_to(user=user)
            .filter(account__isnull=True)
            .count(),
            "claims_to_screen": review_queue(user=user).count(),
        }
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
    summary["claims_pending"] = review_queue(user=user).count()
    summary["verifications_returned"] = list(returned_to_office(user=user)[:20])
    if scope.whole_city:
        organisers = Organiser.objects.aggregate(
            bases_active=Count("id", filter=Q(kind=Organiser.Kind.TRAINING_BASE, is_active=True)),
            authorities_active=Count(
                "id", filter=Q(kind=Organiser.Kind.INDUSTRY_AUTHORITY, is_active=True)
            ),
            organisers_inactive=Count("id", filter=Q(is_active=False)),
        )
        summary.update(organisers)
    return summary
