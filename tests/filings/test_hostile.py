"""Hostile and broken files: each is refused with a clear message, before the expensive step it
would abuse, with bounded memory, and nothing is written."""

from __future__ import annotations

import io
import zipfile
from unittest import mock

import pytest

from apps.filings.models import RosterUpload
from apps.filings.services import roster_check
from apps.people.models import Person
from hefei_cpe.sheets import Limits, UnreadableFile, read_sheet
from tests.factories import new_id_number
from tests.filings.support import TODAY, make_plan, row, xlsx_bytes

MAX_ROWS = 20_100


@pytest.fixture
def plan(staff):
    return make_plan(staff=staff)


def _refused(plan, staff, data: bytes, filename: str = "roster.xlsx") -> str:
    people = Person.objects.count()
    check = roster_check(plan=plan, user=staff, data=data, filename=filename, today=TODAY)
    assert check.upload is None
    assert len(check.problems) == 1 and check.problems[0].row == 0
    assert not RosterUpload.objects.exists()
    assert Person.objects.count() == people
    return check.problems[0].message


def _rezip(data: bytes, replace: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as target:
        for item in source.infolist():
            target.writestr(item.filename, replace.get(item.filename, source.read(item.filename)))
        for name in set(replace) - set(source.namelist()):
            target.writestr(name, replace[name])
    return out.getvalue()


def _sheet_xml(rows: int, *, dimension: bool) -> bytes:
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    )
    dim = f'<dimension ref="A1:B{rows}"/>' if dimension else ""
    body = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x</t></is></c></row>'
        for r in range(1, rows + 1)
    )
    return f"{head}{dim}<sheetData>{body}</sheetData></worksheet>".encode()


def test_it_refuses_a_file_that_is_not_a_spreadsheet(plan, staff):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    assert "PNG" in _refused(plan, staff, png, "roster.xlsx")
    assert "电子表格" in _refused(plan, staff, b"abc\x00\x01\x02" * 50, "roster.csv")
    assert ".xls" in _refused(plan, staff, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    assert "Excel" in _refused(plan, staff, b"just some text", "roster.xlsx")
    assert "空" in _refused(plan, staff, b"", "roster.csv")


def test_it_refuses_a_corrupt_workbook(plan, staff):
    good = xlsx_bytes([row(1, "甲", new_id_number())])
    assert "Excel" in _refused(plan, staff, good[: len(good) // 2])
    not_a_workbook = io.BytesIO()
    with zipfile.ZipFile(not_a_workbook, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "不是 Excel" in _refused(plan, staff, not_a_workbook.getvalue())
    broken_sheet = _rezip(good, {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row>"})
    assert "Excel" in _refused(plan, staff, broken_sheet)


def test_it_refuses_a_zip_bomb_before_opening_it(plan, staff):
    good = xlsx_bytes([row(1, "甲", new_id_number())])
    bomb = _rezip(good, {"xl/sharedStrings.xml": b"<sst>" + b" " * (50 * 1024 * 1024)})
    assert len(bomb) < 200_000
    with mock.patch("openpyxl.load_workbook") as opened:
        message = _refused(plan, staff, bomb)
    assert "炸弹" in message
    opened.assert_not_called()


def test_it_refuses_a_workbook_larger_than_the_limit_uncompressed(plan, staff, settings):
    settings.UPLOAD_XLSX_MAX_UNCOMPRESSED = 64 * 1024
    good = xlsx_bytes([row(i, f"甲{i}", new_id_number()) for i in range(1, 400)])
    assert "炸弹" in _refused(plan, staff, good)


def test_it_refuses_an_xml_bomb(plan, staff):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    good = xlsx_bytes([row(1, "甲", new_id_number())])
    assert "XML" in _refused(plan, staff, _rezip(good, {"xl/worksheets/sheet1.xml": laughs}))


def test_the_sheet_reader_stops_an_entity_hidden_past_the_quick_scan(plan, staff):
    hidden = (
        b'<?xml version="1.0"?>'
        + b"<!-- "
        + b"x" * 70_000
        + b" -->"
        + (
            b'<!DOCTYPE s [<!ENTITY a "aaaaaaaaaa">]>'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&a;</t></is></c></row>'
            b"</sheetData></worksheet>"
        )
    )
    good = xlsx_bytes([row(1, "甲", new_id_number())])
    assert "XML" in _refused(plan, staff, _rezip(good, {"xl/worksheets/sheet1.xml": hidden}))


def test_it_refuses_a_file_over_the_size_limit(plan, staff, settings):
    assert "10.0\xa0MB" in _refused(plan, staff, b"a" * (10 * 1024 * 1024 + 1), "roster.csv")
    settings.FILINGS_ROSTER_MAX_BYTES = 4096
    assert "4.0\xa0KB" in _refused(plan, staff, xlsx_bytes([row(1, "甲", new_id_number())]))


@pytest.mark.parametrize("dimension", [True, False], ids=["declared", "undeclared"])
def test_it_stops_reading_200000_rows_at_the_limit(plan, staff, dimension):
    good = xlsx_bytes([row(1, "甲", new_id_number())])
    data = _rezip(good, {"xl/worksheets/sheet1.xml": _sheet_xml(200_000, dimension=dimension)})
    # Time and peak memory of this case are measured in bench/roster_import.py.
    assert "20000" in _refused(plan, staff, data)


def test_it_stops_reading_a_200000_row_csv_at_the_limit(plan, staff, settings):
    settings.FILINGS_ROSTER_MAX_BYTES = 20 * 1024 * 1024
    data = ("序号,姓名\n" + "1,甲\n" * 200_000).encode()
    assert "20000" in _refused(plan, staff, data, "roster.csv")


def test_reading_refuses_what_it_cannot_bound():
    with pytest.raises(UnreadableFile):
        read_sheet(
            data=b"1,2\n" * 200, filename="a.csv", limits=Limits(max_bytes=10_000, max_rows=10)
        )


def test_defusedxml_stops_an_entity_hidden_in_the_workbook_part(plan, staff):
    """openpyxl parses the workbook part, through defusedxml (installed: openpyxl.DEFUSEDXML)."""
    import openpyxl

    assert openpyxl.DEFUSEDXML
    assert not openpyxl.LXML  # hefei_cpe/__init__.py pins the defusedxml path
    good = xlsx_bytes([row(1, "甲", new_id_number())])
    workbook = zipfile.ZipFile(io.BytesIO(good)).read("xl/workbook.xml")
    if workbook.startswith(b"<?xml"):
        workbook = workbook.partition(b"?>")[2]
    hidden = (
        b'<?xml version="1.0"?><!-- '
        + b"x" * 70_000
        + b' --><!DOCTYPE w [<!ENTITY a "a">]>'
        + workbook
    )
    with mock.patch("hefei_cpe.sheets._SheetReader") as sheet_reader:
        assert "XML" in _refused(plan, staff, _rezip(good, {"xl/workbook.xml": hidden}))
    sheet_reader.assert_not_called()
