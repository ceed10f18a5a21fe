"""Sets up (or checks) the least-privilege PostgreSQL role the portal connects as.

    DATABASE_URL=postgres://hefei_owner@db/hefei_cpe manage.py migrate
    DATABASE_URL=postgres://hefei_owner@db/hefei_cpe manage.py db_roles hefei_portal --password …
    DATABASE_URL=postgres://hefei_portal:…@db/hefei_cpe gunicorn …   # the portal

Run it as the owner of the tables, after every `migrate` (it is idempotent). Creating the role
needs CREATEROLE; with --no-create the role must exist already.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from hefei_cpe import dbroles


class Command(BaseCommand):
    help = "Create the portal's least-privilege database role and grant it exactly its privileges."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="the login role the portal connects as")
        parser.add_argument(
            "--password",
            default=os.environ.get("PORTAL_DB_PASSWORD"),
            help="its password (default: $PORTAL_DB_PASSWORD; none: leave it unchanged)",
        )
        parser.add_argument("--no-create", action="store_true", help="only grant, never create")
        parser.add_argument("--check", action="store_true", help="only report problems")

    def handle(self, *args: Any, role: str, password: str | None, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are a PostgreSQL matter; DATABASE_URL is not one.")
        database = connection.settings_dict["NAME"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            (current,) = cursor.fetchone()
            if current == role:
                raise CommandError(
                    f"Connected as {role} itself: run this as the owner of the tables."
                )
            if not options["check"]:
                if not options["no_create"]:
                    created = dbroles.role_ensure(cursor, role=role, password=password)
                    self.stdout.write(f"Role {role} {'created' if created else 'updated'}.")
                dbroles.portal_privileges_grant(cursor, role=role, database=database)
                self.stdout.write(f"Granted {role} its privileges in {database}.")
            problems = dbroles.role_problems(cursor, role=role)
        if problems:
            raise CommandError("; ".join(problems))
        self.stdout.write(f"Role {role} owns nothing and cannot lift the guards.")
