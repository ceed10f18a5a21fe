"""Each role's home page and the electronic booklet. Thin: parse, call a selector, render."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from apps.accounts.access import OFFICERS, PortalRequest, allow, allow_all_roles
from apps.accounts.models import Role
from apps.credits.selectors import ledger_build
from apps.people.models import Person
from apps.people.selectors import people_visible_to, person_get_for_user
from apps.portal import booklet
from apps.portal.selectors import home_summary
from apps.verification.selectors import verifications_in_booklet
from hefei_cpe.downloads import content_disposition

# By the user's scope: who they act for decides what their home page shows.
HOME_TEMPLATES: dict[str, str] = {
    "person": "portal/home_trainee.html",
    "organiser": "portal/home_organiser_staff.html",
    "unit": "portal/home_unit.html",
    "jurisdiction": "portal/home_officer.html",
    "city": "portal/home_officer.html",
}


@allow_all_roles
def home(request: PortalRequest) -> HttpResponse:
    user = request.user
    return render(request, HOME_TEMPLATES[user.scope.kind], home_summary(user=user))


def _booklet_response(person: Person) -> HttpResponse:
    pdf = booklet.booklet_pdf(
        ledger=ledger_build(person=person),
        verifications=list(verifications_in_booklet(person=person)),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        f"{person.name}-继续教育电子证书.pdf", fallback=f"booklet-{person.pk}.pdf", inline=True
    )
    return response


@allow(Role.TRAINEE)
def my_booklet(request: PortalRequest) -> HttpResponse:
    person = get_object_or_404(people_visible_to(user=request.user), pk=request.user.person_id)
    return _booklet_response(person)


@allow(*OFFICERS)
def person_booklet(request: PortalRequest, pk: int) -> HttpResponse:
    return _booklet_response(person_get_for_user(user=request.user, pk=pk))
