from __future__ import annotations

import pytest

from apps.accounts.models import Role, User
from tests.factories import TrainingBaseFactory, make_user


@pytest.fixture
def staff(base) -> User:
    return make_user(Role.BASE_STAFF, base=base)


@pytest.fixture
def other_staff(db) -> User:
    """The staff of another base."""
    return make_user(Role.BASE_STAFF, base=TrainingBaseFactory())


@pytest.fixture
def city(db) -> User:
    return make_user(Role.CITY_OFFICER)
