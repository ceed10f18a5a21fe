from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.demo.city import CityError, city_build, parse_years


class Command(BaseCommand):
    help = (
        "Builds a generated Hefei (units, people, ledgers, year totals, report summaries) on "
        "PostgreSQL with COPY, into a database without people."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=10_000)
        parser.add_argument("--years", default="2021-2025", help="e.g. 2021-2025")
        parser.add_argument("--units", type=int, default=None, help="default: one per 20 people")
        parser.add_argument("--seed", type=int, default=2021)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["people"] < 1:
            raise CommandError("--people must be at least 1.")
        try:
            years = parse_years(options["years"])
        except ValueError:
            raise CommandError("--years takes a year or a range such as 2021-2025.") from None
        try:
            timings = city_build(
                people=options["people"],
                years=years,
                units=options["units"],
                seed=options["seed"],
                say=lambda message: self.stdout.write(message),
            )
        except CityError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(" ".join(f"{k}={v:.1f}" for k, v in timings.items()))
