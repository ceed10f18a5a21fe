"""Default deny: every URL states its access intention, and every URL is checked for every role."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apps.accounts.access import access_intention
from apps.accounts.models import Role
from tests.conftest import client_for
from tests.filings.support import matrix_plan, matrix_upload
from tests.publiccourse import access as publiccourse
from tests.verification.support import matrix_backfill, matrix_verification

A, T, B, D, C = (
    "anonymous",
    Role.TRAINEE,
    Role.ORGANISER_STAFF,
    Role.DISTRICT_OFFICER,
    Role.CITY_OFFICER,
)
U = Role.UNIT_ADMIN  # the administrator of the persona trainee's unit
LOGIN = "login"  # expected: redirect to the login page
OFFICERS_ONLY = {A: LOGIN, T: 403, B: 403, U: 403, D: 200, C: 200}
# People registration: the officers, and the unit's administrator for its own people.
REGISTRARS = {**OFFICERS_ONLY, U: 200}
SIGNED_IN = {A: LOGIN, T: 200, B: 200, U: 200, D: 200, C: 200}


def _person(ctx):
    return {"pk": ctx["person"].pk}


def _unit_admin(ctx):
    """The administrator persona of the persona trainee's unit."""
    from apps.accounts.models import User

    admin = User.objects.get(role=Role.UNIT_ADMIN, unit=ctx["person"].unit)
    return {"pk": admin.unit_id, "user_pk": admin.pk}


def _authority(ctx):
    """An industry authority of the city's reference list."""
    from tests.factories import AuthorityFactory

    return {"pk": AuthorityFactory().pk}


def _organiser_staff(ctx):
    """The staff persona's login under its own organiser (the persona base)."""
    return {"pk": ctx["base"].pk, "user_pk": ctx["personas"][Role.ORGANISER_STAFF].pk}


def _person_import(ctx):
    """A checked people import of the district officer persona: another officer gets 404."""
    from apps.accounts.models import User
    from apps.people.models import PersonImport

    jurisdiction = ctx["person"].unit.jurisdiction
    officer = User.objects.get(role=Role.DISTRICT_OFFICER, jurisdiction=jurisdiction)
    upload = PersonImport.objects.create(officer=officer, filename="a.xlsx", row_count=0)
    return {"pk": upload.pk}


UPLOADER_ONLY = {A: LOGIN, T: 403, B: 403, U: 404, D: 200, C: 404}
TRAINEE_ONLY = {A: LOGIN, T: 200, B: 403, U: 403, D: 403, C: 403}
REPORTS = {A: LOGIN, T: 404, B: 404, U: 200, D: 200, C: 200}
OWNER_AND_OFFICERS = {A: LOGIN, T: 200, B: 403, U: 403, D: 200, C: 200}
CLAIM_READERS = {**OWNER_AND_OFFICERS, U: 200}


def _claim(ctx):
    """A pending claim of the persona trainee's person, with one evidence file."""
    from apps.credits.claims import claim_submit
    from apps.credits.evidence import evidence_check
    from tests.credits.helpers import png

    if "claim" not in ctx:
        ctx["claim"] = claim_submit(
            person=ctx["person"],
            kind="city_award",
            year=2025,
            params={"grade": 1, "rank": 1, "award_no": "HF-2025-001"},
            title="合肥市科学技术奖",
            description="",
            files=evidence_check([png()]),
            attested=True,
        )
    return ctx["claim"]


def _entry(ctx):
    from apps.credits.models import Source
    from apps.credits.services import EntryDraft, Reviewer, entry_record

    return entry_record(
        draft=EntryDraft(
            person_id=ctx["person"].pk,
            year=2025,
            kind="base_training",
            params={"hours": 40},
            source=Source.ROSTER,
            source_key="matrix:1",
        ),
        reviewer=Reviewer(name="测试", organisation="测试单位"),
    )


def _job(ctx):
    """A finished job with a file, owned by the district officer persona: its owner sees it,
    every other user (whatever their role) gets 404."""
    from django.core.files.base import ContentFile

    from apps.jobs.models import Job

    if "job" not in ctx:
        job = Job.objects.create(
            owner=ctx["personas"][D], kind="verification.zip", label="打包", status="done"
        )
        job.result_file.save("result.zip", ContentFile(b"PK"), save=False)
        job.result_name = "result.zip"
        job.save()
        ctx["job"] = job
    return {"pk": ctx["job"].pk}


