"""Plans and Attachment 2 sheets as bases really fill them in, for the filings tests."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from apps.accounts.models import User
from apps.filings.models import Plan
from apps.people.models import Industry

TODAY = dt.date(2026, 6, 1)


def make_plan(
    *,
    staff: User,
    status: str = Plan.Status.ACKNOWLEDGED,
    start: dt.date = dt.date(2026, 5, 10),
    end: dt.date = dt.date(2026, 5, 12),
    hours: str = "24",
    title: str = "医院感染防控专题培训",
) -> Plan:
    """A plan written straight to the database (the 15-day rule is tested on plan_file)."""
    assert staff.organiser_id is not None
    return Plan.objects.create(
        organiser_id=staff.organiser_id,
        title=title,
        industry=Industry.objects.get(code="health"),
        mode=Plan.Mode.FACE_TO_FACE,
        start_date=start,
        end_date=end,
        planned_hours=Decimal(hours),
        place="合肥市蜀山区长江西路 100 号",
        filed_by=staff,
        status=status,
    )


HEADER_BLOCK: list[list[Any]] = [
    ["继续教育合格人员简明情况汇总表"],
    ["填报单位：合肥皖博职业培训学校"],
    ["填表时间：  5 月 20 日"],
    ["培 训 主 题", "医院感染防控专题培训", None, None, "培 训 时 间", "5 月 10 日 至 5 月 12 日"],
    [
        "序 号",
        "姓 名",
        "单 位",
        "身 份 证 号 码",
        "技 术 职 称",
        "培 训 学 时",
        "考 试 结 果",
        "备 注",
    ],
]
FOOTER: list[list[Any]] = [[], ["联系人：陈经办"], ["联系电话：63685609"]]


def form_rows(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    return [*HEADER_BLOCK, *[list(r) for r in rows], *FOOTER]


def xlsx_bytes(
    rows: Sequence[Sequence[Any]],
    *,
    merges: Sequence[str] = (),
    whole: list[list[Any]] | None = None,
) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in whole if whole is not None else form_rows(rows):
        sheet.append(list(row))
    for cells in merges:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Sequence[Any]], *, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in form_rows(rows):
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode(encoding)


def row(
    number: int,
    name: str,
    id_number: str,
    *,
    unit: str = "合肥市第一人民医院",
    title: str = "主治医师",
    hours: Any = 24,
    result: str = "合格",
    remark: str = "",
) -> list[Any]:
    return [number, name, unit, id_number, title, hours, result, remark]


def matrix_plan(ctx: dict[str, Any]) -> dict[str, int]:
    """For tests/test_access.py: an acknowledged, finished plan of the persona's base."""
    if "plan" not in ctx:
        from apps.accounts.models import Role
        from tests.factories import make_user

        staff = make_user(Role.ORGANISER_STAFF, organiser=ctx["base"])
        ctx["plan"] = make_plan(staff=staff, start=dt.date(2025, 5, 10), end=dt.date(2025, 5, 12))
    return {"pk": ctx["plan"].pk}


def matrix_upload(ctx: dict[str, Any]) -> dict[str, int]:
    """For tests/test_access.py: a checked roster upload of the persona's base."""
    from apps.filings.models import RosterUpload

    matrix_plan(ctx)
    upload = RosterUpload.objects.create(
        plan=ctx["plan"],
        uploaded_by=ctx["plan"].filed_by,
        filename="a.xlsx",
        sha256="-",
        row_count=0,
        passed_count=0,
    )
    return {"pk": upload.pk}
