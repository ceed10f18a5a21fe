"""Breadcrumbs on the pages of officers and unit administrators (issue 16 part 4): one shared
trail (templates/_breadcrumbs.html), inside <nav aria-label="面包屑">, starting at the home page,
on every page they open; a professional's pages, one level under the menu, carry none."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from apps.accounts.models import Role
from tests.conftest import client_for
from tests.factories import make_user
from tests.test_access import MATRIX

pytestmark = pytest.mark.django_db

TRAIL = re.compile(r'<nav class="breadcrumbs" aria-label="面包屑">\s*<ol>(.*?)</ol>', re.S)
ROLES = (Role.UNIT_ADMIN, Role.DISTRICT_OFFICER, Role.CITY_OFFICER)


@pytest.fixture
def personas(personas, person):
    return {**personas, Role.UNIT_ADMIN: make_user(Role.UNIT_ADMIN, unit=person.unit)}


def _steps(html: str) -> list[str]:
    match = TRAIL.search(html)
    assert match is not None, "no breadcrumb trail"
    return [
        re.sub(r"<[^>]+>", "", step).strip()
        for step in re.findall(r"<li>(.*?)</li>", match.group(1), re.S)
    ]


PAGES = [
    (name, role)
    for name, (method, _kwargs, _data, expected) in MATRIX.items()
    for role in ROLES
    if method == "get"
    and expected.get(role) == 200
    and name not in ("home", "healthz")
    and not name.startswith("admin:")  # Django's admin keeps its own breadcrumbs
]


@pytest.mark.parametrize(("name", "role"), PAGES)
def test_every_officer_page_has_the_trail(name, role, personas, person, base):
    _method, kwargs_of, data_of, _expected = MATRIX[name]
    ctx = {"person": person, "base": base, "personas": personas}
    url = reverse(name, kwargs=kwargs_of(ctx) if kwargs_of else None)
    response = client_for(personas[role]).get(url, data_of(ctx) if data_of else {})
    if not response["Content-Type"].startswith("text/html"):
        return  # a file, JSON: no page
    html = response.content.decode()
    steps = _steps(html)
    assert steps[0] == "首页"
    assert html.count('aria-label="面包屑"') == 1
    # A page names itself as the last step (templates/_here.html, _crumb.html); one that does
    # not yet still shows the trail to its menu section.


def test_a_persons_page_shows_where_it_lies(officer_client, person):
    html = officer_client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert _steps(html) == ["首页", "专业技术人员", person.name]
    assert f'<a href="{reverse("people:list")}">专业技术人员</a>' in html
    edit = officer_client.get(reverse("people:edit", args=[person.pk])).content.decode()
    assert _steps(edit) == ["首页", "专业技术人员", person.name, "更正信息"]
    assert f'<a href="{reverse("people:detail", args=[person.pk])}">{person.name}</a>' in edit
    ledger = officer_client.get(reverse("credits:person_ledger", args=[person.pk])).content.decode()
    assert _steps(ledger) == ["首页", "学时达标情况", person.name]


def test_the_section_page_itself_is_the_current_step(officer_client):
    html = officer_client.get(reverse("people:list")).content.decode()
    assert _steps(html) == ["首页", "专业技术人员"]
    assert '<span aria-current="page">专业技术人员</span>' in html


def test_a_professionals_pages_have_no_trail(trainee_client):
    for name in ("credits:my_ledger", "credits:claim_mine", "verification:mine", "home"):
        assert 'aria-label="面包屑"' not in trainee_client.get(reverse(name)).content.decode()


def test_the_home_page_has_no_trail(officer_client):
    assert 'aria-label="面包屑"' not in officer_client.get(reverse("home")).content.decode()
