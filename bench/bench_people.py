"""People at city scale: sign-in/search by ID number, the officers' list page, bulk activation codes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hefei_cpe_bench .venv/bin/python bench/bench_people.py [N] [--smoke]

Builds N professionals (default 200,000) in the database named by DATABASE_URL (created and
migrated if needed; its people are replaced), then compares, in the same run:

- finding a person by ID number through the keyed-hash index vs the only alternative when the
  number is encrypted at random (decrypt every row and compare: measured on a slice, scaled);
- the people list page (full Django request) vs the raw SQL floor of its two queries;
- the home page summary of a city officer vs its raw SQL floor;
- issuing 1,000 activation codes (HMAC-SHA256 of a random code) vs hashing them with Django's
  default password hasher (PBKDF2), the library's default path for secrets.
Figures are printed last, then the RESULT line; `--smoke`: 1,000 people, fewer repeats.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hefei_cpe.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402
from _bench import print_result, size_from_argv  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from apps.accounts.models import ActivationCode, Role, User  # noqa: E402
from apps.accounts.services import activation_codes_issue  # noqa: E402
from apps.people import crypto, idnumber  # noqa: E402
from apps.people.models import IdNumberAccess, Industry, Jurisdiction, Person, Unit  # noqa: E402
from apps.people.selectors import people_search, people_visible_to  # noqa: E402


def timed(fn, repeat: int = 5) -> float:
    """Median wall time in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def build(n: int) -> list[str]:
    if Person.objects.count() == n:  # reuse the previous run's people
        vacuum()
        return [
            idnumber.compose(
                "340104", dt.date(1960, 1, 1) + dt.timedelta(days=i // 999), i % 999 + 1
            )
            for i in range(n)
        ]
    ActivationCode.objects.all().delete()
    IdNumberAccess.objects.all().delete()
    User.objects.filter(role=Role.TRAINEE).delete()
    Person.objects.all().delete()
    jurisdictions = list(Jurisdiction.objects.all())
    units = []
    for j in jurisdictions:
        for k in range(40):
            unit, _ = Unit.objects.get_or_create(name=f"基准单位{j.code}-{k}", jurisdiction=j)
            units.append(unit)
    industry = Industry.objects.get(code="general")
    numbers = []
    batch = []
    for i in range(n):
        number = idnumber.compose(
            "340104", dt.date(1960, 1, 1) + dt.timedelta(days=i // 999), i % 999 + 1
        )
        numbers.append(number)
        person = Person(
            name=f"人员{i}", unit=units[i % len(units)], industry=industry, title="工程师"
        )
        person.set_id_number(idnumber.parse(number))
        batch.append(person)
        if len(batch) == 5000:
            Person.objects.bulk_create(batch)
            batch = []
    Person.objects.bulk_create(batch)
    vacuum()
    return numbers


def vacuum() -> None:
    """The steady state autovacuum keeps a live database in: statistics and visibility map."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE people_person")


def main() -> None:
    n, smoke = size_from_argv(full=200_000, smoke=1_000, what="people")
    if connection.vendor != "postgresql":
        sys.exit("Point DATABASE_URL at a PostgreSQL scratch database.")
    setup_test_environment()
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    numbers = build(n)
    build_s = time.perf_counter() - t0

    city = User.objects.filter(username="bench-city").first() or User.objects.create_user(
        "bench-city", "x", full_name="基准", role=Role.CITY_OFFICER
    )
    shushan = Jurisdiction.objects.get(code="shushan")
    district = User.objects.filter(username="bench-district").first() or User.objects.create_user(
        "bench-district", "x", full_name="基准", role=Role.DISTRICT_OFFICER, jurisdiction=shushan
    )
    target = numbers[n // 2]

    # 1. Find by ID number.
    def by_hash():
        assert (
            people_search(people=Person.objects.all(), query=target).get().name == f"人员{n // 2}"
        )

    slice_size = min(5_000, n)

    def by_decrypt_scan():
        for token in Person.objects.values_list("id_number_encrypted", flat=True)[:slice_size]:
            if crypto.decrypt(token) == target:
                break

    lookup_ms = timed(by_hash, 20)
    scan_ms = timed(by_decrypt_scan, 3) * n / slice_size

    # 2. The people list page.
    client_city, client_district = Client(), Client()
    client_city.force_login(city, backend="apps.accounts.backends.PortalBackend")
    client_district.force_login(district, backend="apps.accounts.backends.PortalBackend")

    def page(client):
        return lambda: client.get("/people/").status_code == 200 or sys.exit("list page failed")

    list_city_ms = timed(page(client_city))
    list_district_ms = timed(page(client_district))
    list_sql = str(
        people_visible_to(user=city)
        .select_related("account")
        .order_by("unit_id", "name", "id")[:50]
        .query
    )

    def raw_list():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM people_person")
            cursor.fetchall()
            cursor.execute(list_sql)
            cursor.fetchall()

    raw_list_ms = timed(raw_list)
    district_sql = str(
        people_visible_to(user=district)
        .select_related("account")
        .order_by("unit_id", "name", "id")[:50]
        .query
    )
    count_sql = str(people_visible_to(user=district).values("id").query)

    def raw_district_list():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({count_sql}) AS visible")
            cursor.fetchall()
            cursor.execute(district_sql)
            cursor.fetchall()

    raw_district_ms = timed(raw_district_list)

    # 3. City home summary.
    home_ms = timed(lambda: client_city.get("/"))

    def raw_home():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*), COUNT(*) FILTER (WHERE u.id IS NULL), COUNT(*) FILTER (WHERE p.title_year IS NULL) "
                "FROM people_person p LEFT JOIN accounts_user u ON u.person_id = p.id"
            )
            cursor.fetchall()

    raw_home_ms = timed(raw_home)

    # 4. Bulk activation codes.
    people = list(people_visible_to(user=district)[:1000])
    codes_ms = timed(lambda: activation_codes_issue(officer=district, people=people), 3)
    codes_ms *= 1000 / max(len(people), 1)  # per 1,000 codes
    hashed = 2 if smoke else 50  # PBKDF2 takes about half a second a code
    pbkdf2_ms = timed(lambda: [make_password(f"code{i}") for i in range(hashed)], 1) * 1000 / hashed

    print(f"\npeople: {n:,} (built in {build_s:.0f} s); PostgreSQL {connection.pg_version}")
    print(f"{'what':58} {'ours':>10} {'baseline':>12}")
    print(
        f"{'find by ID number: keyed-hash index vs decrypt-scan (ms)':58} {lookup_ms:10.2f} {scan_ms:12.0f}"
    )
    print(
        f"{'people list page, city officer vs raw SQL floor (ms)':58} {list_city_ms:10.1f} {raw_list_ms:12.1f}"
    )
    print(
        f"{'people list page, district officer vs raw SQL floor (ms)':58} {list_district_ms:10.1f} {raw_district_ms:12.1f}"
    )
    print(
        f"{'home page, city officer vs raw SQL floor (ms)':58} {home_ms:10.1f} {raw_home_ms:12.1f}"
    )
    print(
        f"{'1,000 activation codes: HMAC vs PBKDF2 default (ms)':58} {codes_ms:10.1f} {pbkdf2_ms:12.0f}"
    )
    print_result(
        people=n,
        lookup_ms=lookup_ms,
        decrypt_scan_ms=scan_ms,
        list_city_ms=list_city_ms,
        list_city_floor_ms=raw_list_ms,
        list_district_ms=list_district_ms,
        list_district_floor_ms=raw_district_ms,
        home_ms=home_ms,
        home_floor_ms=raw_home_ms,
        codes_1000_ms=codes_ms,
        pbkdf2_1000_ms=pbkdf2_ms,
    )


if __name__ == "__main__":
    main()
