"""Exports: every report table and people list opens as a workbook, formulas made harmless."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.accounts.models import Role
from apps.reports.summaries import summaries_refresh
from tests.conftest import client_for
from tests.factories import UnitFactory, make_person
from tests.reports.helpers import credit

pytestmark = pytest.mark.django_db


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    data = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(data)).active


@pytest.mark.parametrize("table", ["jurisdictions", "industries", "title-levels", "trend", "units"])
def test_it_exports_each_table_of_the_dashboard(personas, person, table):
    credit(person, 2024, public=30, professional=60)
    summaries_refresh()
    url = reverse("reports:export", kwargs={"table": table})
    sheet = _sheet(client_for(personas[Role.CITY_OFFICER]).get(url, {"year": 2024}))
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("合肥市 2024 年度")
    assert rows[1][:4] == (rows[1][0], "人数", "达标", "未达标")
    assert len(rows) >= 3


def test_it_exports_the_people_behind_a_figure_with_their_shortfalls(personas, shushan):
    unit = UnitFactory(jurisdiction=shushan, name='=HYPERLINK("http://x")单位')
    short = make_person(unit=unit, name="@SUM(1)")
    credit(short, 2024, public=30, professional=20)
    summaries_refresh()
    url = reverse("reports:export", kwargs={"table": "people"})
    sheet = _sheet(client_for(personas[Role.DISTRICT_OFFICER]).get(url, {"year": 2024}))
    rows = list(sheet.iter_rows())
    values = [[c.value for c in row] for row in rows]
    assert values[1][:3] == ["姓名", "身份证号码", "单位"]
    # Formula-like texts written as the one writer writes them (hefei_cpe/xlsx.py).
    mine = next(r for r in rows if r[0].value == "'@SUM(1)")
    assert mine[0].data_type == "s" and mine[0].quotePrefix
    assert mine[2].value.startswith("'=HYPERLINK") and mine[2].data_type == "s"
    assert mine[2].quotePrefix
    assert "*" * 8 in mine[1].value
    assert [c.value for c in mine[6:11]] == [30, 20, 50, 0, 40]
    # The persona trainee of the same district has no hours: short too.
    assert len(rows) == 2 + 2