OWNER_ONLY = {A: LOGIN, T: 404, B: 404, U: 404, D: 200, C: 404}

# url name -> (method, kwargs builder, POST data builder, expected status per role)
MATRIX = {
    "home": ("get", None, None, SIGNED_IN),
    "accounts:login": ("get", None, None, {A: 200, T: 302, B: 302, U: 302, D: 302, C: 302}),
    "accounts:logout": ("post", None, None, {A: 302, T: 302, B: 302, U: 302, D: 302, C: 302}),
    "accounts:activate": ("get", None, None, {A: 200, T: 302, B: 302, U: 302, D: 302, C: 302}),
    "accounts:activate_login": (
        "get",
        None,
        None,
        {A: 200, T: 302, B: 302, U: 302, D: 302, C: 302},
    ),
    "accounts:password_change": ("get", None, None, SIGNED_IN),
    "accounts:password_change_done": ("get", None, None, SIGNED_IN),
    "people:list": ("get", None, None, REGISTRARS),
    "people:create": ("get", None, None, REGISTRARS),
    "people:access_log": ("get", None, None, OFFICERS_ONLY),
    "people:issue_codes": (
        "post",
        None,
        lambda ctx: {"person": [ctx["person"].pk]},
        REGISTRARS,
    ),
    "people:import": ("get", None, None, REGISTRARS),
    "people:import_template": ("get", None, None, REGISTRARS),
    "people:import_preview": ("get", _person_import, None, UPLOADER_ONLY),
    "people:import_confirm": ("post", _person_import, None, {**UPLOADER_ONLY, D: 302}),
    "people:import_discard": ("post", _person_import, None, {**UPLOADER_ONLY, D: 302}),
    "people:detail": ("get", _person, None, REGISTRARS),
    "people:edit": ("get", _person, None, REGISTRARS),
    "people:history": ("get", _person, None, REGISTRARS),
    "people:id_number": ("post", _person, None, OFFICERS_ONLY),
    "people:issue_code": ("post", _person, None, REGISTRARS),
    "units:list": ("get", None, None, OFFICERS_ONLY),
    "units:create": ("get", None, None, OFFICERS_ONLY),
    "units:edit": ("get", lambda ctx: {"pk": ctx["person"].unit_id}, None, OFFICERS_ONLY),
    "units:history": ("get", lambda ctx: {"pk": ctx["person"].unit_id}, None, OFFICERS_ONLY),
    "units:admins": ("get", lambda ctx: {"pk": ctx["person"].unit_id}, None, OFFICERS_ONLY),
    "units:admin_code": ("post", _unit_admin, None, OFFICERS_ONLY),
    "units:admin_suspend": (
        "post",
        _unit_admin,
        None,
        {A: LOGIN, T: 403, B: 403, U: 403, D: 302, C: 302},
    ),
    "bases:list": ("get", None, None, SIGNED_IN),
    "bases:authority_new": (
        "get",
        None,
        None,
        {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 200},
    ),
    "bases:authority_edit": (
        "get",
        _authority,
        None,
        {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 200},
    ),
    "bases:toggle": (
        "post",
        lambda ctx: {"pk": ctx["base"].pk},
        None,
        {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 302},
    ),
    "bases:history": (
        "get",
        lambda ctx: {"pk": ctx["base"].pk},
        None,
        {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 200},
    ),
    "bases:staff": (
        "get",
        lambda ctx: {"pk": ctx["base"].pk},
        None,
        {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 200},
    ),
    "bases:staff_code": (
        "post",
        _organiser_staff,
        None,
        {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 200},
    ),
    "bases:staff_suspend": (
        "post",
        _organiser_staff,
        None,
        {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 302},
    ),
    "requirements:list": ("get", None, None, {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 200}),
    "requirements:edit": (
        "get",
        lambda ctx: {"pk": ctx["person"].industry_id},
        None,
        {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 200},
    ),
    "requirements:reset": (
        "post",
        lambda ctx: {"pk": ctx["person"].industry_id},
        None,
        {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 302},
    ),
    "requirements:history": (
        "get",
        lambda ctx: {"pk": ctx["person"].industry_id},
        None,
        {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 200},
    ),
    "admin:index": ("get", None, None, {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 200}),
    "admin:people_person_changelist": (
        "get",
        None,
        None,
        {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 200},
    ),
    "admin:bases_organiser_import": (
        "get",
        None,
        None,
        {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 200},
    ),
    "admin:accounts_user_changelist": (
        "get",
        None,
        None,
        {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 200},
    ),
    # apps.credits: the ledger, the booklet and claims
    "admin:credits_ledgerentry_changelist": (
        "get",
        None,
        None,
        {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 200},
    ),
    "credits:my_ledger": ("get", None, None, TRAINEE_ONLY),
    "portal:my_booklet": ("get", None, None, TRAINEE_ONLY),
    "credits:person_ledger": ("get", _person, None, REGISTRARS),
    "portal:person_booklet": ("get", _person, None, OFFICERS_ONLY),
    "credits:entry_reverse": ("get", lambda ctx: {"pk": _entry(ctx).pk}, None, OFFICERS_ONLY),
    "credits:claim_new": ("get", None, None, TRAINEE_ONLY),
    "credits:claim_create": ("get", lambda ctx: {"kind": "paper"}, None, TRAINEE_ONLY),
    "credits:claim_preview": (
        "post",
        lambda ctx: {"kind": "city_award"},
        lambda ctx: {"year": 2025, "title": "x", "grade": "1", "rank": "1", "award_no": "A-1"},
        TRAINEE_ONLY,
    ),
    "credits:claim_queue": ("get", None, None, REGISTRARS),
    "credits:claim_mine": ("get", None, None, TRAINEE_ONLY),
    "credits:claim_approve_bulk": (
        "post",
        None,
        lambda ctx: {"claim": [_claim(ctx).pk]},
        {A: LOGIN, T: 403, B: 403, U: 403, D: 302, C: 302},
    ),
    "credits:claim_correct": (
        "get",
        lambda ctx: {"pk": _claim(ctx).pk},
        None,
        {A: LOGIN, T: 302, B: 403, U: 403, D: 403, C: 403},
    ),
    "credits:unit_people": ("get", None, None, {A: LOGIN, T: 403, B: 403, U: 302, D: 302, C: 302}),
    "credits:people_hours": ("get", None, None, {**OFFICERS_ONLY, U: 200}),
    "credits:claim_detail": ("get", lambda ctx: {"pk": _claim(ctx).pk}, None, CLAIM_READERS),
    "credits:claim_withdraw": (
        "post",
        lambda ctx: {"pk": _claim(ctx).pk},
        None,
        {A: LOGIN, T: 302, B: 403, U: 403, D: 403, C: 403},
    ),
    "credits:claim_review": (
        "post",
        lambda ctx: {"pk": _claim(ctx).pk},
        None,
        {A: LOGIN, T: 403, B: 403, U: 302, D: 302, C: 302},
    ),
    "credits:evidence_file": (
        "get",
        lambda ctx: {"pk": _claim(ctx).pk, "evidence_pk": _claim(ctx).evidence.get().pk},
        None,
        CLAIM_READERS,
    ),
    # apps.publiccourse: officers read the topics; only the city edits them and imports.
    "publiccourse:topics": ("get", None, None, OFFICERS_ONLY),
    "publiccourse:topic_create": (
        "get",
        None,
        None,
        {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 200},
    ),
    "publiccourse:topic_edit": (
        "get",
        publiccourse.topic_kwargs,
        None,
        {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 200},
    ),
    "publiccourse:import": ("get", None, None, {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 200}),
    "publiccourse:import_template": (
        "get",
        None,
        None,
        {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 200},
    ),
    "publiccourse:batches": ("get", None, None, {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 200}),
    "publiccourse:batch": (
        "get",
        publiccourse.batch_kwargs,
        None,
        {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 200},
    ),
    "publiccourse:batch_confirm": (
        "post",
        publiccourse.batch_kwargs,
        None,
        {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 302},
    ),
    "publiccourse:batch_cancel": (
        "post",
        publiccourse.batch_kwargs,
        None,
        {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 302},
    ),
    # apps.verification
    "verification:list": ("get", None, None, OFFICERS_ONLY),
    "verification:check": ("get", None, None, {A: 200, T: 200, B: 200, U: 200, D: 200, C: 200}),
    "verification:review_queue": (
        "get",
        None,
        None,
        {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 200},
    ),
    "verification:mine": ("get", None, None, {A: LOGIN, T: 200, B: 403, U: 403, D: 403, C: 403}),
    "verification:zip": (
        "post",
        None,
        lambda ctx: {"verification": [matrix_verification(ctx).pk]},
        {A: LOGIN, T: 403, B: 403, U: 403, D: 302, C: 302},
    ),
    "verification:start": (
        "get",
        lambda ctx: {"person_pk": ctx["person"].pk},
        None,
        {A: LOGIN, T: 403, B: 403, U: 403, D: 200, C: 403},
    ),
    "verification:detail": (
        "get",
        lambda ctx: {"pk": matrix_verification(ctx).pk},
        None,
        OFFICERS_ONLY,
    ),
    # The matrix's verification is the trainee persona's own.
    "verification:pdf": (
        "get",
        lambda ctx: {"pk": matrix_verification(ctx).pk},
        None,
        {A: LOGIN, T: 200, B: 403, U: 403, D: 200, C: 200},
    ),
    # Confirming or returning a valid verification is refused with a message (302): no writes.
    "verification:confirm": (
        "post",
        lambda ctx: {"pk": matrix_verification(ctx).pk},
        None,
        {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 302},
    ),
    "verification:return": (
        "post",
        lambda ctx: {"pk": matrix_verification(ctx).pk},
        lambda ctx: {"reason": "退回"},
        {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 302},
    ),
    "verification:revoke": (
        "post",
        lambda ctx: {"pk": matrix_verification(ctx).pk},
        None,
        {A: LOGIN, T: 403, B: 403, U: 403, D: 302, C: 302},
    ),
    "verification:cycle_settings": (
        "get",
        None,
        None,
        {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 200},
    ),
    # An incomplete form is refused with a message on the person's page (302): no writes.
    "verification:title_year": (
        "post",
        lambda ctx: {"person_pk": ctx["person"].pk},
        lambda ctx: {"reason": "证书"},
        {A: LOGIN, T: 403, B: 403, U: 403, D: 302, C: 403},
    ),
    "verification:backfill": (
        "post",
        lambda ctx: {"person_pk": ctx["person"].pk},
        lambda ctx: {"year": 2015},
        {A: LOGIN, T: 403, B: 403, U: 403, D: 302, C: 403},
    ),
    "verification:backfill_scan": (
        "get",
        lambda ctx: {"pk": matrix_backfill(ctx).pk},
        None,
        OFFICERS_ONLY,
    ),
    # apps.jobs: everyone's own background jobs; someone else's job is 404
    "jobs:list": ("get", None, None, SIGNED_IN),
    "jobs:detail": ("get", _job, None, OWNER_ONLY),
    "jobs:status": ("get", _job, None, OWNER_ONLY),
    "jobs:download": ("get", _job, None, OWNER_ONLY),
    "healthz": ("get", None, None, {A: 200, T: 200, B: 200, U: 200, D: 200, C: 200}),
    "favicon": ("get", None, None, {A: 301, T: 301, B: 301, U: 301, D: 301, C: 301}),
    # apps.filings
    "filings:plan_list": ("get", None, None, {A: LOGIN, T: 403, B: 200, U: 403, D: 403, C: 403}),
    "filings:plan_new": ("get", None, None, {A: LOGIN, T: 403, B: 200, U: 403, D: 403, C: 403}),
    "filings:queue": ("get", None, None, {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 200}),
    "filings:plan_detail": (
        "get",
        matrix_plan,
        None,
        {A: LOGIN, T: 403, B: 200, U: 403, D: 403, C: 200},
    ),
    "filings:plan_history": (
        "get",
        matrix_plan,
        None,
        {A: LOGIN, T: 403, B: 200, U: 403, D: 403, C: 200},
    ),
    "filings:plan_withdraw": (
        "post",
        matrix_plan,
        None,
        {A: LOGIN, T: 403, B: 302, U: 403, D: 403, C: 403},
    ),
    "filings:plan_acknowledge": (
        "post",
        matrix_plan,
        None,
        {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 302},
    ),
    "filings:plan_return": (
        "post",
        matrix_plan,
        lambda ctx: {"note": "重复"},
        {A: LOGIN, T: 403, B: 403, U: 403, D: 403, C: 302},
    ),
    "filings:roster_upload": (
        "get",
        matrix_plan,
        None,
        {A: LOGIN, T: 403, B: 200, U: 403, D: 403, C: 403},
    ),
    "filings:roster_export": (
        "get",
        matrix_plan,
        None,
        {A: LOGIN, T: 403, B: 200, U: 403, D: 403, C: 200},
    ),
    "filings:roster_preview": (
        "get",
        matrix_upload,
        None,
        {A: LOGIN, T: 403, B: 200, U: 403, D: 403, C: 403},
    ),
    "filings:roster_confirm": (
        "post",
        matrix_upload,
        None,
        {A: LOGIN, T: 403, B: 302, U: 403, D: 403, C: 403},
    ),
    # apps.reports: officers and unit administrators (their unit), anyone else is told nothing
    # (404)
    "reports:dashboard": ("get", None, None, REPORTS),
    "reports:units": ("get", None, None, REPORTS),
    "reports:people": ("get", None, None, REPORTS),
    "reports:export": ("get", lambda ctx: {"table": "people"}, None, REPORTS),
}

