"""``manage.py refresh_year_totals``: re-evaluates every person's year totals from the ledger.

Run after a change of the crediting rules (migration ``credits.0005`` runs it for the rules
engine v2). Entries are never touched; only the derived ``PersonYear`` summary is rebuilt, in
batches of people, each in its own transaction.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from apps.credits.ledger import person_years_refresh_all


class Command(BaseCommand):
    help = "Re-evaluate every person's year totals (PersonYear) from their ledger entries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=2000, help="people per transaction")

    def handle(self, *args: Any, batch: int, **options: Any) -> None:
        if batch < 1:
            self.stderr.write("--batch 必须是正整数")
            raise SystemExit(2)
        written = person_years_refresh_all(batch=batch)
        self.stdout.write(f"已按现行学时核定规则重新计算年度汇总：{written} 条")
