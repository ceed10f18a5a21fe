"""Demo: the public-course topics of 2021–2026 and the exam results of 2025 and 2026, imported
through the real service as the city would (a sheet from the provincial platform, previewed and
confirmed), so the import history shows real batches. Safe to run twice.

Only the first 2021 topic is named in the notice (“等六个专题”); the others are plausible titles
of the kind the provincial platform offers.
"""

from __future__ import annotations

import random
from io import BytesIO
from typing import IO, Any

from openpyxl import Workbook

from apps.accounts.models import Role, User
from apps.people.models import Person
from apps.publiccourse.models import ImportBatch, PublicTopic
from apps.publiccourse.services import results_import, topic_create

TOPICS = {
    2021: [
        '"十四五"大战略与2035远景目标',
        "中国共产党百年奋斗历程与历史经验",
        "数字经济与数字化转型",
        "碳达峰碳中和与绿色低碳发展",
        "乡村振兴战略解读",
        "专业技术人员心理健康与压力管理",
    ],
    2022: [
        "学习贯彻党的二十大精神",
        "数字经济赋能高质量发展",
        "长三角一体化发展战略",
        "安全生产与应急管理",
    ],
    2023: [
        "中国式现代化的理论与实践",
        "人工智能与数字化转型",
        "科技创新与知识产权保护",
        "总体国家安全观",
    ],
    2024: [
        "新质生产力与高质量发展",
        "数字中国建设整体布局",
        "科技伦理与学术规范",
        "生态文明建设与美丽中国",
    ],
    2025: [
        "党的二十届三中全会精神解读",
        "人工智能赋能产业发展",
        '"十四五"规划实施成效与展望',
        "健康中国与全民健康素养",
    ],
    2026: [
        '"十五五"规划建议解读',
        '"人工智能+"行动与新质生产力',
        "安徽科技创新攻坚与产业发展",
    ],
}
DEMO_TRAINEE_ID = "340104198703152314"


def _sheet(rows: list[tuple[str, str, str, str]], title: str) -> IO[bytes]:
    """A sheet as the provincial platform exports it: a title row above the headings."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([title])
    sheet.append(["序号", "身份证号码", "姓名", "专题", "考试结果", "考试时间"])
    for number, (id_number, name, topic, result) in enumerate(rows, start=1):
        sheet.append([number, id_number, name, f"《{topic}》", result, None])
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def _results(
    people: list[Person], topics: list[PublicTopic], *, rng: random.Random, pass_rate: float
) -> tuple[list[tuple[str, str, str, str]], list[Person]]:
    """One topic per person; returns the rows and those who failed."""
    rows, failed = [], []
    for person in people:
        draw, choice = rng.random(), rng.choice(topics)
        number = person.reveal_id_number()
        if number == DEMO_TRAINEE_ID or draw < pass_rate:
            rows.append((number, person.name, choice.title, "合格"))
        elif draw < pass_rate + 0.1:
            rows.append((number, person.name, choice.title, "不合格"))
            failed.append(person)
    return rows, failed


def load(*, stdout: Any) -> None:
    for year, titles in TOPICS.items():
        known = set(PublicTopic.objects.filter(year=year).values_list("title", flat=True))
        for title in titles:
            if title not in known:
                topic_create(year=year, title=title)
    city = User.objects.filter(role=Role.CITY_OFFICER, username="city").first()
    if city is None or ImportBatch.objects.filter(file_name__startswith="演示-").exists():
        return
    people = list(Person.objects.select_related("unit").order_by("pk"))
    rng = random.Random(2025)  # noqa: S311 - reproducible demo data
    imports = []
    topics_2025 = list(PublicTopic.objects.filter(year=2025))
    rows_2025, failed_2025 = _results(people, topics_2025, rng=rng, pass_rate=0.75)
    imports.append((2025, "演示-2025年公需课考试结果.xlsx", rows_2025))
    # Half of those who failed in 2025 retook the exam and passed.
    retakes = [
        (p.reveal_id_number(), p.name, topics_2025[0].title, "合格") for p in failed_2025[::2]
    ]
    retakes += rows_2025[:5]  # the platform's export overlaps: those are credited already
    imports.append((2025, "演示-2025年公需课补考结果.xlsx", retakes))
    topics_2026 = list(PublicTopic.objects.filter(year=2026))
    rows_2026, _failed = _results(people, topics_2026, rng=rng, pass_rate=0.45)
    imports.append((2026, "演示-2026年公需课考试结果（第一批）.xlsx", rows_2026))
    for year, name, rows in imports:
        check, batch = results_import(
            officer=city,
            year=year,
            file=_sheet(rows, f"安徽省专业技术人员继续教育公需科目考试成绩（{year}年度）"),
            filename=name,
        )
        if batch is None:
            raise RuntimeError(f"demo import {name}: {check.problems[:3]}")
        stdout.write(
            f"公需课：{name} 新增合格 {batch.passes_credited} 人次，"
            f"已登记 {batch.passes_known}，不合格 {batch.failures_recorded}。"
        )
