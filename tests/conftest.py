from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client, TransactionTestCase

from apps.accounts.models import Role, User
from apps.credits import guard as ledger_guard
from apps.people.models import Industry, Jurisdiction, Person
from apps.people.reference import reference_data_load
from apps.verification import guard as verification_guard
from hefei_cpe.dbroles import portal_privileges_grant
from tests.dbowner import as_owner, switch_back, switch_to_owner
from tests.factories import OrganiserFactory, UnitFactory, make_person, make_user

PASSWORD = "pass-for-tests-1"

_flush = TransactionTestCase._fixture_teardown


GUARDS = (ledger_guard, verification_guard)


def _flush_past_the_guards(self):
    """Transactional tests (the browser ones) end by emptying every table, which the triggers
    of the append-only ledger and of frozen verifications rightly refuse; lift them for that
    flush only."""
    aliases = self._databases_names(include_mirrors=False)
    # Only the owner may drop triggers and truncate: the portal role the suite runs as cannot.
    with as_owner():
        for alias in aliases:
            for guard in GUARDS:
                guard.guard_remove(connections[alias])
        try:
            _flush(self)
        finally:
            for alias in aliases:
                for guard in GUARDS:
                    guard.guard_install(connections[alias])


TransactionTestCase._fixture_teardown = _flush_past_the_guards

_portal_credentials: dict = {}


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """With DATABASE_OWNER_URL (CI), the test database is created and migrated by the owner."""
    portal = switch_to_owner()
    if portal is not None:
        _portal_credentials.update(portal)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """...then the portal role gets its privileges there, and every test runs as that role."""
    if not _portal_credentials:
        yield
        return
    with django_db_blocker.unblock():
        connection = connections["default"]
        with connection.cursor() as cursor:
            portal_privileges_grant(
                cursor,
                role=_portal_credentials["USER"],
                database=connection.settings_dict["NAME"],
            )
        switch_back(dict(_portal_credentials))
    yield
    with django_db_blocker.unblock():
        switch_to_owner()  # the owner drops the test database (unless it is reused)


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counts (activation, public check) live in the cache: every test starts at 0.
    The industry requirements in force are cached too: a fresh test database has none, so the
    cache starts with that (no query), and a test that sets one drops it like production."""
    from apps.requirements.selectors import CACHE_KEY

    cache.clear()
    cache.set(CACHE_KEY, (), timeout=None)
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Jurisdictions and industries come from a data migration; a transactional test (the
    browser tests) flushes them, so put them back for whichever database test comes next."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if not (names & {"db", "transactional_db", "live_server"} or marker):
        return
    transactional = bool(names & {"transactional_db", "live_server"}) or bool(
        marker and marker.kwargs.get("transaction")
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    if not Jurisdiction.objects.exists():
        reference_data_load(Jurisdiction, Industry)


@pytest.fixture
def shushan(db) -> Jurisdiction:
    return Jurisdiction.objects.get(code="shushan")


@pytest.fixture
def baohe(db) -> Jurisdiction:
    return Jurisdiction.objects.get(code="baohe")


@pytest.fixture
def person(shushan) -> Person:
    """A professional of 蜀山区, the district officer persona's jurisdiction."""
    return make_person(unit=UnitFactory(jurisdiction=shushan), name="李四")


@pytest.fixture
def other_person(baohe) -> Person:
    """A professional of 包河区: outside the district officer persona's jurisdiction."""
    return make_person(unit=UnitFactory(jurisdiction=baohe), name="王五")


@pytest.fixture
def base(db):
    return OrganiserFactory()


@pytest.fixture
def personas(db, shushan, person, base) -> dict[str, User | None]:
    """One user per role, plus the anonymous visitor."""
    return {
        "anonymous": None,
        Role.TRAINEE: make_user(Role.TRAINEE, person=person),
        Role.ORGANISER_STAFF: make_user(Role.ORGANISER_STAFF, organiser=base),
        Role.DISTRICT_OFFICER: make_user(Role.DISTRICT_OFFICER, jurisdiction=shushan),
        Role.CITY_OFFICER: make_user(Role.CITY_OFFICER),
    }


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="apps.accounts.backends.PortalBackend")
    return client


@pytest.fixture
def city_client(personas) -> Client:
    return client_for(personas[Role.CITY_OFFICER])


@pytest.fixture
def officer_client(personas) -> Client:
    return client_for(personas[Role.DISTRICT_OFFICER])


@pytest.fixture
def trainee_client(personas) -> Client:
    return client_for(personas[Role.TRAINEE])


@pytest.fixture(autouse=True, scope="session")
def _pdf_signing_dir(tmp_path_factory):
    """The demo signing root and office certificates of the test run live in a scratch
    directory (never var/ or the repository)."""
    from django.conf import settings

    from hefei_cpe import signing

    settings.PDF_SIGNING_DIR = tmp_path_factory.mktemp("signing")
    signing.root.cache_clear()
    yield
    signing.root.cache_clear()
