"""Home pages and navigation (apps/portal): each role sees its own page, counts are scoped to
the asker, and the officer's page costs the same number of queries however many people."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import Role
from tests.conftest import client_for
from tests.factories import UnitFactory, make_person

TEMPLATES = {
    Role.TRAINEE: "portal/home_trainee.html",
    Role.ORGANISER_STAFF: "portal/home_organiser_staff.html",
    Role.DISTRICT_OFFICER: "portal/home_officer.html",
    Role.CITY_OFFICER: "portal/home_officer.html",
}


@pytest.mark.parametrize("role", list(TEMPLATES))
def test_it_shows_each_role_its_home_page(personas, role):
    response = client_for(personas[role]).get(reverse("home"))
    assert response.status_code == 200
    assert TEMPLATES[role] in [t.name for t in response.templates]


def test_the_trainee_sees_their_own_year(trainee_client, person):
    response = trainee_client.get(reverse("home"))
    assert response.context["person"] == person
    assert response.context["required"]["total"] == 90
    assert "李四" in response.content.decode()


def test_the_district_officer_counts_their_jurisdiction_only(officer_client, person, other_person):
    response = officer_client.get(reverse("home"))
    assert response.context["people_total"] == 1
    assert response.context["units_total"] == 1
    assert response.context["people_without_account"] == 0  # the trainee persona is theirs
    assert "bases_active" not in response.context


def test_the_city_counts_everybody_and_the_bases(city_client, person, other_person):
    response = city_client.get(reverse("home"))
    assert response.context["people_total"] == 2
    assert response.context["bases_active"] == 1


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def test_the_officer_home_page_does_not_grow_with_the_people(officer_client, shushan):
    few = _queries(officer_client)
    unit = UnitFactory(jurisdiction=shushan)
    for n in range(12):
        make_person(unit=unit, name=f"人员{n}")
    assert _queries(officer_client) == few


# (shown, not shown) in each role's navigation
NAVIGATION = {
    Role.TRAINEE: (
        {"credits:my_ledger", "credits:claim_new", "verification:mine", "bases:list"},
        {"people:list", "credits:claim_queue", "filings:plan_list", "admin:index"},
    ),
    Role.ORGANISER_STAFF: (
        {"filings:plan_list", "bases:list"},
        {"credits:my_ledger", "people:list", "filings:queue", "verification:list"},
    ),
    Role.DISTRICT_OFFICER: (
        {"credits:claim_queue", "people:list", "units:list", "verification:list"},
        {"filings:queue", "verification:review_queue", "admin:index", "credits:my_ledger"},
    ),
    Role.CITY_OFFICER: (
        {"credits:claim_queue", "filings:queue", "verification:review_queue", "admin:index"},
        {"verification:list", "filings:plan_list", "credits:my_ledger", "verification:mine"},
    ),
}


@pytest.mark.parametrize("role", list(NAVIGATION))
def test_it_shows_each_role_its_navigation(personas, role):
    shown, hidden = NAVIGATION[role]
    response = client_for(personas[role]).get(reverse("home"))
    urls = {item["url"] for item in response.context["nav_items"]}
    assert {reverse(name) for name in shown} <= urls
    assert not urls & {reverse(name) for name in hidden}
    assert [item["url"] for item in response.context["nav_items"] if item["active"]] == ["/"]


def test_the_navigation_never_links_a_role_to_a_page_its_view_refuses():
    """The menu's roles are a view of the one gate, not a second rule: every entry's roles are
    admitted by the @allow of the view it links to (the admin site admits the city alone)."""
    from django.urls import resolve

    from apps.accounts.access import access_intention
    from apps.portal.context_processors import NAVIGATION as MENU

    for _label, name, roles in MENU:
        if name.startswith("admin:"):
            assert set(roles) == {Role.CITY_OFFICER}, name
            continue
        allowed = access_intention(resolve(reverse(name)).func)
        assert allowed is not None and allowed != "public", name
        assert set(roles) <= set(allowed), f"{name}: {set(roles) - set(allowed)} are refused"
