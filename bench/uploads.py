"""The one upload pipeline against hostile files, and the one xlsx writer at export size.

    .venv/bin/python bench/uploads.py            # full: every upload, a 200,000-row export
    .venv/bin/python bench/uploads.py --smoke    # toy size, seconds

1. Each hostile file of tests/uploads/hostile.py (a zip bomb of 1 GB, a gigabyte of blank rows
   or markup, an XML entity bomb, 200,000 rows with and without a declared size, an oversize
   CSV, a CSV in neither UTF-8 nor GB18030) through the check of each upload (people import,
   roster, public-course results): seconds and peak traced memory until it is refused.
2. An export of N rows × 6 columns through `hefei_cpe.xlsx.XlsxWriter`, streamed
   (`write_only=True`) and built in memory: seconds, peak traced memory, file size.

Works on the configured database (SQLite under var/ by default) inside a transaction that is
rolled back: nothing is left behind. Ends with one `RESULT key=value …` line.
"""

from __future__ import annotations

import os
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hefei_cpe.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from apps.accounts.models import Role, User  # noqa: E402
from apps.bases.models import Organiser  # noqa: E402
from apps.filings.models import Plan  # noqa: E402
from apps.filings.services import roster_check  # noqa: E402
from apps.people.importing import people_import_check  # noqa: E402
from apps.people.models import Industry, Jurisdiction  # noqa: E402
from apps.publiccourse.importing import results_check  # noqa: E402
from apps.publiccourse.services import topic_create  # noqa: E402
from hefei_cpe.xlsx import XlsxWriter  # noqa: E402
from tests.uploads import hostile  # noqa: E402

ID = "340104198703152314"


class Rollback(Exception):
    pass


def measure(action: Callable[[], object]) -> tuple[float, float, object]:
    tracemalloc.start()
    start = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    return seconds, peak, result


def uploads() -> dict[str, tuple[list[str], list[str], Callable[[bytes, str], list]]]:
    import datetime as dt
    from decimal import Decimal

    shushan = Jurisdiction.objects.get(code="shushan")
    officer = User.objects.create_user(
        "bench-upload-officer",
        "x",
        full_name="基准",
        role=Role.DISTRICT_OFFICER,
        jurisdiction=shushan,
    )
    base = Organiser.objects.create(name="基准上传基地")
    staff = User.objects.create_user(
        "bench-upload-staff", "x", full_name="基准", role=Role.ORGANISER_STAFF, organiser=base
    )
    plan = Plan.objects.create(
        organiser=base,
        title="基准培训",
        industry=Industry.objects.get(code="health"),
        mode=Plan.Mode.FACE_TO_FACE,
        start_date=dt.date(2026, 5, 10),
        end_date=dt.date(2026, 5, 12),
        planned_hours=Decimal("24"),
        place="合肥",
        filed_by=staff,
        status=Plan.Status.ACKNOWLEDGED,
    )
    topic_create(year=2021, title="数字经济")
    return {
        "people": (
            ["姓名", "身份证号码", "单位"],
            ["张三", ID, "某单位"],
            lambda data, name: (
                people_import_check(officer=officer, data=data, filename=name).problems
            ),
        ),
        "roster": (
            ["序号", "姓名", "单位", "身份证号码", "技术职称", "培训学时", "考试结果"],
            ["1", "张三", "某单位", ID, "", "8", "合格"],
            lambda data, name: (
                roster_check(
                    plan=plan, user=staff, data=data, filename=name, today=dt.date(2026, 6, 1)
                ).problems
            ),
        ),
        "publiccourse": (
            ["身份证号码", "姓名", "专题", "考试结果"],
            [ID, "张三", "数字经济", "合格"],
            lambda data, name: results_check(year=2021, data=data, filename=name).problems,
        ),
    }


