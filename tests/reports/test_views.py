"""The report pages: figures, scope, drill-down with seek paging, bad input, query counts."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from apps.accounts.models import Role
from apps.people.models import Industry, Jurisdiction, Person, Unit
from apps.reports.summaries import summaries_refresh
from tests.conftest import client_for
from tests.factories import UnitFactory, make_person, make_user
from tests.reports.helpers import credit

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports:dashboard")
PEOPLE = reverse("reports:people")
UNITS = reverse("reports:units")


def _city(shushan, baohe, people_per_unit: int) -> None:
    """Two units in 蜀山区, one in 包河区 and a provincial unit; a third of the people
    compliant in 2024, the rest with no hours."""
    units = [
        UnitFactory(jurisdiction=shushan),
        UnitFactory(jurisdiction=shushan),
        UnitFactory(jurisdiction=baohe),
        UnitFactory(jurisdiction=shushan, affiliation=Unit.Affiliation.PROVINCIAL),
    ]
    for unit in units:
        for n in range(people_per_unit):
            person = make_person(unit=unit, name=f"测试{n}")
            if n % 3 == 0:
                credit(person, 2024, public=30, professional=60)
    summaries_refresh()


def test_it_shows_the_city_its_compliance_by_jurisdiction(personas, shushan, baohe):
    _city(shushan, baohe, 3)
    response = client_for(personas[Role.CITY_OFFICER]).get(DASHBOARD, {"year": 2024})
    assert response.status_code == 200
    data = response.context["data"]
    # The persona trainee (no hours) is in 蜀山区 too: 3 + 3 + 1 people there.
    rows = {f.label: (f.people, f.compliant, f.short) for f in data.by_jurisdiction}
    assert rows == {"蜀山区": (7, 2, 5), "包河区": (3, 1, 2)}
    assert (data.total.people, data.total.compliant) == (10, 3)
    assert (data.out_of_scope.people, data.out_of_scope.compliant) == (3, 1)
    assert data.total.share == pytest.approx(30.0)
    html = response.content.decode()
    assert 'id="report-chart-data"' in html and "echarts.min.js" in html
    assert "<script>" not in html  # no inline script: the CSP forbids them


def test_it_shows_a_district_officer_their_jurisdiction_only(personas, shushan, baohe):
    _city(shushan, baohe, 3)
    response = client_for(personas[Role.DISTRICT_OFFICER]).get(DASHBOARD, {"year": 2024})
    data = response.context["data"]
    assert [f.label for f in data.by_jurisdiction] == ["蜀山区"]
    assert data.total.people == 7
    other = client_for(personas[Role.DISTRICT_OFFICER]).get(DASHBOARD, {"jurisdiction": baohe.pk})
    assert other.status_code == 404


def test_it_shows_a_city_department_officer_its_city_owned_units(db):
    department = Jurisdiction.objects.get(code="city-health")
    hospital = UnitFactory(jurisdiction=department, name="合肥市第一人民医院")
    make_person(unit=hospital)
    summaries_refresh()
    officer = make_user(Role.DISTRICT_OFFICER, jurisdiction=department)
    response = client_for(officer).get(DASHBOARD, {"year": 2024})
    assert [f.label for f in response.context["data"].by_jurisdiction] == ["市卫生健康委"]
    assert response.context["data"].worst_units[0].label == "合肥市第一人民医院"


def test_it_filters_the_dashboard_by_industry(personas, shushan, baohe):
    _city(shushan, baohe, 3)
    education = Industry.objects.get(code="education")
    response = client_for(personas[Role.CITY_OFFICER]).get(
        DASHBOARD, {"year": 2024, "industry": education.pk}
    )
    assert response.context["data"].total.people == 0


@pytest.mark.parametrize("people_per_unit", [2, 8])
def test_it_answers_the_dashboard_in_constant_queries(
    personas, shushan, baohe, people_per_unit, django_assert_num_queries
):
    _city(shushan, baohe, people_per_unit)
    client = client_for(personas[Role.CITY_OFFICER])
    # (the session comes from the cache) user; jurisdictions and industries (names, order,
    # filter lists: one query); the last full and incremental refresh (one query); the
    # groupings by jurisdiction, industry and title level and the trend (one query); the units
    # with most people short (names joined)
    with django_assert_num_queries(5):
        assert client.get(DASHBOARD, {"year": 2024}).status_code == 200


@pytest.mark.parametrize("people_per_unit", [2, 8])
def test_it_answers_the_people_list_in_constant_queries(
    personas, shushan, baohe, people_per_unit, django_assert_num_queries
):
    _city(shushan, baohe, people_per_unit)
    client = client_for(personas[Role.CITY_OFFICER])
    # user, the page of facts (people and units joined), freshness, the reference lists (one
    # query; the session comes from the cache)
    with django_assert_num_queries(4):
        assert client.get(PEOPLE, {"year": 2024}).status_code == 200
    # user, the page of units (names joined), freshness, the reference lists
    with django_assert_num_queries(4):
        assert client.get(UNITS, {"year": 2024}).status_code == 200


def test_it_pages_the_people_by_seeking_past_the_last_one(personas, shushan, baohe, settings):
    settings.REPORTS_PAGE_SIZE = 10
    _city(shushan, baohe, 8)
    client = client_for(personas[Role.CITY_OFFICER])
    seen, query, pages = [], {"year": 2024, "status": "all", "sort": "shortfall"}, 0
    while True:
        response = client.get(PEOPLE, query)
        page = response.context["page"]
        seen.extend((-row.shortfall, row.person_id) for row in page.rows)
        pages += 1
        if not page.next_after:
            break
        query["after"] = page.next_after
    assert pages == 3
    assert seen == sorted(seen) and len(set(seen)) == 25  # 3 units × 8 + the persona


def test_it_lists_the_people_short_with_masked_numbers_and_shortfalls(personas, shushan, baohe):
    _city(shushan, baohe, 3)
    response = client_for(personas[Role.DISTRICT_OFFICER]).get(PEOPLE, {"year": 2024})
    html = response.content.decode()
    rows = response.context["page"].rows
    assert len(rows) == 5 and all(not row.compliant for row in rows)
    assert all(row.shortfall_public == 30 and row.shortfall_professional == 60 for row in rows)
    assert re.search(r"340104\*{8}\d{3}[\dX]", html)
    assert not re.search(r"340104\d{12}", html)  # never a full ID number


def test_it_lists_the_provincial_units_people_on_their_own(personas, shushan, baohe):
    _city(shushan, baohe, 3)
    response = client_for(personas[Role.CITY_OFFICER]).get(
        PEOPLE, {"year": 2024, "scope": "out", "status": "all"}
    )
    assert len(response.context["page"].rows) == 3


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"year": "1999"}, "年度"),
        ({"year": "2023", "from_year": "2024"}, "趋势起始年度"),
        ({"sort": "name"}, "排序"),
        ({"after": "abc"}, "页"),
    ],
)
def test_it_names_the_field_of_a_bad_query(personas, query, field):
    response = client_for(personas[Role.CITY_OFFICER]).get(PEOPLE, query)
    assert response.status_code == 400
    assert f"{field}：" in response.content.decode()


def test_it_refuses_an_unknown_export(personas):
    url = reverse("reports:export", kwargs={"table": "secrets"})
    assert client_for(personas[Role.CITY_OFFICER]).get(url).status_code == 404


def test_it_ranks_the_units_the_same_from_the_units_table_and_from_filtered_groups(
    personas, shushan, baohe, settings
):
    """Unfiltered, the units page reads the per-unit table; filtered by the industry everyone
    is in, it sums the groups: the same units in the same order, paged alike."""
    settings.REPORTS_PAGE_SIZE = 2
    _city(shushan, baohe, 4)
    general = Industry.objects.get(code="general")
    assert set(Person.objects.values_list("industry_id", flat=True)) == {general.pk}
    client = client_for(personas[Role.CITY_OFFICER])

    def ranked(extra):
        seen, query = [], {"year": 2024, **extra}
        while True:
            page = client.get(UNITS, query).context["page"]
            seen.extend((f.key, f.people, f.short) for f in page.rows)
            if not page.next_after:
                return seen
            query["after"] = page.next_after

    plain = ranked({})
    assert [short for _, _, short in plain] == sorted((s for _, _, s in plain), reverse=True)
    provincial = Unit.objects.get(affiliation=Unit.Affiliation.PROVINCIAL)
    assert len(plain) >= 3 and provincial.pk not in {key for key, _, _ in plain}
    assert ranked({"industry": general.pk}) == plain


def _unit_admin_city(shushan, baohe):
    """`_city` with 3 people a unit; the administrator of the first 蜀山区 unit, whose people
    are a junior and an intermediate title (the first compliant in 2024) and one without."""
    _city(shushan, baohe, 3)
    local = Unit.objects.filter(jurisdiction=shushan, affiliation=Unit.Affiliation.LOCAL)
    unit = local.order_by("-pk").first()  # one of `_city`'s (the persona's unit is older)
    levels = [Person.TitleLevel.JUNIOR, Person.TitleLevel.INTERMEDIATE, ""]
    for person, level in zip(unit.people.order_by("pk"), levels, strict=True):
        person.title_level = level
        person.save()
    return unit, make_user(Role.UNIT_ADMIN, unit=unit)


def test_it_shows_a_unit_administrator_their_units_compliance(personas, shushan, baohe):
    unit, admin = _unit_admin_city(shushan, baohe)
    response = client_for(admin).get(DASHBOARD, {"year": 2024})
    assert response.status_code == 200
    data = response.context["data"]
    assert (data.total.people, data.total.compliant) == (3, 1)
    levels = {f.key: (f.people, f.compliant) for f in data.by_title_level}
    assert levels == {"junior": (1, 1), "intermediate": (1, 0), "": (1, 0)}
    assert [f.key for f in data.trend] == [2021, 2022, 2023, 2024]
    assert data.worst_units == []
    html = response.content.decode()
    assert unit.name in html and "按职称级别" in html
    # Every drill-down link of the page stays in the unit.
    links = re.findall(r'href="/reports/people/\?([^"]+)"', html)
    assert links and all(f"unit={unit.pk}" in link for link in links)


def test_it_limits_a_unit_administrators_drilldown_and_export_to_the_unit(personas, shushan, baohe):
    unit, admin = _unit_admin_city(shushan, baohe)
    client = client_for(admin)
    response = client.get(PEOPLE, {"year": 2024, "status": "all"})
    rows = response.context["page"].rows
    assert len(rows) == 3 and {row.unit_id for row in rows} == {unit.pk}
    units = client.get(UNITS, {"year": 2024}).context["page"].rows
    assert [f.key for f in units] == [unit.pk]
    export = client.get(
        reverse("reports:export", kwargs={"table": "people"}), {"year": 2024, "status": "all"}
    )
    assert export.status_code == 200
    assert export["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )


@pytest.mark.parametrize("url", [DASHBOARD, PEOPLE, UNITS, "export"])
def test_it_gives_a_unit_administrator_404_for_another_unit_or_jurisdiction(
    personas, shushan, baohe, url
):
    unit, admin = _unit_admin_city(shushan, baohe)
    if url == "export":
        url = reverse("reports:export", kwargs={"table": "people"})
    other_unit = Unit.objects.filter(jurisdiction=shushan).exclude(pk=unit.pk).first()
    client = client_for(admin)
    assert client.get(url, {"unit": other_unit.pk}).status_code == 404
    assert client.get(url, {"jurisdiction": baohe.pk}).status_code == 404
    assert client.get(url, {"unit": unit.pk}).status_code == 200


@pytest.mark.parametrize("people_per_unit", [2, 8])
def test_it_answers_the_unit_dashboard_in_constant_queries(
    personas, shushan, baohe, people_per_unit, django_assert_num_queries
):
    _city(shushan, baohe, people_per_unit)
    unit = Unit.objects.filter(jurisdiction=shushan).first()
    client = client_for(make_user(Role.UNIT_ADMIN, unit=unit))
    # user, the user's unit (also named in the header); jurisdictions and industries (one
    # query); the freshness; the unit's groups by jurisdiction, industry and title level and
    # the trend (one query; the session comes from the cache)
    with django_assert_num_queries(5):
        assert client.get(DASHBOARD, {"year": 2024}).status_code == 200


def test_it_escapes_names_in_the_tables(personas, shushan, baohe):
    _city(shushan, baohe, 2)
    local = Unit.objects.filter(jurisdiction=shushan, affiliation=Unit.Affiliation.LOCAL)
    unit = local.order_by("-pk").first()
    Unit.objects.filter(pk=unit.pk).update(name='<img src=x onerror="alert(1)">医院')
    summaries_refresh()
    html = client_for(personas[Role.CITY_OFFICER]).get(UNITS, {"year": 2024}).content.decode()
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;医院" in html
    assert "<img src=x" not in html


def test_it_serves_the_cached_figures_in_fewer_queries_until_a_refresh(
    personas, shushan, baohe, django_assert_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # the figures' own cache (the page's: the test below)
    _city(shushan, baohe, 2)
    client = client_for(personas[Role.CITY_OFFICER])
    # Cold: as above (the figures computed and stored in the cache).
    with django_assert_num_queries(5):
        cold = client.get(DASHBOARD, {"year": 2024})
    # Warm: user, jurisdictions and industries, freshness (the session and the figures come
    # from the cache).
    with django_assert_num_queries(3):
        warm = client.get(DASHBOARD, {"year": 2024})
    assert warm.context["data"] == cold.context["data"]
    assert warm.context["data"].total.people == 7 and warm.context["data"].worst_units
    # Another year, filter or language is another entry: computed again.
    with django_assert_num_queries(5):
        client.get(DASHBOARD, {"year": 2023})
    # A full rebuild changes the version: the next request computes the figures afresh.
    summaries_refresh()
    with django_assert_num_queries(5):
        client.get(DASHBOARD, {"year": 2024})


def without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def test_a_repeat_visit_is_the_cached_page_until_a_refresh(
    personas, shushan, baohe, django_assert_num_queries
):
    """The whole page from the cache (hefei_cpe.pagecache): nothing rendered (the test
    client sees no template context), the same HTML but for the CSRF token, in the queries
    that say whether it is still current: user, jurisdictions and industries (one query),
    freshness."""
    _city(shushan, baohe, 2)
    client = client_for(personas[Role.CITY_OFFICER])
    cold = client.get(DASHBOARD, {"year": 2024})
    assert cold.context["data"].total.people == 7
    with django_assert_num_queries(3):
        warm = client.get(DASHBOARD, {"year": 2024})
    assert warm.context is None and without_csrf(warm) == without_csrf(cold)
    summaries_refresh()
    assert client.get(DASHBOARD, {"year": 2024}).context["data"].total.people == 7
    Jurisdiction.objects.filter(pk=baohe.pk).update(name="包河区（改）")
    renamed = client.get(DASHBOARD, {"year": 2024})
    assert renamed.context is not None and "包河区（改）" in renamed.content.decode()


def test_it_shows_an_approved_claim_at_once_despite_the_cache(
    person, shushan, django_assert_num_queries
):
    from apps.credits.claims import claim_approve, claim_submit
    from apps.credits.evidence import evidence_check
    from tests.credits.helpers import png

    summaries_refresh()
    officer = make_user(Role.DISTRICT_OFFICER, jurisdiction=shushan)
    client = client_for(officer)
    query = {"year": 2025}
    before = client.get(DASHBOARD, query).context["data"]
    # A cache hit: user, the officer's jurisdiction (the scope and the header's name), the
    # reference lists (one query), the freshness; the whole page from the cache.
    with django_assert_num_queries(4):
        assert client.get(DASHBOARD, query).context is None
    claim = claim_submit(
        person=person,
        kind="paper",
        year=2025,
        params={"journal": "national", "chars": 3000, "indexed": False, "paper_id": "p1"},
        title="小学数学作业设计研究",
        description="",
        files=evidence_check([png()]),
        attested=True,
        today_year=2026,
    )
    claim_approve(claim=claim, officer=officer, opinion="")  # an incremental refresh
    after = client.get(DASHBOARD, query).context["data"]
    assert after.total.professional_sum > before.total.professional_sum
    assert after.total.people == before.total.people
    row = next(f for f in after.by_jurisdiction if f.key == shushan.pk)
    assert row.professional_sum == after.total.professional_sum


@pytest.mark.parametrize("page_cache", [0, 3600])
def test_it_never_shows_one_scope_the_figures_cached_for_another(
    personas, shushan, baohe, settings, page_cache
):
    """The figures' cache (pages rendered every time) and the page cache on top of it: the
    warm round's pages are the cold round's, which show each scope its own figures."""
    settings.PAGE_CACHE_SECONDS = page_cache
    _city(shushan, baohe, 3)
    city = client_for(personas[Role.CITY_OFFICER])
    assert city.get(DASHBOARD, {"year": 2024}).context["data"].total.people == 10
    # The city officer's pick of 包河区 is cached first, then 包河区's own officer and 蜀山区's
    # officer (the persona) ask for the same year: each sees their own jurisdiction only.
    picked = city.get(DASHBOARD, {"year": 2024, "jurisdiction": baohe.pk}).context["data"]
    assert picked.total.people == 3
    baohe_officer = client_for(make_user(Role.DISTRICT_OFFICER, jurisdiction=baohe))
    shushan_officer = client_for(personas[Role.DISTRICT_OFFICER])
    pages = {}
    for round_ in range(2):  # cold, then warm
        responses = {
            "own": baohe_officer.get(DASHBOARD, {"year": 2024}),
            "other": shushan_officer.get(DASHBOARD, {"year": 2024}),
        }
        if round_ and page_cache:
            for name, response in responses.items():
                assert response.context is None and without_csrf(response) == pages[name]
            continue
        pages = {name: without_csrf(response) for name, response in responses.items()}
        own, other = (responses[name].context["data"] for name in ("own", "other"))
        assert [f.label for f in own.by_jurisdiction] == ["包河区"] and own.total.people == 3
        assert [f.label for f in other.by_jurisdiction] == ["蜀山区"] and other.total.people == 7
        assert {u.key for u in other.worst_units}.isdisjoint({u.key for u in own.worst_units})
    # A unit's administrator: their unit's groups, never its jurisdiction's cached figures.
    local = Unit.objects.filter(jurisdiction=shushan, affiliation=Unit.Affiliation.LOCAL)
    unit = local.order_by("-pk").first()  # one of the city's (3 people)
    admin = client_for(make_user(Role.UNIT_ADMIN, unit=unit))
    first = admin.get(DASHBOARD, {"year": 2024})
    mine = first.context["data"]
    assert mine.total.people == 3 and mine.worst_units == []
    again = admin.get(DASHBOARD, {"year": 2024})
    if page_cache:
        assert again.context is None and without_csrf(again) == without_csrf(first)
    else:
        assert again.context["data"].total.people == 3


def test_it_names_jurisdictions_afresh_on_a_cached_dashboard(personas, shushan, baohe):
    _city(shushan, baohe, 2)
    client = client_for(personas[Role.CITY_OFFICER])
    client.get(DASHBOARD, {"year": 2024})
    Jurisdiction.objects.filter(pk=baohe.pk).update(name="包河区（新）")
    rows = client.get(DASHBOARD, {"year": 2024}).context["data"].by_jurisdiction
    assert "包河区（新）" in [f.label for f in rows]


def test_the_cache_key_differs_by_scope_year_filters_and_version(shushan, baohe):
    from apps.reports.selectors import GroupFilter, ReportScope, dashboard_cache_key

    unit = UnitFactory(jurisdiction=shushan)
    scopes = [
        ReportScope(jurisdiction=None, may_choose_jurisdiction=True),
        ReportScope(jurisdiction=shushan, may_choose_jurisdiction=True),
        ReportScope(jurisdiction=shushan, may_choose_jurisdiction=False),
        ReportScope(jurisdiction=baohe, may_choose_jurisdiction=False),
        ReportScope(jurisdiction=None, may_choose_jurisdiction=False, unit=unit),
    ]
    keys = {
        dashboard_cache_key(scope=s, year=y, years=ys, filters=f, version=v)
        for s in scopes
        for y in (2024, 2025)
        for ys in ([2024], [2021, 2022, 2023, 2024, 2025])
        for f in (GroupFilter(), GroupFilter(industry_id=1), GroupFilter(title_level=""))
        for v in ("1.5-0", "1.5-2.7")
    }
    # The same jurisdiction picked by a city officer and seen by its own officer is the same
    # figures (one entry); every other combination is its own.
    assert len(keys) == 4 * 2 * 2 * 3 * 2


def test_the_first_visit_after_a_refresh_renders_the_figures_only(
    personas, shushan, baohe, settings
):
    """The frame (header, menu, heading, filter form) is kept without the summaries' version:
    after a refresh the figures are rendered into it, and the page is the one a full
    rendering gives."""
    _city(shushan, baohe, 2)
    client = client_for(personas[Role.CITY_OFFICER])
    first = client.get(DASHBOARD, {"year": 2024})
    assert "reports/dashboard.html" in [t.name for t in first.templates]
    assert first.context["data"].total.people == 7
    unit = Unit.objects.filter(jurisdiction=baohe).first()
    credit(make_person(unit=unit, name="新来的"), 2024, public=30, professional=60)
    summaries_refresh()
    after = client.get(DASHBOARD, {"year": 2024})
    names = [t.name for t in after.templates]
    assert "reports/_dashboard_figures.html" in names and "reports/dashboard.html" not in names
    assert after.context["data"].total.people == 8  # the refreshed figures
    settings.PAGE_CACHE_SECONDS = 0  # the same page rendered whole
    whole = client.get(DASHBOARD, {"year": 2024})
    assert "reports/dashboard.html" in [t.name for t in whole.templates]
    assert without_csrf(after) == without_csrf(whole)


@pytest.mark.parametrize("change", ["filter", "name", "user"])
def test_the_frame_is_rendered_again_for_what_it_shows(personas, shushan, baohe, change):
    _city(shushan, baohe, 2)
    client = client_for(personas[Role.CITY_OFFICER])
    query = {"year": 2024}
    client.get(DASHBOARD, query)
    summaries_refresh()
    if change == "filter":
        query["industry"] = Industry.objects.get(code="education").pk
    elif change == "name":
        Jurisdiction.objects.filter(pk=baohe.pk).update(name="包河区（新）")
    else:
        client = client_for(make_user(Role.CITY_OFFICER))
    response = client.get(DASHBOARD, query)
    assert "reports/dashboard.html" in [t.name for t in response.templates]
    if change == "name":
        assert "包河区（新）" in response.content.decode()
