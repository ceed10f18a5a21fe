"""Reads for reports from the PostgreSQL read replica (DATABASE_REPLICA_URL); writes, and every
other read, on the primary.

Active only when DATABASE_REPLICA_URL is set (settings add `replica` and this router). Models of
the apps in DATABASE_REPLICA_APPS (default: `reports`, the dashboards over the summary tables)
are read from the replica; a report that reads other apps' tables asks explicitly:

    from hefei_cpe.routers import reports_db
    PersonYear.objects.using(reports_db()).filter(...)

A replica lags the primary by a moment: never read there what the same request just wrote.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

REPLICA = "replica"


def reports_db() -> str:
    """The alias reports read from: the replica when there is one, else the primary."""
    return REPLICA if REPLICA in settings.DATABASES else "default"


class ReportsReplicaRouter:
    def _replica_app(self, model: type[models.Model]) -> bool:
        apps = getattr(settings, "DATABASE_REPLICA_APPS", ["reports"])
        return model._meta.app_label in apps

    def db_for_read(self, model: type[models.Model], **hints: Any) -> str | None:
        return REPLICA if self._replica_app(model) else "default"

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: models.Model, obj2: models.Model, **hints: Any) -> bool | None:
        return True  # one database, two copies of it

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == "default"  # the replica follows the primary by streaming replication