# Each report URL with the query that points it at the persona trainee's jurisdiction or unit:
# an officer of another district gets 404 for every one of them.
REPORT_QUERIES = {
    "reports:dashboard": lambda p: {"jurisdiction": p.unit.jurisdiction_id},
    "reports:units": lambda p: {"jurisdiction": p.unit.jurisdiction_id},
    "reports:people": lambda p: {"unit": p.unit_id},
    "reports:export": lambda p: {"unit": p.unit_id},
}


@pytest.mark.parametrize("name", sorted(REPORT_QUERIES))
def test_it_hides_another_jurisdictions_reports(name, personas, person, baohe):
    from tests.factories import make_user

    outsider = client_for(make_user(D, jurisdiction=baohe))
    kwargs = MATRIX[name][1]({"person": person}) if MATRIX[name][1] else None
    url = reverse(name, kwargs=kwargs)
    assert outsider.get(url, REPORT_QUERIES[name](person)).status_code == 404
    jurisdiction_query = {"jurisdiction": person.unit.jurisdiction_id}
    assert outsider.get(url, jurisdiction_query).status_code == 404
    own = client_for(personas[D])
    assert own.get(url, REPORT_QUERIES[name](person)).status_code == 200
    assert client_for(personas[C]).get(url, REPORT_QUERIES[name](person)).status_code == 200


