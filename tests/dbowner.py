"""The test suite runs as the portal's least-privilege role when DATABASE_OWNER_URL is set (CI):
its database is created, migrated and emptied as the owner, every test runs as the portal."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connections

CREDENTIALS = ("USER", "PASSWORD", "HOST", "PORT")


def owner_credentials() -> dict[str, Any] | None:
    owner = getattr(settings, "DATABASE_OWNER", None)
    if not owner or connections["default"].vendor != "postgresql":
        return None
    if owner["USER"] == settings.DATABASES["default"].get("USER"):
        return None  # already connected as the owner
    return owner


def _switch(alias: str, credentials: dict[str, Any]) -> dict[str, Any]:
    connection = connections[alias]
    before = {key: connection.settings_dict.get(key, "") for key in CREDENTIALS}
    connection.close()
    connection.settings_dict.update(credentials)
    settings.DATABASES[alias].update(credentials)
    return before


@contextmanager
def as_owner(alias: str = "default") -> Iterator[None]:
    """Connected as the owner for the block (a no-op when there is no separate owner)."""
    owner = owner_credentials()
    if owner is None:
        yield
        return
    portal = _switch(alias, owner)
    try:
        yield
    finally:
        _switch(alias, portal)


def switch_to_owner(alias: str = "default") -> dict[str, Any] | None:
    """For the session fixtures: connect as the owner; returns the portal's credentials."""
    owner = owner_credentials()
    return None if owner is None else _switch(alias, owner)


def switch_back(portal: dict[str, Any] | None, alias: str = "default") -> None:
    if portal is not None:
        _switch(alias, portal)
