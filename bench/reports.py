"""City compliance reports at city scale: dashboards, drill-down, full refresh, export.

    createdb -h 127.0.0.1 -U postgres hefei_cpe_reports_big
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hefei_cpe_reports_big \\
        .venv/bin/python bench/reports.py 200000
    DATABASE_URL=... .venv/bin/python bench/reports.py --smoke     # toy size, for CI

Builds the city with `manage.py demo_city --people N --years 2021-2025` if the database has no
people (a database holding a different number of people is refused: use another one), then
measures, on PostgreSQL, each against the hand-written SQL floor on the same tables:

- the city officer's dashboard, a district officer's and the administrator's of the largest
  unit (whole Django requests through the test client: session, user, every query, template;
  median of several requests) vs the same queries typed by hand and run on a cursor, each
  twice: cold, the first request after a refresh of the summaries (the figures computed: what
  the first viewer after a refresh pays; the refresh is simulated by moving the latest
  SummaryRefresh's finished_at, which changes the cache version exactly as a refresh does,
  outside the timing), and warm, a cache hit (the figures read from Django's cache: local
  memory here, REDIS_URL unset; Redis in production adds a round trip);
- the first page of the city's drill-down (people short, largest shortfall first) and a page
  further on (seek paging) vs its SQL;
- the full rebuild of the summaries (`summaries_refresh`);
- the district's people export (.xlsx, every person of the year) in a fresh process: time,
  peak resident memory of that process, rows and file size. Above REPORTS_EXPORT_JOB_ROWS the
  request submits a job, which runs eagerly in that process (REDIS_URL unset): the figures are
  the job's.

Ends with one line `RESULT people=N city_s=… city_cold_s=… city_floor_s=… district_s=…
drilldown_s=… refresh_s=… export_s=… export_mb=…` (and a few more keys, among them the load
average at the start and the end: the machine is shared, so ratios to the floor measured in the
same run mean more than the times). `city_s`, `district_s` and `unit_s` are the warm (cached)
dashboards; `city_cold_s`, `district_cold_s` and `unit_cold_s` the cold ones (what `city_s` …
measured before the dashboards were cached); `*_floor_s` the hand-written SQL of the whole
dashboard (the cold path's queries).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from _bench import PRODUCTION_ENV  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hefei_cpe.settings")
# As in production (DEBUG off): cached templates, hashed static files, no query log. The
# reports read no encrypted column, so a city built with other keys is measured the same.
for _name, _value in PRODUCTION_ENV.items():
    os.environ.setdefault(_name, _value)
# `manage.py demo_city` builds the city: demo data, in the demo app, installed with DEMO=1.
os.environ.setdefault("DEMO", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from apps.accounts.models import Role, User  # noqa: E402
from apps.people.models import Jurisdiction, Person  # noqa: E402

YEAR = 2025
YEARS = "2021-2025"
SUMS = (
    "SUM(people), SUM(compliant), SUM(no_hours), SUM(short_public), SUM(short_professional), "
    "SUM(short_both), SUM(made_up_previous), SUM(public_sum), SUM(professional_sum)"
)
COLUMNS = SUMS.replace("SUM(", "").replace(")", "")


def median_s(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def sql(statement: str, params: list | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        return cursor.fetchall() if cursor.description else []


def dashboard_floor(jurisdiction_id: int | None) -> None:
    """The dashboard's queries, by hand, in the fewest round trips the page itself makes: the
    two reference lists in one query, the freshness, the four groupings of the rollup in one
    UNION ALL, the worst units with their names. (Until session 20 the floor ran the lists
    and the groupings as six separate queries; the page then folded them, so the floor did
    too: it stays the best the same SQL can do.)"""
    where = "year = %s" + (" AND jurisdiction_id = %s" if jurisdiction_id else "")
    params: list = [YEAR] + ([jurisdiction_id] if jurisdiction_id else [])
    table = "reports_compliancerollup"
    sql(
        "SELECT 0, id, name, sort_order, code FROM people_jurisdiction UNION ALL "
        "SELECT 1, id, name, 0, code FROM people_industry ORDER BY 1, 4, 5"
    )
    freshness_floor()
    trend_where = "year BETWEEN 2021 AND %s" + (
        " AND jurisdiction_id = %s" if jurisdiction_id else ""
    )
    sql(
        f"SELECT 0, in_scope, jurisdiction_id, NULL::int, NULL::text, NULL::int, {SUMS} FROM {table} "
        f"WHERE {where} GROUP BY 2, 3 UNION ALL "
        f"SELECT 1, in_scope, NULL, industry_id, NULL, NULL, {SUMS} FROM {table} "
        f"WHERE {where} AND in_scope GROUP BY 2, 4 UNION ALL "
        f"SELECT 2, in_scope, NULL, NULL, title_level, NULL, {SUMS} FROM {table} "
        f"WHERE {where} AND in_scope GROUP BY 2, 5 UNION ALL "
        f"SELECT 3, in_scope, NULL, NULL, NULL, year, {SUMS} FROM {table} "
        f"WHERE {trend_where} AND in_scope GROUP BY 2, 6",
        params * 4,
    )
    sql(
        f"SELECT c.unit_id, c.jurisdiction_id, c.short, {COLUMNS}, u.name "
        "FROM reports_complianceunityear c JOIN people_unit u ON u.id = c.unit_id "
        f"WHERE {where.replace('year', 'c.year').replace('jurisdiction_id', 'c.jurisdiction_id')}"
        " AND c.in_scope ORDER BY c.short DESC, c.unit_id LIMIT 11",
        params,
    )


def summaries_touched() -> None:
    """What a refresh does to the dashboards' cache: the latest refresh's finished_at moves,
    so the version the figures are cached under changes (the figures stay the same)."""
    sql(
        "UPDATE reports_summaryrefresh SET finished_at = clock_timestamp() WHERE id = (SELECT id "
        "FROM reports_summaryrefresh ORDER BY finished_at DESC, id DESC LIMIT 1)"
    )


def freshness_floor() -> None:
    sql(
        "SELECT * FROM reports_summaryrefresh WHERE id IN ((SELECT id FROM reports_summaryrefresh "
        "WHERE kind = 'full' ORDER BY finished_at DESC, id DESC LIMIT 1), (SELECT id FROM "
        "reports_summaryrefresh WHERE kind = 'incremental' ORDER BY finished_at DESC, id DESC "
        "LIMIT 1))"
    )


def unit_dashboard_floor(unit_id: int) -> None:
    """A unit administrator's dashboard by hand: the unit, the reference lists, the
    freshness and four groupings of the unit's groups."""
    table = "reports_compliancegroup"
    sql("SELECT * FROM people_unit WHERE id = %s", [unit_id])
    sql("SELECT id, name FROM people_jurisdiction ORDER BY sort_order, code")
    sql("SELECT id, name FROM people_industry ORDER BY code")
    freshness_floor()
    where, params = "year = %s AND unit_id = %s", [YEAR, unit_id]
    sql(
        f"SELECT jurisdiction_id, in_scope, {SUMS} FROM {table} WHERE {where} GROUP BY 1, 2", params
    )
    sql(f"SELECT industry_id, {SUMS} FROM {table} WHERE {where} AND in_scope GROUP BY 1", params)
    sql(f"SELECT title_level, {SUMS} FROM {table} WHERE {where} AND in_scope GROUP BY 1", params)
    sql(
        f"SELECT year, {SUMS} FROM {table} WHERE year BETWEEN 2021 AND %s AND unit_id = %s "
        "AND in_scope GROUP BY 1",
        params,
    )