@pytest.mark.parametrize("name", sorted(REPORT_QUERIES))
def test_it_hides_another_units_reports(name, personas, person, baohe):
    """Administrators of other units (of the same district and of another) get 404 for the
    persona trainee's unit and jurisdiction; the unit's own administrator sees them."""
    from tests.factories import UnitFactory, make_user

    kwargs = MATRIX[name][1]({"person": person}) if MATRIX[name][1] else None
    url = reverse(name, kwargs=kwargs)
    neighbour = client_for(make_user(U, unit=UnitFactory(jurisdiction=person.unit.jurisdiction)))
    assert neighbour.get(url, {"unit": person.unit_id}).status_code == 404
    elsewhere = client_for(make_user(U, unit=UnitFactory(jurisdiction=baohe)))
    assert elsewhere.get(url, {"unit": person.unit_id}).status_code == 404
    assert elsewhere.get(url, REPORT_QUERIES[name](person)).status_code == 404
    own = client_for(personas[U])
    assert own.get(url, {"unit": person.unit_id}).status_code == 200
    assert own.get(url, REPORT_QUERIES[name](person)).status_code == 200


@pytest.fixture
def personas(personas, person):
    """The shared personas plus the administrator of the persona trainee's unit (so the
    matrix's claim awaits that unit's screening)."""
    from tests.factories import make_user

    return {**personas, U: make_user(Role.UNIT_ADMIN, unit=person.unit)}


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern):
            yield namespace, pattern


