from __future__ import annotations

import pytest

from apps.accounts.models import Role, User
from tests.factories import OrganiserFactory, make_user


@pytest.fixture
def staff(base) -> User:
    return make_user(Role.ORGANISER_STAFF, organiser=base)


@pytest.fixture
def other_staff(db) -> User:
    """The staff of another base."""
    return make_user(Role.ORGANISER_STAFF, organiser=OrganiserFactory())


@pytest.fixture
def city(db) -> User:
    return make_user(Role.CITY_OFFICER)