def hostile_files(headings: list[str], row: list[str], smoke: bool) -> dict[str, tuple[bytes, str]]:
    many = 2_000 if smoke else 200_000  # the smoke run lowers the row limits to 1,000
    files = {
        "zip bomb, one cell of 1 GB": (hostile.zip_bomb(headings), "a.xlsx"),
        "zip bomb, 1 GB of markup": (hostile.markup_bomb(headings), "a.xlsx"),
        "headings + 1 GB of blank rows": (hostile.blank_rows_bomb(headings), "a.xlsx"),
        "XML entity bomb": (hostile.entity_bomb(headings), "a.xlsx"),
        f"{many:,} rows, declared": (
            hostile.many_rows(headings, row, many, declared=True),
            "a.xlsx",
        ),
        f"{many:,} rows, undeclared": (
            hostile.many_rows(headings, row, many, declared=False),
            "a.xlsx",
        ),
        "oversize CSV": (b"a" * (10 * 1024 * 1024 + 1), "a.csv"),
        "CSV in neither encoding": (hostile.neither_utf8_nor_gb18030(headings), "a.csv"),
        "corrupt xlsx": (hostile.corrupt(headings), "a.xlsx"),
        "not a spreadsheet": (hostile.not_a_spreadsheet(), "a.xlsx"),
    }
    if smoke:
        for slow in ("zip bomb, 1 GB of markup", "headings + 1 GB of blank rows"):
            del files[slow]
    return files


def export(rows: int, write_only: bool) -> bytes:
    writer = XlsxWriter(title="导出", widths=(12, 22, 30, 18, 14, 10), write_only=write_only)
    writer.heading(["姓名", "身份证号码", "单位", "激活码", "有效期至", "备注"])
    for i in range(rows):
        writer.row(
            [f"人员{i}", "340104********2314", f"单位{i % 500}", "ABCD-EFGH", "2026-12-31", "=1+1"]
        )
    return writer.getvalue()


def main() -> None:
    from django.conf import settings

    smoke = "--smoke" in sys.argv
    if smoke:
        settings.PEOPLE_IMPORT_MAX_ROWS = settings.FILINGS_ROSTER_MAX_ROWS = 1_000
        settings.PUBLIC_COURSE_IMPORT_MAX_ROWS = 1_000
    call_command("migrate", verbosity=0)
    results = []
    try:
        with transaction.atomic():
            for upload, (headings, row, check) in uploads().items():
                if smoke and upload != "people":
                    continue
                for label, (data, filename) in hostile_files(headings, row, smoke).items():
                    seconds, peak, problems = measure(lambda: check(data, filename))  # noqa: B023
                    assert isinstance(problems, list) and problems and problems[0].row == 0
                    results.append((upload, label, seconds, peak, problems[0].message))
            raise Rollback
    except Rollback:
        pass
    rows = 2_000 if smoke else 200_000
    streamed_s, streamed_mb, streamed = measure(lambda: export(rows, True))
    memory_s, memory_mb, _ = measure(lambda: export(rows, False))
    assert isinstance(streamed, bytes)

    print(f"\n{connection.vendor}; {'smoke' if smoke else 'full'} run")
    print(f"{'upload':13} {'hostile file':32} {'seconds':>8} {'peak MB':>8}  message")
    for upload, label, seconds, peak, message in results:
        print(f"{upload:13} {label:32} {seconds:8.2f} {peak:8.1f}  {message[:44]}")
    print(f"\nexport of {rows:,} rows × 6 columns   seconds  peak MB  file MB")
    size = len(streamed) / 1024 / 1024
    print(f"  streamed (write_only)          {streamed_s:8.2f} {streamed_mb:8.1f} {size:8.1f}")
    print(f"  built in memory                {memory_s:8.2f} {memory_mb:8.1f}")
    slowest = max(r[2] for r in results)
    biggest = max(r[3] for r in results)
    print(
        f"RESULT hostile_files={len(results)} hostile_max_s={slowest:.2f} "
        f"hostile_max_peak_mb={biggest:.1f} export_rows={rows} "
        f"export_streamed_s={streamed_s:.2f} export_streamed_peak_mb={streamed_mb:.1f} "
        f"export_in_memory_s={memory_s:.2f} export_in_memory_peak_mb={memory_mb:.1f}"
    )


if __name__ == "__main__":
    main()