def _portal_patterns():
    return [(ns, p) for ns, p in _walk(get_resolver().url_patterns) if not ns.startswith("admin:")]


def test_it_finds_the_portal_urls():
    names = {f"{ns}{p.name}" for ns, p in _portal_patterns()}
    assert {"home", "people:list", "accounts:login"} <= names


@pytest.mark.parametrize(("namespace", "pattern"), _portal_patterns(), ids=lambda x: str(x))
def test_it_states_an_access_intention_for_every_view(namespace, pattern):
    assert access_intention(pattern.callback) is not None, (
        f"{namespace}{pattern.name} states no roles: decorate it with @allow(...) or @public"
    )


def test_it_has_every_portal_url_in_the_matrix():
    missing = {f"{ns}{p.name}" for ns, p in _portal_patterns()} - set(MATRIX)
    assert not missing, f"URLs missing from the role matrix: {sorted(missing)}"


def test_it_refuses_a_view_that_states_nothing(rf, personas):
    from django.core.exceptions import PermissionDenied

    from apps.accounts.access import RoleAccessMiddleware

    request = rf.get("/x/")
    request.user = personas[C]
    request.resolver_match = None
    with pytest.raises(PermissionDenied):
        RoleAccessMiddleware(lambda r: None).process_view(request, lambda r: None, (), {})