def drilldown_floor() -> None:
    sql(
        "SELECT f.person_id, f.public, f.professional, f.total, f.shortfall_public, "
        "f.shortfall_professional, f.shortfall, f.compliant, p.name, p.id_number_masked, "
        "u.name FROM reports_personyearfact f JOIN people_person p ON p.id = f.person_id "
        "JOIN people_unit u ON u.id = f.unit_id WHERE f.year = %s AND f.in_scope "
        "AND NOT f.compliant ORDER BY f.shortfall DESC, f.person_id LIMIT 51",
        [YEAR],
    )


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux keeps `ru_maxrss` across exec, so a child
    started by a parent that built the city would report the parent's peak: VmHWM is the
    process's own (its memory map's high-water mark)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def export_child(jurisdiction_id: int) -> None:
    """Runs in a fresh process: one export request (streamed to nowhere, or its eager job);
    prints its figures."""
    setup_test_environment()
    client = Client()
    client.force_login(User.objects.get(username="bench-reports-city"))
    start, cpu = time.perf_counter(), time.process_time()
    response = client.get(
        f"/reports/export/people.xlsx?year={YEAR}&status=all&jurisdiction={jurisdiction_id}"
    )
    if response.status_code == 302:
        # Longer than REPORTS_EXPORT_JOB_ROWS: a job, run eagerly in this process when
        # REDIS_URL is unset (the bench's setting), so its time and memory count here.
        from apps.jobs.models import Job

        job = Job.objects.filter(owner__username="bench-reports-city").latest("created_at")
        assert job.status == Job.Status.DONE, (job.status, job.error)
        size = job.result_file.size
        response.status_code = 200
    else:
        size = sum(len(chunk) for chunk in response.streaming_content)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    rows = sql(
        "SELECT count(*) FROM reports_personyearfact WHERE year = %s AND jurisdiction_id = %s "
        "AND in_scope",
        [YEAR, jurisdiction_id],
    )[0][0]
    peak_mb = peak_rss_mb()
    print(f"EXPORT {response.status_code} {seconds:.3f} {peak_mb:.1f} {rows} {size} {cpu:.3f}")


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Point DATABASE_URL at a PostgreSQL scratch database.")
    args = sys.argv[1:]
    if args[:1] == ["--export-child"]:
        export_child(int(args[1]))
        return
    smoke = "--smoke" in args
    numbers = [a for a in args if not a.startswith("--")]
    n = 2_000 if smoke else int(numbers[0]) if numbers else 200_000
    repeat = 3 if smoke else 7
    # The dashboards are a few tens of ms each on a shared machine: more samples.
    dash_repeat = 3 if smoke else 15
    setup_test_environment()
    load_start = os.getloadavg()[0]
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the hashed names pages link

    existing = Person.objects.count()
    build_s = 0.0
    if existing == 0:
        start = time.perf_counter()
        call_command("demo_city", people=n, years=YEARS)
        build_s = time.perf_counter() - start
    elif existing != n:
        sys.exit(f"The database holds {existing} people, not {n}: use an empty database.")

    # The full rebuild first: a city built by an older version gets every summary table.
    from apps.reports.summaries import summaries_refresh

    refresh_s = 0.0
    if "--no-refresh" not in args:  # a city whose summaries are current
        start = time.perf_counter()
        summaries_refresh()
        refresh_s = time.perf_counter() - start
    for table in (
        "reports_personyearfact",
        "reports_compliancegroup",
        "reports_compliancerollup",
        "reports_complianceunityear",
    ):
        sql(f"VACUUM ANALYZE {table}")

    city = User.objects.filter(username="bench-reports-city").first() or User.objects.create_user(
        "bench-reports-city", "x", full_name="基准", role=Role.CITY_OFFICER
    )
    district_row = sql(
        "SELECT jurisdiction_id FROM reports_personyearfact WHERE year = %s AND in_scope "
        "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
        [YEAR],
    )
    district_id = district_row[0][0]
    district_user = User.objects.filter(username="bench-reports-district").first()
    if district_user is None:
        district_user = User.objects.create_user(
            "bench-reports-district",
            "x",
            full_name="基准",
            role=Role.DISTRICT_OFFICER,
            jurisdiction=Jurisdiction.objects.get(pk=district_id),
        )

    unit_id = sql(
        "SELECT unit_id FROM reports_complianceunityear WHERE year = %s AND in_scope "
        "ORDER BY people DESC, unit_id LIMIT 1",
        [YEAR],
    )[0][0]
    unit_user = User.objects.filter(username="bench-reports-unit").first()
    if unit_user is None or unit_user.unit_id != unit_id:
        User.objects.filter(username="bench-reports-unit").delete()
        unit_user = User.objects.create_user(
            "bench-reports-unit", "x", full_name="基准", role=Role.UNIT_ADMIN, unit_id=unit_id
        )

    city_client, district_client, unit_client = Client(), Client(), Client()
    city_client.force_login(city)
    district_client.force_login(district_user)
    unit_client.force_login(unit_user)

    def get(client: Client, url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    dashboard = f"/reports/?year={YEAR}&from_year=2021"
    get(city_client, dashboard)  # warm caches and connections

    def dashboard_medians(client: Client, floor) -> tuple[float, float, float]:
        """Cold, warm and floor medians, interleaved round by round (the machine's load moves
        between rounds, not within one): the version moved (untimed, as a refresh would), the
        first request (cold: the figures computed and cached), the second (warm: a cache
        hit), the floor's queries."""
        cold, warm, bare = [], [], []
        for _ in range(dash_repeat):
            summaries_touched()
            for samples, fn in ((cold, get), (warm, get)):
                start = time.perf_counter()
                fn(client, dashboard)
                samples.append(time.perf_counter() - start)
            start = time.perf_counter()
            floor()
            bare.append(time.perf_counter() - start)
        return statistics.median(cold), statistics.median(warm), statistics.median(bare)

    get(city_client, dashboard)  # warm caches and connections
    city_cold_s, city_s, city_floor_s = dashboard_medians(
        city_client, lambda: dashboard_floor(None)
    )
    get(district_client, dashboard)
    district_cold_s, district_s, district_floor_s = dashboard_medians(
        district_client, lambda: dashboard_floor(district_id)
    )
    get(unit_client, dashboard)
    unit_cold_s, unit_s, unit_floor_s = dashboard_medians(
        unit_client, lambda: unit_dashboard_floor(unit_id)
    )

    people = f"/reports/people/?year={YEAR}&status=short"
    get(city_client, people)
    drilldown_s = median_s(lambda: get(city_client, people), repeat)
    drilldown_floor_s = median_s(drilldown_floor, repeat)
    # A page further on: seek past the 500th person short.
    after = sql(
        "SELECT shortfall, person_id FROM reports_personyearfact WHERE year = %s AND in_scope "
        "AND NOT compliant ORDER BY shortfall DESC, person_id OFFSET 500 LIMIT 1",
        [YEAR],
    )
    deep_s = 0.0
    if after:
        deep = f"{people}&after={after[0][0]}.{after[0][1]}"
        deep_s = median_s(lambda: get(city_client, deep), repeat)

    child = subprocess.run(
        [sys.executable, __file__, "--export-child", str(district_id)],
        capture_output=True,
        text=True,
        check=False,
        env=os.environ,
    )
    if child.returncode:
        sys.exit(f"The export child failed:\n{child.stdout}\n{child.stderr}")
    line = next(x for x in child.stdout.splitlines() if x.startswith("EXPORT "))
    _, status, export_s, export_mb, export_rows, export_bytes, export_cpu_s = line.split()
    assert status == "200", child.stdout + child.stderr

    dashboards = "".join(
        f"  {name:<27}cold {cold * 1000:7.1f} ms ({cold / floor:.1f}x)   "
        f"warm {warm * 1000:6.1f} ms ({warm / floor:.1f}x)   SQL floor {floor * 1000:6.1f} ms\n"
        for name, cold, warm, floor in (
            ("city dashboard", city_cold_s, city_s, city_floor_s),
            ("district dashboard", district_cold_s, district_s, district_floor_s),
            ("unit dashboard (largest)", unit_cold_s, unit_s, unit_floor_s),
        )
    )
    print(
        f"\nreports at {n} people x 5 years (PostgreSQL; medians of {dash_repeat} per dashboard, "
        f"{repeat} otherwise)\n"
        f"  build (demo_city)          {build_s:9.1f} s{'  (reused)' if not build_s else ''}\n"
        f"{dashboards}"
        f"  drill-down, first page     {drilldown_s * 1000:9.1f} ms   SQL floor "
        f"{drilldown_floor_s * 1000:8.1f} ms\n"
        f"  drill-down, page 11        {deep_s * 1000:9.1f} ms\n"
        f"  full refresh of summaries  {refresh_s:9.1f} s\n"
        f"  load average               {load_start:9.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end (2 cores)\n"
        f"  district export            {float(export_s):9.1f} s   {export_rows} rows, "
        f"{int(export_bytes) / 1e6:.1f} MB file, peak RSS {export_mb} MB, "
        f"{float(export_cpu_s):.1f} s of CPU in the web process"
    )
    print(
        f"RESULT people={n} city_s={city_s:.4f} city_cold_s={city_cold_s:.4f} "
        f"city_floor_s={city_floor_s:.4f} "
        f"district_s={district_s:.4f} district_cold_s={district_cold_s:.4f} "
        f"district_floor_s={district_floor_s:.4f} "
        f"unit_s={unit_s:.4f} unit_cold_s={unit_cold_s:.4f} unit_floor_s={unit_floor_s:.4f} "
        f"drilldown_s={drilldown_s:.3f} drilldown_deep_s={deep_s:.3f} "
        f"drilldown_floor_s={drilldown_floor_s:.3f} refresh_s={refresh_s:.1f} "
        f"export_s={float(export_s):.1f} export_cpu_s={float(export_cpu_s):.1f} "
        f"export_mb={export_mb} export_rows={export_rows} "
        f"build_s={build_s:.1f} load_start={load_start:.1f} load={os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
