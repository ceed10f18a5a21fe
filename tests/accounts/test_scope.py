"""The scope: who reaches which rows. Pure where it can be (no database), then the querysets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.template import Context, Template

from apps.accounts.models import Role, User
from apps.accounts.scope import ALL, ALLOWED, NOBODY, Scope, Verdict, deny, require, rule_get
from apps.people.models import Person, Unit

ROOT = Path(__file__).resolve().parents[2]

CITY = Scope("city")
SHUSHAN = Scope("jurisdiction", 1)
BASE = Scope("organiser", 7)
ME = Scope("person", 42)


def test_it_anchors_each_role_to_its_party():
    assert Scope.of(User(role=Role.CITY_OFFICER)) == CITY
    assert Scope.of(User(role=Role.DISTRICT_OFFICER, jurisdiction_id=1)) == SHUSHAN
    assert Scope.of(User(role=Role.ORGANISER_STAFF, organiser_id=7)) == BASE
    assert Scope.of(User(role=Role.TRAINEE, person_id=42)) == ME


def test_it_reaches_nothing_for_anonymous_inactive_or_unanchored_users():
    from django.contrib.auth.models import AnonymousUser

    assert Scope.of(AnonymousUser()) == NOBODY
    assert Scope.of(None) == NOBODY
    assert Scope.of(User(role=Role.CITY_OFFICER, is_active=False)) == NOBODY
    assert Scope.of(User(role=Role.DISTRICT_OFFICER)) == NOBODY  # no jurisdiction
    assert Scope.of(User(role="auditor")) == NOBODY


def test_it_states_the_facts_of_each_reach():
    assert CITY.whole_city and CITY.is_officer and CITY.jurisdiction_id is None
    assert not SHUSHAN.whole_city and SHUSHAN.is_officer and SHUSHAN.jurisdiction_id == 1
    assert BASE.organiser_id == 7 and not BASE.is_officer and BASE.person_id is None
    assert ME.person_id == 42 and ME.organiser_id is None and ME.jurisdiction_id is None
    assert not NOBODY.is_officer and NOBODY.anchor_id is None


def test_it_covers_a_jurisdiction_for_its_own_officer_and_the_city():
    assert CITY.covers_jurisdiction(9)
    assert SHUSHAN.covers_jurisdiction(1) and not SHUSHAN.covers_jurisdiction(2)
    assert not BASE.covers_jurisdiction(None) and not NOBODY.covers_jurisdiction(None)


def test_it_covers_a_person_for_themself_and_their_officers():
    mine = Person(pk=42, unit=Unit(jurisdiction_id=1))
    theirs = Person(pk=43, unit=Unit(jurisdiction_id=2))
    assert ME.covers_person(mine) and not ME.covers_person(theirs)
    assert SHUSHAN.covers_person(mine) and not SHUSHAN.covers_person(theirs)
    assert CITY.covers_person(theirs)
    assert not BASE.covers_person(mine) and not NOBODY.covers_person(mine)


def test_it_builds_the_condition_for_the_anchor_that_applies():
    paths = {"person": "person", "jurisdiction": "person__unit__jurisdiction"}
    assert CITY.condition(**paths) == Q()
    assert SHUSHAN.condition(**paths) == Q(person__unit__jurisdiction=1)
    assert ME.condition(**paths) == Q(person=42)
    assert BASE.condition(**paths) is None  # an anchor the selector does not name: nothing
    assert NOBODY.condition(**paths) is None


def test_it_lets_a_selector_shut_the_city_out_or_open_a_kind_to_all():
    assert CITY.condition(organiser="plan__organiser", city=None) is None
    assert SHUSHAN.condition(jurisdiction=ALL) == Q()
    assert BASE.condition(jurisdiction=ALL) is None


def test_it_refuses_an_unknown_kind_of_anchor():
    with pytest.raises(TypeError, match="client"):
        CITY.condition(client="client")  # a later kind must be added to the scope first


def test_a_unit_administrator_reaches_its_units_people_only(db, person, other_person):
    unit = Scope("unit", person.unit_id)
    assert list(unit.people(Person.objects.all())) == [person]
    assert unit.covers_person(person) and not unit.covers_person(other_person)
    assert not unit.is_officer and unit.unit_id == person.unit_id


def test_it_filters_querysets_by_scope(db, person, other_person):
    people = Person.objects.all()
    shushan = Scope("jurisdiction", person.unit.jurisdiction_id)
    assert set(CITY.people(people)) == {person, other_person}
    assert list(shushan.people(people)) == [person]
    assert list(Scope("person", other_person.pk).people(people)) == [other_person]
    assert list(BASE.people(people)) == []
    assert list(shushan.units(Unit.objects.all())) == [person.unit]


def test_it_shows_inactive_bases_to_the_city_only(db, base):
    from apps.bases.models import Organiser

    base.is_active = False
    base.save()
    assert list(CITY.organisers(Organiser.objects.all())) == [base]
    assert list(ME.organisers(Organiser.objects.all())) == []


def test_it_caches_the_scope_on_the_user():
    user = User(role=Role.DISTRICT_OFFICER, jurisdiction_id=1)
    assert user.scope is user.scope
    assert user.scope == SHUSHAN


# --- Verdicts and the {% can %} tag ----------------------------------------------------------


def test_it_gives_the_reason_of_a_refusal():
    refused = deny("不行")
    assert not refused and refused.reason == "不行"
    assert ALLOWED and isinstance(ALLOWED, Verdict)
    require(ALLOWED)
    with pytest.raises(PermissionError, match="不行"):
        require(refused, PermissionError)


def test_it_fails_loudly_on_an_unknown_rule():
    with pytest.raises(ImproperlyConfigured):
        rule_get("verification.approve_everything")
    with pytest.raises(ImproperlyConfigured):
        rule_get("nosuchapp.anything")


def _render(source: str, **context: object) -> str:
    return Template("{% load access %}" + source).render(Context(context)).strip()


def test_it_answers_templates_through_the_can_tag():
    from apps.verification.models import Verification

    valid = Verification(status=Verification.Status.VALID, jurisdiction_id=1)
    source = (
        '{% can "verification.revoke" v as may %}'
        "{% if may %}yes{% else %}{{ may.reason }}{% endif %}"
    )
    assert _render(source, v=valid, user=User(role=Role.DISTRICT_OFFICER, jurisdiction_id=1)) == (
        "yes"
    )
    other = _render(source, v=valid, user=User(role=Role.DISTRICT_OFFICER, jurisdiction_id=2))
    assert other != "yes" and other  # the refusal's reason
    assert _render('{% can "bases.manage" as m %}{{ m.allowed }}', user=None) == "False"


# --- One home: no role comparisons where the issue forbids them ------------------------------

TEMPLATE_ROLE = re.compile(
    r"user\.role|\.role\s*[=!]=|\bis_city\b|city_officer|district_officer|base_staff|organiser_staff|['\"]trainee['\"]"
)
PYTHON_ROLE = re.compile(r"\.role\s*(==|!=|in\b|not in\b)|\bRole\.\w+\s*(==|!=)")
# Any comparison with a role, either way round (`x == Role.TRAINEE`, `role in (Role.…)`).
ANY_ROLE_COMPARISON = re.compile(
    r"\.role\s*(==|!=|in\b|not in\b)|\bRole\.\w+\s*(==|!=)"
    r"|(==|!=)\s*Role\.\w+|\bin\s*\(?\s*Role\.\w+"
)
# The only modules that may compare roles, and why. Everything else asks the scope or a rule.
MAY_COMPARE_ROLES = {
    "accounts/access.py": "the @allow gate itself",
    "accounts/scope.py": "anchors each user to their party",
    "accounts/models.py": "the user's own facts: admin access, the organisation it signs for",
    "accounts/admin.py": "the admin form: trainees open accounts by activation code only",
    "accounts/passwords.py": "which login name a password must not resemble",
    "portal/context_processors.py": "the menu, held to each view's @allow by tests/portal",
}


def _files(pattern: str) -> list[Path]:
    return sorted(p for p in (ROOT / "apps").rglob(pattern) if "migrations" not in p.parts)


def test_it_finds_no_role_comparison_in_templates():
    templates = [*(ROOT / "templates").rglob("*.html"), *_files("*.html")]
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in templates
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if TEMPLATE_ROLE.search(line)
    ]
    assert not offenders, f"templates ask {{% can %}}, not roles: {offenders}"


def test_it_finds_no_role_check_in_views_services_selectors_or_forms():
    names = {"views.py", "services.py", "selectors.py", "forms.py", "claims.py", "unit_views.py"}
    names |= {"unit_admins.py", "staff_logins.py"}
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _files("*.py")
        if path.name in names
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if PYTHON_ROLE.search(line) or (path.name == "selectors.py" and "Role" in line)
    ]
    assert not offenders, f"ask the scope or a permissions.py rule instead: {offenders}"


def test_no_module_outside_scope_and_permissions_compares_roles():
    """Every module of every app, not only those named above: a role comparison lives in a
    permissions.py, the scope, or one of the few modules listed with their reason."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _files("*.py")
        if path.name != "permissions.py"
        and str(path.relative_to(ROOT / "apps")) not in MAY_COMPARE_ROLES
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if ANY_ROLE_COMPARISON.search(line)
    ]
    assert not offenders, f"ask the scope or a permissions.py rule instead: {offenders}"
