"""The ledger at city scale: the city-wide compliance report, and keeping year totals current.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hefei_cpe_bench_ledger \
        .venv/bin/python bench/bench_ledger.py [N] [--smoke]

Builds N professionals (default 1,000,000) with ledger entries for one year (a public course for
90 %, a base training of 40-79 hours for everybody, and for a third of them a paper of their
own), in the database named by DATABASE_URL (created and migrated if needed; rebuilt when N
changes), then compares in the same run:

- the city's compliance report by jurisdiction for the year, read from `PersonYear` (one narrow
  row per person and year, kept current as entries arrive) vs the raw SQL floor of computing it
  from the ledger entries themselves (sum per person and subject, then compare; this floor even
  skips caps and make-up, which the rules engine would add);
- refreshing the year totals of 10,000 people (what one 10,000-row roster triggers) with the
  bulk `person_years_refresh` vs calling it person by person (the naive path), for people whose
  ledgers are all different (each has a paper of their own: no evaluation can be shared) and
  for people whose ledgers are alike (the same few kinds of roster and course: shared).
Figures are printed last, then the RESULT line; `--smoke`: 3,000 people, the naive refresh timed on 50 of them.
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

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402

from apps.credits import guard as ledger_guard  # noqa: E402
from apps.credits.ledger import person_years_refresh  # noqa: E402
from apps.credits.models import PersonYear  # noqa: E402
from apps.people.models import Industry, Jurisdiction, Unit  # noqa: E402
from apps.verification import guard as verification_guard  # noqa: E402

YEAR = 2025


def timed(fn, repeat: int = 5) -> float:
    """Median wall time in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def sql(statement: str, params: list | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        return cursor.fetchall() if cursor.description else []


def build(n: int) -> None:
    papers = sql("SELECT count(*) FROM credits_ledgerentry WHERE kind = 'paper'")[0][0]
    if sql("SELECT count(*) FROM people_person")[0][0] == n and papers:
        return
    # The bench, not the application, empties the ledger (and what cascades from people).
    for guard in (ledger_guard, verification_guard):
        guard.guard_remove(connection)
    try:
        sql("TRUNCATE credits_personyear, credits_ledgerentry, people_person CASCADE")
    finally:
        for guard in (ledger_guard, verification_guard):
            guard.guard_install(connection)
    units = []
    for j in Jurisdiction.objects.all():
        for k in range(40):
            unit, _ = Unit.objects.get_or_create(name=f"基准单位{j.code}-{k}", jurisdiction=j)
            units.append(unit.pk)
    industry = Industry.objects.get(code="general").pk
    # People: placeholders for the encrypted number (never decrypted here), a unique hash.
    sql(
        """
        INSERT INTO people_person (name, id_number_encrypted, id_number_hash, id_number_masked,
            gender, birth_date, unit_id, title, title_level, industry_id, created_at, updated_at)
        SELECT '人员' || i, 'x', md5(i::text), '340104********0000', 'M', DATE '1980-01-01',
            (%s::int[])[1 + i %% %s], '工程师', 'intermediate', %s, now(), now()
        FROM generate_series(1, %s) AS i
        """,
        [units, len(units), industry, n],
    )
    # Entries: a public course for 90 %, a base training of 40-79 hours for everybody.
    common = """'{reviewer}', '{org}', now(), '{{}}'::jsonb, '', '', '', ''"""
    sql(
        f"""
        INSERT INTO credits_ledgerentry (person_id, year, kind, subject, params, hours, source,
            source_key, reviewer_name, reviewer_org, recorded_at, note, title, source_label,
            reason)
        SELECT id, {YEAR}, 'public_course', 'public', '{{"topic": "t"}}'::jsonb, 30,
            'public_course', 'p:' || id, '审核', '合肥市人社局', now(), '', '', '', ''
        FROM people_person WHERE id %% 10 <> 0
        UNION ALL
        SELECT id, {YEAR}, 'base_training', 'professional',
            jsonb_build_object('hours', 40 + id %% 40), 40 + id %% 40,
            'roster', 'r:' || id, '审核', '合肥市人社局', now(), '', '', '', ''
        FROM people_person
        UNION ALL
        SELECT id, {YEAR}, 'paper', 'professional',
            jsonb_build_object('journal', 'provincial', 'chars', 5000, 'indexed', false,
                               'paper_id', 'paper-' || id), 15,
            'claim', 'c:' || id, '审核', '合肥市人社局', now(), '', '', '', ''
        FROM people_person WHERE id %% 3 = 0
        """
    )
    del common
    # Year totals through the application's own refresh, in batches.
    ids = [row[0] for row in sql("SELECT id FROM people_person ORDER BY id")]
    for start in range(0, len(ids), 20_000):
        person_years_refresh(person_ids=ids[start : start + 20_000])
    sql("VACUUM ANALYZE")


def report_orm() -> list[dict]:
    return list(
        PersonYear.objects.filter(year=YEAR)
        .values("person__unit__jurisdiction_id")
        .annotate(people=Count("id"), compliant=Count("id", filter=Q(compliant=True)))
        .order_by("person__unit__jurisdiction_id")
    )


def report_from_entries() -> list[tuple]:
    return sql(
        f"""
        SELECT u.jurisdiction_id, count(*),
               count(*) FILTER (WHERE t.public >= 30 AND t.professional >= 60)
        FROM (
            SELECT person_id,
                   sum(hours) FILTER (WHERE subject = 'public') AS public,
                   sum(hours) FILTER (WHERE subject = 'professional') AS professional
            FROM credits_ledgerentry WHERE year = {YEAR} AND reverses_id IS NULL
            GROUP BY person_id
        ) t
        JOIN people_person p ON p.id = t.person_id JOIN people_unit u ON u.id = p.unit_id
        GROUP BY u.jurisdiction_id ORDER BY u.jurisdiction_id
        """
    )


def main() -> None:
    n, smoke = size_from_argv(full=1_000_000, smoke=3_000, what="people")
    if connection.vendor != "postgresql":
        sys.exit("Point DATABASE_URL at a PostgreSQL scratch database.")
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    build(n)
    build_s = time.perf_counter() - t0

    orm = report_orm()
    floor = report_from_entries()
    assert [(r["person__unit__jurisdiction_id"], r["people"]) for r in orm] == [
        (row[0], row[1]) for row in floor
    ]
    report_ms = timed(report_orm, 5)
    entries_ms = timed(report_from_entries, 3)

    def refresh(ids: list[int]) -> tuple[float, float]:
        bulk = timed(lambda: person_years_refresh(person_ids=ids), 3)
        sample = ids[: 50 if smoke else 500]
        one_by_one = timed(lambda: [person_years_refresh(person_ids=[i]) for i in sample], 1)
        return bulk, one_by_one * len(ids) / len(sample)

    distinct = [r[0] for r in sql("SELECT id FROM people_person WHERE id %% 3 = 0 LIMIT 10000")]
    alike = [r[0] for r in sql("SELECT id FROM people_person WHERE id %% 3 <> 0 LIMIT 10000")]
    bulk_ms, one_by_one_ms = refresh(distinct)
    alike_ms, alike_one_ms = refresh(alike)
    compliant = sum(r["compliant"] for r in orm)

    print(
        f"people: {n:,}; ledger entries: {sql('SELECT count(*) FROM credits_ledgerentry')[0][0]:,}"
    )
    print(f"set-up (or reuse): {build_s:.1f} s; compliant in {YEAR}: {compliant:,}")
    print(f"city report by jurisdiction, from PersonYear:        {report_ms:8.0f} ms")
    print(f"same report from the ledger entries (SQL floor):     {entries_ms:8.0f} ms")
    print(f"  ratio: {entries_ms / report_ms:.1f}x")
    print(f"refresh 10,000 people, all ledgers different, bulk: {bulk_ms:8.0f} ms")
    print(f"same, person by person (naive path, from 500):       {one_by_one_ms:8.0f} ms")
    print(f"  ratio: {one_by_one_ms / bulk_ms:.1f}x")
    print(f"refresh 10,000 people with alike ledgers, bulk:      {alike_ms:8.0f} ms")
    print(f"same, person by person (naive path, from 500):       {alike_one_ms:8.0f} ms")
    print(f"  ratio: {alike_one_ms / alike_ms:.1f}x")
    full_s = bulk_ms * n / 10000 / 1000
    print(f"  a full rebuild of {n:,} different ledgers at that rate: {full_s:6.0f} s")
    print_result(
        people=n,
        report_ms=report_ms,
        report_floor_ms=entries_ms,
        report_ratio=entries_ms / report_ms,
        refresh_bulk_ms=bulk_ms,
        refresh_naive_ms=one_by_one_ms,
        refresh_ratio=one_by_one_ms / bulk_ms,
        alike_bulk_ms=alike_ms,
        alike_naive_ms=alike_one_ms,
        alike_ratio=alike_one_ms / alike_ms,
        full_rebuild_s=full_s,
    )


if __name__ == "__main__":
    main()
