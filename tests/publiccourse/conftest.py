from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any

import pytest
from openpyxl import Workbook

from apps.accounts.models import Role
from apps.publiccourse.services import topic_create

HEADINGS = ["序号", "身份证号码", "姓名", "专题", "考试结果", "考试时间"]
TOPIC_A = '"十四五"大战略与2035远景目标'
TOPIC_B = "数字经济与数字化转型"


def sheet(rows: Sequence[Sequence[Any]], *, headings: Sequence[str] = HEADINGS) -> bytes:
    """As the provincial platform exports it: a title row and a blank row above the headings."""
    book = Workbook()
    ws = book.active
    ws.append(["安徽省专业技术人员继续教育公需科目考试成绩（2021年度）"])
    ws.append([])
    ws.append(list(headings))
    for row in rows:
        ws.append(list(row))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row(person, topic: str = TOPIC_A, result: str = "合格", *, name: str | None = None):
    return [None, person.reveal_id_number(), person.name if name is None else name, topic, result]


@pytest.fixture
def topics(db):
    return {
        "a": topic_create(year=2021, title=TOPIC_A),
        "b": topic_create(year=2021, title=TOPIC_B),
    }


@pytest.fixture
def city(personas):
    return personas[Role.CITY_OFFICER]
