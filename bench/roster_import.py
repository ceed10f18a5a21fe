"""Roster import: the filings path (check whole, keep, confirm in one transaction with bulk
writes) against django-import-export's default row-by-row import of the same file.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hefei_cpe_filings .venv/bin/python bench/roster_import.py [ROWS] [--smoke]

Generates an Attachment 2 form of ROWS trainees (default 10,000; header block, blank lines,
full-width digits and stray spaces, 40 units of which 5 unknown, 95 % 合格) for one acknowledged
plan of a bench base, then, on the same database in the same run:

1. `roster_check` + `roster_confirm` (read with openpyxl read-only, check every row, one query
   for the known people, bulk inserts, one `entries_record` call), all of them new people;
2. the same file again (everyone already on the roster: nothing credited twice);
3. the same file for a second plan through `RosterRowImportResource.import_data` (the
   library's default path: a person lookup, `person_create`, a row save and an `entry_record`
   per row).

Peak memory is the process's peak resident set size after step 1 (the baseline runs later).
Everything the bench wrote is removed at the end (the ledger guard is lifted for that only).
Figures are printed last, then the RESULT line; `--smoke`: 50 rows (the hostile files keep
their size: refusing them is the point).
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import sys
import time
import tracemalloc
from decimal import Decimal
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hefei_cpe.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402
from _bench import print_result, size_from_argv  # noqa: E402

django.setup()

import tablib  # noqa: E402
from _roster_baseline import RosterRowImportResource  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from apps.accounts.models import Role, User  # noqa: E402
from apps.bases.models import Organiser  # noqa: E402
from apps.credits.guard import guard_install, guard_remove  # noqa: E402
from apps.credits.models import LedgerEntry, PersonYear  # noqa: E402
from apps.filings.models import Plan, RosterRow, RosterUpload  # noqa: E402
from apps.filings.services import roster_check, roster_confirm  # noqa: E402
from apps.people import idnumber  # noqa: E402
from apps.people.models import Industry, Jurisdiction, Person, Unit  # noqa: E402

TODAY = dt.date(2026, 6, 1)
FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def numbers(rows: int, offset: int) -> list[str]:
    start = dt.date(1960, 1, 1)
    return [
        idnumber.compose(
            "340111", start + dt.timedelta(days=(offset + i) // 999), (offset + i) % 999 + 1
        )
        for i in range(rows)
    ]


def form(rows: int, ids: list[str], units: list[str]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("附件2")
    sheet.append(["继续教育合格人员简明情况汇总表"])
    sheet.append(["填报单位：基准培训基地"])
    sheet.append(["填表时间：  6 月 1 日"])
    sheet.append(
        ["培 训 主 题", "基准专题培训", None, None, "培 训 时 间", "5 月 10 日 至 5 月 12 日"]
    )
    sheet.append(
        [
            "序 号",
            "姓 名",
            "单 位",
            "身 份 证 号 码",
            "技 术 职 称",
            "培 训 学 时",
            "考 试 结 果",
            "备 注",
        ]
    )
    for i, number in enumerate(ids):
        if i % 500 == 499:
            sheet.append([])  # a blank line now and then
        number = number.translate(FULL) if i % 10 == 0 else number
        sheet.append(
            [
                i + 1,
                f"学员 {i}" if i % 7 == 0 else f"学员{i}",
                f" {units[i % len(units)]} ",
                number,
                "工程师",
                24 if i % 3 else "２４",
                "不合格" if i % 20 == 19 else "合格",
                "",
            ]
        )
    sheet.append([])
    sheet.append(["联系人：基准"])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def padded_dataset(content: bytes) -> tablib.Dataset:
    """The sheet as a tablib Dataset, short rows padded (tablib refuses ragged rows)."""
    book = load_workbook(BytesIO(content), read_only=True, data_only=True)
    rows = [
        list(r[:8]) + [None] * (8 - len(r[:8]))
        for r in book.worksheets[0].iter_rows(values_only=True)
    ]
    book.close()
    return tablib.Dataset(*rows[1:], headers=rows[0])


def hostile_files(good: bytes) -> dict[str, tuple[bytes, str]]:
    """(content, filename) of each hostile file the roster upload must refuse."""
    import zipfile

    def rezip(replace: dict[str, bytes]) -> bytes:
        source = zipfile.ZipFile(BytesIO(good))
        out = BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for name in source.namelist():
                target.writestr(name, replace.get(name, source.read(name)))
            for name in set(replace) - set(source.namelist()):
                target.writestr(name, replace[name])
        return out.getvalue()

    sheet = "xl/worksheets/sheet1.xml"
    rows = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x</t></is></c></row>'
        for r in range(1, 200_001)
    )
    big = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows}</sheetData></worksheet>"
    ).encode()
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&c;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    return {
        "not a spreadsheet (PNG)": (b"\x89PNG\r\n\x1a\n" + bytes(5000), "a.xlsx"),
        "corrupt xlsx (cut in half)": (good[: len(good) // 2], "a.xlsx"),
        "zip bomb (60 MB of spaces in 60 kB)": (
            rezip({"xl/sharedStrings.xml": b" " * (60 * 1024 * 1024)}),
            "a.xlsx",
        ),
        "XML bomb (entities)": (rezip({sheet: laughs}), "a.xlsx"),
        "over the size limit (11 MB)": (b"1," * (11 * 512 * 1024), "a.csv"),
        "200,000 rows xlsx, no declared size": (rezip({sheet: big}), "a.xlsx"),
        "200,000 rows CSV": (("序号,姓名\n" + "1,甲\n" * 200_000).encode()[:9_000_000], "a.csv"),
    }


def make_plan(organiser: Organiser, staff: User, title: str) -> Plan:
    return Plan.objects.create(
        organiser=organiser,
        title=title,
        industry=Industry.objects.get(code="engineering"),
        mode=Plan.Mode.FACE_TO_FACE,
        start_date=dt.date(2026, 5, 10),
        end_date=dt.date(2026, 5, 12),
        planned_hours=Decimal("24"),
        place="基准地点",
        filed_by=staff,
        status=Plan.Status.ACKNOWLEDGED,
    )


def cleanup(organiser: Organiser, unit_names: list[str]) -> None:
    plans = Plan.objects.filter(organiser=organiser)
    people = list(RosterRow.objects.filter(plan__in=plans).values_list("person_id", flat=True))
    guard_remove(connection)
    try:
        LedgerEntry.objects.filter(person_id__in=people).delete()
    finally:
        guard_install(connection)
    PersonYear.objects.filter(person_id__in=people).delete()
    RosterRow.objects.filter(plan__in=plans).delete()
    RosterUpload.objects.filter(plan__in=plans).delete()
    plans.delete()
    Person.objects.filter(pk__in=people).delete()
    Unit.objects.filter(name__in=unit_names).delete()


def main() -> None:
    rows, _ = size_from_argv(full=10_000, smoke=50, what="rows")
    call_command("migrate", verbosity=0)
    baohe = Jurisdiction.objects.get(code="baohe")
    base, _ = Organiser.objects.get_or_create(name="基准培训基地")
    staff = User.objects.filter(username="bench-roster").first() or User.objects.create_user(
        "bench-roster", "x", full_name="基准经办", role=Role.ORGANISER_STAFF, organiser=base
    )
    known_units = [f"基准单位{i}" for i in range(35)]
    unknown_units = [f"基准新单位{i}" for i in range(5)]
    cleanup(base, known_units + unknown_units)
    for name in known_units:
        Unit.objects.get_or_create(name=name, jurisdiction=baohe)

    content = form(rows, numbers(rows, 0), known_units + unknown_units)
    plan = make_plan(base, staff, "基准专题培训")
    rss_before = peak_mb()

    start = time.perf_counter()
    check = roster_check(plan=plan, user=staff, data=content, filename="bench.xlsx", today=TODAY)
    checked = time.perf_counter() - start
    assert check.upload is not None, check.problems[:3]
    start = time.perf_counter()
    result = roster_confirm(upload=check.upload, user=staff, today=TODAY)
    confirmed = time.perf_counter() - start
    ours = checked + confirmed
    rss_ours = peak_mb()
    assert result.created_people == rows and result.created_units == 5
    credited = result.credited

    start = time.perf_counter()
    again = roster_check(plan=plan, user=staff, data=content, filename="bench.xlsx", today=TODAY)
    assert again.upload is not None and again.already == rows
    repeat = roster_confirm(upload=again.upload, user=staff, today=TODAY)
    twice = time.perf_counter() - start
    assert repeat.credited == 0

    hostile = []
    for label, (data, filename) in hostile_files(content).items():
        tracemalloc.start()
        start = time.perf_counter()
        refused = roster_check(plan=plan, user=staff, data=data, filename=filename, today=TODAY)
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
        assert refused.upload is None and refused.problems[0].row == 0, label
        hostile.append((label, seconds, peak, refused.problems[0].message))

    # The baseline: a fresh file of other people, through the library's default path.
    baseline_content = form(rows, numbers(rows, 3 * rows), known_units + unknown_units)
    plan2 = make_plan(base, staff, "基准专题培训（逐行）")
    upload2 = RosterUpload.objects.create(
        plan=plan2,
        uploaded_by=staff,
        filename="baseline.xlsx",
        sha256="-",
        row_count=rows,
        passed_count=0,
    )
    start = time.perf_counter()
    dataset = padded_dataset(baseline_content)
    resource_ = RosterRowImportResource(plan=plan2, user=staff, upload=upload2)
    outcome = resource_.import_data(dataset, dry_run=False, raise_errors=True)
    baseline = time.perf_counter() - start
    assert not outcome.has_errors()
    assert (
        LedgerEntry.objects.filter(source_key__startswith=f"plan:{plan2.pk}:").count() == credited
    )

    cleanup(base, known_units + unknown_units)
    print(f"\nrows: {rows:,}; {connection.vendor}; peak RSS before {rss_before:.0f} MB")
    print(f"{'what':58} {'seconds':>9} {'rows/s':>9}")
    for label, seconds in [
        ("  check (read, validate, keep encrypted)", checked),
        ("  confirm (people, rows, ledger in one transaction)", confirmed),
        ("filings: check + confirm, all new people", ours),
        ("filings: same file again (nobody credited twice)", twice),
        ("baseline: django-import-export row by row", baseline),
    ]:
        print(f"{label:58} {seconds:9.2f} {rows / seconds:9.0f}")
    print(f"peak RSS after the filings import: {rss_ours:.0f} MB")
    print("\nhostile file                              seconds (traced)  peak MB  message")
    for label, seconds, peak, message in hostile:
        print(f"{label:42} {seconds:9.2f} {peak:14.1f}  {message[:40]}")
    print(f"\nratio baseline / filings: {baseline / ours:.1f}x")
    print_result(
        rows=rows,
        database=connection.vendor,
        check_s=checked,
        confirm_s=confirmed,
        filings_s=ours,
        again_s=twice,
        baseline_s=baseline,
        ratio=baseline / ours,
        peak_rss_mb=rss_ours,
        hostile_max_s=max(seconds for _, seconds, _, _ in hostile),
        hostile_max_mb=max(peak for _, _, peak, _ in hostile),
    )


if __name__ == "__main__":
    main()
