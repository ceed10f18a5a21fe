"""Database triggers that guard records the application must never change (the append-only
ledger, frozen verifications): one `Guard` per table, its statements per database vendor."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Guard:
    name: str
    postgresql_install: Sequence[str]
    postgresql_remove: Sequence[str]
    sqlite_install: Sequence[str]
    sqlite_remove: Sequence[str]

    def _statements(self, vendor: str, *, install: bool) -> Sequence[str]:
        if vendor == "postgresql":
            return self.postgresql_install if install else self.postgresql_remove
        if vendor == "sqlite":
            return self.sqlite_install if install else self.sqlite_remove
        raise NotImplementedError(f"no {self.name} guard for {vendor}")

    def _run(self, connection: Any, *, install: bool) -> None:
        with connection.cursor() as cursor:
            for statement in self._statements(connection.vendor, install=install):
                cursor.execute(statement)

    def install(self, connection: Any) -> None:
        self._run(connection, install=True)

    def remove(self, connection: Any) -> None:
        """For the test runner and maintenance scripts only: nothing in the application calls it."""
        self._run(connection, install=False)
