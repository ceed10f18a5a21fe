"""Demo plans of the organisers. 合肥皖博职业培训学校 (a training base): one acknowledged with its
roster confirmed (known and new trainees, a unit the city has yet to place, one 不合格), one
refused for being filed late, one awaiting the city and one acknowledged that has not started.
市卫生健康委 (an industry authority, 卫生健康): one medical training filed 15 days ahead,
acknowledged, and its roster confirmed, crediting hours to health professionals of the demo.
Dates follow today. Safe to run twice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from apps.accounts.models import User
from apps.filings.export import HEADINGS
from apps.filings.models import Plan
from apps.filings.services import (
    plan_acknowledge,
    plan_file,
    roster_check,
    roster_confirm,
)
from apps.people import idnumber
from apps.people.models import Industry, Person

BASE_LOGIN = "base-wanbo"
AUTHORITY_LOGIN = "org-health"
CITY_LOGIN = "city"
DONE = "医院感染预防与控制专题培训"
LATE = "基层卫生适宜技术推广培训"
WAITING = "急诊急救能力提升培训（网络）"
COMING = "医疗质量安全管理培训"
AUTHORITY_DONE = "全市基层医疗卫生机构传染病防控能力提升培训"
NEW_TRAINEES = [
    ("周 晓燕", "340102", dt.date(1990, 3, 8), 42, "合肥市第一人民医院", "主管护师"),
    ("吴国庆", "340104", dt.date(1979, 10, 1), 31, "蜀山区南岗镇卫生院", "主治医师"),
    ("郑雨欣", "340111", dt.date(1996, 6, 18), 64, "蜀山区南岗镇卫生院", "护师"),
]


def _form(plan: Plan, rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["继续教育合格人员简明情况汇总表"])
    sheet.append([f"填报单位：{plan.organiser.name}"])
    filled = plan.end_date + dt.timedelta(days=1)
    sheet.append([f"填表时间：{filled.month} 月 {filled.day} 日"])
    start, end = plan.start_date, plan.end_date
    period = f"{start.month} 月 {start.day} 日 至 {end.month} 月 {end.day} 日"
    sheet.append(["培 训 主 题", plan.title, None, None, "培 训 时 间", period])
    sheet.append(list(HEADINGS))
    for row in rows:
        sheet.append(row)
    sheet.append([])
    sheet.append(["联系人：陈经办"])
    sheet.append([f"联系电话：{plan.organiser.phone}"])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _file(staff: User, title: str, start: dt.date, days: int, hours: str, **extra: Any) -> Plan:
    return plan_file(
        user=staff,
        title=title,
        industry=Industry.objects.get(code="health"),
        mode=extra.pop("mode", Plan.Mode.FACE_TO_FACE),
        start_date=start,
        end_date=start + dt.timedelta(days=days),
        planned_hours=Decimal(hours),
        place=extra.pop("place", "合肥市蜀山区长江西路 669 号 培训楼三楼"),
        today=extra.pop("today", None),
    )


@transaction.atomic
def load(*, stdout: Any) -> None:
    city = User.objects.filter(username=CITY_LOGIN).first()
    if city is None:
        return
    today = timezone.localdate()
    _load_base(city=city, today=today, stdout=stdout)
    _load_authority(city=city, today=today, stdout=stdout)


def _load_base(*, city: User, today: dt.date, stdout: Any) -> None:
    """合肥皖博职业培训学校's plans, in every state a base meets."""
    staff = User.objects.filter(username=BASE_LOGIN).select_related("organiser").first()
    if staff is None or staff.organiser is None:
        return
    titles = set(Plan.objects.filter(organiser=staff.organiser).values_list("title", flat=True))

    if DONE not in titles:
        start = today - dt.timedelta(days=40)
        filed_on = start - dt.timedelta(days=21)
        plan = _file(staff, DONE, start, 2, "24", today=filed_on)
        Plan.objects.filter(pk=plan.pk).update(
            filed_at=timezone.make_aware(dt.datetime.combine(filed_on, dt.time(9, 30)))
        )
        plan = plan_acknowledge(plan=plan, user=city)
        known = list(
            Person.objects.filter(industry__code="health", unit__affiliation="local")
            .select_related("unit")
            .order_by("pk")[:8]
        )
        rows: list[list[Any]] = []
        for person in known:
            rows.append(
                [
                    len(rows) + 1,
                    person.name,
                    person.unit.name,
                    person.reveal_id_number(),
                    person.title,
                    24,
                    "合格",
                    "",
                ]
            )
        for name, address, birth, sequence, unit, title in NEW_TRAINEES:
            rows.append(
                [
                    len(rows) + 1,
                    name,
                    unit,
                    idnumber.compose(address, birth, sequence),
                    title,
                    "２４",
                    "合格",
                    "",
                ]
            )
        if rows:
            rows[-1][6], rows[-1][5], rows[-1][7] = "不合格", None, "缺课 6 学时"
        check = roster_check(plan=plan, user=staff, data=_form(plan, rows), filename="附件2.xlsx")
        if check.upload is not None:
            roster_confirm(upload=check.upload, user=staff)
        else:  # pragma: no cover - the demo data is valid
            stdout.write(f"演示名单未通过校验：{check.problems[:3]}")

    if LATE not in titles:
        _file(staff, LATE, today + dt.timedelta(days=10), 1, "12")
    if WAITING not in titles:
        _file(
            staff,
            WAITING,
            today + dt.timedelta(days=30),
            4,
            "16",
            mode=Plan.Mode.ONLINE,
            place="安徽省专业技术人员继续教育在线平台",
        )
    if COMING not in titles:
        coming = _file(staff, COMING, today + dt.timedelta(days=45), 2, "18")
        plan_acknowledge(plan=coming, user=city)
    count = Plan.objects.filter(organiser=staff.organiser).count()
    stdout.write(f"培训计划：{count} 个（含已确认名单与逾期被拒计划）。")


def _load_authority(*, city: User, today: dt.date, stdout: Any) -> None:
    """市卫生健康委's medical training: filed, acknowledged, and its roster confirmed."""
    staff = User.objects.filter(username=AUTHORITY_LOGIN).select_related("organiser").first()
    if staff is None or staff.organiser is None:
        return
    if Plan.objects.filter(organiser=staff.organiser, title=AUTHORITY_DONE).exists():
        return
    start = today - dt.timedelta(days=20)
    filed_on = start - dt.timedelta(days=16)
    plan = _file(
        staff,
        AUTHORITY_DONE,
        start,
        1,
        "16",
        today=filed_on,
        place="合肥市卫生健康委 三楼报告厅（合肥市蜀山区东流路 998 号）",
    )
    Plan.objects.filter(pk=plan.pk).update(
        filed_at=timezone.make_aware(dt.datetime.combine(filed_on, dt.time(10, 0)))
    )
    plan = plan_acknowledge(plan=plan, user=city)
    people = (
        Person.objects.filter(industry__code="health", unit__affiliation="local")
        .select_related("unit")
        .order_by("-pk")[:6]
    )
    rows = [
        [number, p.name, p.unit.name, p.reveal_id_number(), p.title, 16, "合格", ""]
        for number, p in enumerate(people, start=1)
    ]
    check = roster_check(plan=plan, user=staff, data=_form(plan, rows), filename="附件2.xlsx")
    if check.upload is not None:
        roster_confirm(upload=check.upload, user=staff)
    else:  # pragma: no cover - the demo data is valid
        stdout.write(f"演示名单未通过校验：{check.problems[:3]}")
    stdout.write(f"行业主管部门培训计划：{AUTHORITY_DONE}（已备案、名单已确认）。")
