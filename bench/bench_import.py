"""Bulk registration from Excel: one validation pass and bulk insert vs one service call a row.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hefei_cpe_bench .venv/bin/python bench/bench_import.py [ROWS] [--smoke]

Builds a sheet of ROWS professionals (default 10,000) for one district unit, then times, in the
same run and on the same database: `people_import` (read the sheet, check every row, one query
for the already registered, bulk insert) against the naive path of calling `person_create` for
each row (validation, a duplicate query and an insert per row). The people created are removed
afterwards. Figures are printed last, then the RESULT line; `--smoke`: 50 rows.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from io import BytesIO
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
from openpyxl import Workbook  # noqa: E402

from apps.accounts.models import Role, User  # noqa: E402
from apps.people import idnumber  # noqa: E402
from apps.people.importing import people_import  # noqa: E402
from apps.people.models import Industry, Jurisdiction, Person, Unit  # noqa: E402
from apps.people.services import person_create  # noqa: E402


def numbers(rows: int, offset: int) -> list[str]:
    start = dt.date(1950, 1, 1)
    return [
        idnumber.compose(
            "340121", start + dt.timedelta(days=(offset + i) // 999), (offset + i) % 999 + 1
        )
        for i in range(rows)
    ]


def main() -> None:
    rows, _ = size_from_argv(full=10_000, smoke=50, what="rows")
    call_command("migrate", verbosity=0)
    changfeng = Jurisdiction.objects.get(code="changfeng")
    unit, _ = Unit.objects.get_or_create(name="基准导入单位", jurisdiction=changfeng)
    officer = User.objects.filter(username="bench-import").first() or User.objects.create_user(
        "bench-import", "x", full_name="基准", role=Role.DISTRICT_OFFICER, jurisdiction=changfeng
    )
    Person.objects.filter(unit=unit).delete()

    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号码", "单位", "技术职称", "职称级别", "取得现职称年份"])
    for i, number in enumerate(numbers(rows, 0)):
        sheet.append([f"导入{i}", number, unit.name, "工程师", "中级", 2018])
    buffer = BytesIO()
    book.save(buffer)
    content = buffer.getvalue()

    start = time.perf_counter()
    report = people_import(officer=officer, file=BytesIO(content), filename="bench.xlsx")
    ours = time.perf_counter() - start
    assert report.ok and report.created == rows, report.problems[:3]

    start = time.perf_counter()
    report_again = people_import(officer=officer, file=BytesIO(content), filename="bench.xlsx")
    again = time.perf_counter() - start
    assert report_again.unchanged == rows

    general = Industry.objects.get(code="general")
    start = time.perf_counter()
    for i, number in enumerate(numbers(rows, rows)):
        person_create(
            name=f"逐行{i}",
            id_number=number,
            unit=unit,
            industry=general,
            title="工程师",
            title_level="intermediate",
            title_year=2018,
        )
    naive = time.perf_counter() - start
    Person.objects.filter(unit=unit).delete()

    print(f"\nrows: {rows:,}; {connection.vendor}")
    print(f"{'what':52} {'seconds':>9} {'rows/s':>9}")
    print(f"{'people_import (check all, bulk insert)':52} {ours:9.2f} {rows / ours:9.0f}")
    print(f"{'people_import again (all unchanged)':52} {again:9.2f} {rows / again:9.0f}")
    print(f"{'baseline: person_create a row':52} {naive:9.2f} {rows / naive:9.0f}")
    print_result(
        rows=rows,
        database=connection.vendor,
        import_s=ours,
        again_s=again,
        baseline_s=naive,
        ratio=naive / ours,
    )


if __name__ == "__main__":
    main()