CASES = [(name, role) for name in MATRIX for role in (A, T, B, U, D, C)]


@pytest.mark.parametrize(("name", "role"), CASES)
def test_it_applies_the_role_matrix(name, role, personas, person, base):
    method, kwargs_of, data_of, expected = MATRIX[name]
    ctx = {"person": person, "base": base, "personas": personas}
    url = reverse(name, kwargs=kwargs_of(ctx) if kwargs_of else None)
    client = client_for(personas[role])
    response = getattr(client, method)(url, data_of(ctx) if data_of else {})
    want = expected[role]
    if want == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == want, f"{name} as {role}: {response.status_code}"
    _assert_never_stored(response, f"{name} as {role}")


def _assert_never_stored(response, what: str) -> None:
    """Issue 12, defect 7, on every URL (pages added since included): whatever the answer —
    a page, a PDF, evidence, an export, a job's download, a redirect or a refusal — no browser
    or proxy keeps it, and the browser features the portal never uses are off."""
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= directives, f"{what}: {response.get('Cache-Control')}"
    assert not directives & {"public"} and not any(d.startswith("max-age") for d in directives)
    assert "camera=()" in response.get("Permissions-Policy", ""), what


# --- Outsiders of the same role ---------------------------------------------------------------
# Every URL with an id, opened by a user of a role that the URL admits but who does not answer
# for the object: another district's officer, another organiser's staff, another unit's
# administrator, another professional. The
# scope gives them 404 (not 403: the id tells them nothing). The city answers for the whole
# city, so it has no outsider; URLs with an id that admit the city alone are listed below and
# checked to be city-only.

OUTSIDER_ROLES = (T, B, U, D)
CITY_ONLY_WITH_ID = {
    "filings:plan_acknowledge",
    "filings:plan_return",
    "bases:authority_edit",
    "bases:toggle",
    "bases:history",
    "bases:staff",
    "bases:staff_code",
    "bases:staff_suspend",
    "requirements:edit",
    "requirements:reset",
    "requirements:history",
    "publiccourse:topic_edit",
    "publiccourse:batch",
    "publiccourse:batch_confirm",
    "publiccourse:batch_cancel",
    "verification:confirm",
    "verification:return",
}


ID_CONVERTERS = {"IntConverter", "UUIDConverter"}  # object ids (a job's is a UUID)


def _urls_with_an_id():
    """Portal URLs whose route takes an object id: an int, or a UUID."""
    names = set()
    for ns, pattern in _portal_patterns():
        converters = getattr(pattern.pattern, "converters", {})
        if any(type(c).__name__ in ID_CONVERTERS for c in converters.values()):
            names.add(f"{ns}{pattern.name}")
    return names


def _admitted(name):
    expected = MATRIX[name][3]
    return {role for role in (T, B, U, D, C) if expected[role] not in (403, LOGIN)}


OUTSIDER_CASES = [
    (name, role)
    for name in sorted(_urls_with_an_id())
    for role in OUTSIDER_ROLES
    if role in _admitted(name)
]


@pytest.fixture
def outsiders(db, baohe, other_person) -> dict[str, object]:
    from tests.factories import AuthorityFactory, make_user

    return {
        T: make_user(Role.TRAINEE, person=other_person),
        # Another organiser's staff: an industry authority's, the persona being a base's.
        B: make_user(Role.ORGANISER_STAFF, organiser=AuthorityFactory()),
        D: make_user(Role.DISTRICT_OFFICER, jurisdiction=baohe),
        U: make_user(Role.UNIT_ADMIN, unit=other_person.unit),
    }


def test_it_finds_the_urls_with_an_id():
    names = _urls_with_an_id()
    assert {"people:detail", "credits:claim_detail", "filings:plan_detail"} <= names
    assert {"jobs:detail", "jobs:status", "jobs:download"} <= names
    assert "credits:claim_create" not in names  # its argument is a kind, not an id


def test_it_has_an_outsider_for_every_url_with_an_id():
    """Each URL with an id either admits a role that has outsiders (and is in the cases
    below), or admits the city alone."""
    without = {name for name in _urls_with_an_id() if not _admitted(name) & set(OUTSIDER_ROLES)}
    assert without == CITY_ONLY_WITH_ID
    for name in CITY_ONLY_WITH_ID:
        assert _admitted(name) == {C}, name


@pytest.mark.parametrize(("name", "role"), OUTSIDER_CASES)
def test_it_gives_an_outsider_of_the_same_role_404(name, role, personas, outsiders, person, base):
    method, kwargs_of, data_of, _expected = MATRIX[name]
    ctx = {"person": person, "base": base, "personas": personas}
    url = reverse(name, kwargs=kwargs_of(ctx))
    client = client_for(outsiders[role])
    response = getattr(client, method)(url, data_of(ctx) if data_of else {})
    assert response.status_code == 404, f"{name} as another {role}: {response.status_code}"


# --- A response never names a person outside the asker's scope (issue 12) -------------------
# Every search and form that matches a resident ID number (or takes a person's id) is probed
# with the number of a person of another district: whatever it answers, it may not say their
# name, unit or district. Uploads that match ID numbers add their probes here too.

OUTSIDER_NAME = "欧阳娜娜"
OUTSIDER_UNIT = "滨湖世纪测试医院"


ANOTHER_DISTRICT, ANOTHER_UNIT = "another district", "another unit of the district"


@pytest.fixture
def outsider(request, baohe, shushan):
    """A person outside the asker's scope: in another district, or (for the askers narrower
    than a district: a unit's administrator, a professional, an organiser's staff) in another
    unit of the persona's own district (蜀山区)."""
    from apps.people.models import Unit
    from tests.factories import make_person

    where = baohe if request.param == ANOTHER_DISTRICT else shushan
    unit = Unit.objects.create(name=OUTSIDER_UNIT, jurisdiction=where)
    return make_person(unit=unit, name=OUTSIDER_NAME)


def _probe_people_search_post(client, outsider, ctx):
    return client.post(reverse("people:list"), {"q": outsider.reveal_id_number()}, follow=True)


def _probe_people_search_get(client, outsider, ctx):
    return client.get(reverse("people:list"), {"q": outsider.reveal_id_number()})


def _probe_people_hours_search_post(client, outsider, ctx):
    """专业技术人员学时达标情况 (/ledger/people/), searched by a full ID number."""
    return client.post(
        reverse("credits:people_hours"), {"q": outsider.reveal_id_number()}, follow=True
    )


def _probe_people_hours_search_get(client, outsider, ctx):
    return client.get(reverse("credits:people_hours"), {"q": outsider.reveal_id_number()})


def _probe_filters_by_unit_id(client, outsider, ctx):
    """The lists filtered by the id of the outsider's unit, district or person: nothing of
    theirs named, not even in the filter's own label. (Every page's text is checked.)"""
    from django.http import HttpResponse

    probes = [
        ("people:list", {"unit": outsider.unit_id}),
        ("credits:people_hours", {"unit": outsider.unit_id}),
        ("credits:claim_queue", {"unit": outsider.unit_id}),
        ("reports:people", {"unit": outsider.unit_id}),
        ("reports:units", {"jurisdiction": outsider.unit.jurisdiction_id}),
        ("verification:list", {"person": outsider.pk}),
    ]
    pages = [client.get(reverse(name), query) for name, query in probes]
    answered = [page for page in pages if page.status_code in (200, 404)]
    return HttpResponse(
        b"".join(page.content for page in pages), status=200 if answered else pages[0].status_code
    )


def _probe_person_create(client, outsider, ctx):
    return client.post(
        reverse("people:create"),
        {
            "name": "张冒名",
            "id_number": outsider.reveal_id_number(),
            "unit": ctx["person"].unit_id,
            "industry": ctx["person"].industry_id,
        },
        follow=True,
    )


def _probe_activation(client, outsider, ctx):
    return client.post(
        reverse("accounts:activate"),
        {
            "id_number": outsider.reveal_id_number(),
            "code": "AAAA-BBBB-CCCC",
            "password1": "Feicui-lake-walk-2026",
            "password2": "Feicui-lake-walk-2026",
        },
        follow=True,
    )


def _probe_login(client, outsider, ctx):
    return client.post(
        reverse("accounts:login"),
        {"username": outsider.reveal_id_number(), "password": "wrong-password-1"},
        follow=True,
    )


def _probe_issue_codes(client, outsider, ctx):
    return client.post(reverse("people:issue_codes"), {"person": [outsider.pk]}, follow=True)


def _probe_verification_start(client, outsider, ctx):
    return client.get(reverse("verification:start", args=[outsider.pk]))


def _probe_person_pages(client, outsider, ctx):
    for name in ("people:detail", "credits:person_ledger", "portal:person_booklet"):
        response = client.get(reverse(name, args=[outsider.pk]))
        if response.status_code != 404:
            return response
    return response


def _probe_people_import(client, outsider, ctx):
    """The people import with the outsider's number under another name (issue 12, defect 1)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    unit = ctx["person"].unit.name
    sheet = f"姓名,身份证号码,单位\n张冒名,{outsider.reveal_id_number()},{unit}\n".encode()
    return client.post(reverse("people:import"), {"file": SimpleUploadedFile("a.csv", sheet)})


def _probe_roster(client, outsider, ctx):
    """A base's roster with the outsider's number under another name."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.filings.support import matrix_plan, row, xlsx_bytes

    plan = matrix_plan(ctx)["pk"]
    sheet = xlsx_bytes([row(1, "张冒名", outsider.reveal_id_number(), hours=8)])
    return client.post(
        reverse("filings:roster_upload", args=[plan]),
        {"file": SimpleUploadedFile("a.xlsx", sheet)},
    )


SCOPE_PROBES = {
    "people import (ID number registered elsewhere)": _probe_people_import,
    "roster upload (ID number registered elsewhere)": _probe_roster,
    "people search (posted ID number)": _probe_people_search_post,
    "people search (ID number in the query string)": _probe_people_search_get,
    "people with hours search (posted ID number)": _probe_people_hours_search_post,
    "people with hours search (ID number in the query string)": _probe_people_hours_search_get,
    "lists filtered by the id of the outsider's unit": _probe_filters_by_unit_id,
    "register a person (ID number already registered elsewhere)": _probe_person_create,
    "account activation": _probe_activation,
    "sign-in by ID number": _probe_login,
    "activation codes for a person by id": _probe_issue_codes,
    "verification start by person id": _probe_verification_start,
    "person, ledger and booklet by id": _probe_person_pages,
}
# The role whose persona the probe must reach (the view answered, with 200 or 404).
PROBE_REACHED_BY = {"roster upload (ID number registered elsewhere)": B}
# The city officer's scope is the whole city: nobody is outside it.
ASKERS_WITH_A_SCOPE = (A, T, B, U, D)


# (where the outsider is, who asks): the district's own officer answers for every unit of the
# district, so another unit of it is outside the narrower scopes only.
OUTSIDER_ASKERS = [
    *((ANOTHER_DISTRICT, role) for role in ASKERS_WITH_A_SCOPE),
    *((ANOTHER_UNIT, role) for role in ASKERS_WITH_A_SCOPE if role != D),
]


@pytest.mark.parametrize(("outsider", "role"), OUTSIDER_ASKERS, indirect=["outsider"])
@pytest.mark.parametrize("probe", SCOPE_PROBES, ids=str)
def test_a_response_never_names_a_person_outside_the_askers_scope(
    probe, role, personas, person, base, outsider
):
    same_district = outsider.unit.jurisdiction_id == person.unit.jurisdiction_id
    client = client_for(personas[role])
    response = SCOPE_PROBES[probe](client, outsider, {"person": person, "base": base})
    page = response.content.decode(errors="replace")
    # (The district is named on a unit administrator's own pages: it is theirs too.)
    facts = (
        OUTSIDER_NAME,
        OUTSIDER_UNIT,
        *(() if same_district else (outsider.unit.jurisdiction.name,)),
    )
    for fact in facts:
        assert fact not in page, f"{probe} as {role} names {fact!r}"
    if role == PROBE_REACHED_BY.get(probe, D):
        # …and the officer's own persona still works: the probe reached the view.
        assert response.status_code in (200, 404), f"{probe}: {response.status_code}"
