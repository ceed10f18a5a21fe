"""Report tables and people lists as .xlsx, streamed: constant memory, seconds per 100,000 rows.

openpyxl's write-only mode keeps memory flat but spends ~150 µs per cell building cell objects
and XML elements (measured: 20,000 rows × 13 columns in 13–16 s here, so a district's 100,000
rows would take over a minute). The report exports are one plain sheet of text and numbers, so
this module writes the SpreadsheetML parts itself, row by row, into a deflated zip entry:

- strings as inline strings (no shared-string table to hold in memory), numbers as numbers;
- text a spreadsheet would take for a formula (starting with = + - @, a tab or a return) in a
  cell whose style has Excel's quote prefix — what typing a leading apostrophe does — so Excel
  and WPS show it as typed and never evaluate it, even after the cell is edited;
- characters XML 1.0 cannot carry are dropped; bold headings, column widths, a frozen heading.

Tests read the files back with openpyxl (tests/reports/test_export.py).
"""

# ruff: noqa: E501 (the fixed XML parts are kept one element per line, as Excel writes them)
from __future__ import annotations

import datetime as dt
import re
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any
from xml.sax.saxutils import escape

from hefei_cpe.xlsx import is_formula_like

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PLAIN, _BOLD, _QUOTED = 0, 1, 2
_STYLE_ATTR = {_PLAIN: "", _BOLD: ' s="1"', _QUOTED: ' s="2"'}

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
</Types>"""
_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>
</Relationships>"""
_APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>hefei_cpe</Application></Properties>"""
_CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{title}</dc:title><dc:creator>hefei_cpe</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created></cp:coreProperties>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""
# Cell styles: 0 plain, 1 bold (headings), 2 quote prefix (text that looks like a formula).
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="2"><font><sz val="11"/><name val="宋体"/><family val="2"/><charset val="134"/></font><font><b/><sz val="11"/><name val="宋体"/><family val="2"/><charset val="134"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" quotePrefix="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


def _column_letters(count: int) -> list[str]:
    letters = []
    for index in range(count):
        name, n = "", index + 1
        while n:
            n, rest = divmod(n - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


def _text(value: str) -> str:
    return escape(_ILLEGAL.sub("", value))


def _cell(ref: str, value: Any, style: int = _PLAIN) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        value = "是" if value else "否"
    if isinstance(value, int | float | Decimal):
        return f'<c r="{ref}"{_STYLE_ATTR[style]}><v>{value}</v></c>'
    if isinstance(value, dt.date):
        value = value.isoformat()
    text = str(value)
    if is_formula_like(text):  # the portal's one rule (hefei_cpe/xlsx.py), full-width forms too
        style = _QUOTED
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return (
        f'<c r="{ref}" t="inlineStr"{_STYLE_ATTR[style]}><is><t{space}>{_text(text)}</t></is></c>'
    )


def xlsx_write(
    *,
    title: str,
    headings: Sequence[str],
    rows: Iterable[Sequence[Any]],
    caption: str = "",
    widths: Sequence[int] = (),
) -> IO[bytes]:
    """The workbook in a temporary file (deleted when closed), positioned at its start.
    `rows` is consumed once, as it comes (a server-side cursor is fine)."""
    letters = _column_letters(max(len(headings), 1))
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (returned to the caller)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=5) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("docProps/app.xml", _APP)
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        book.writestr("docProps/core.xml", _CORE.format(title=_text(title), now=now))
        sheet_name = _text(re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Sheet1")
        book.writestr("xl/workbook.xml", _WORKBOOK.format(name=sheet_name))
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/styles.xml", _STYLES)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            _write_sheet(sheet, letters, headings, rows, caption, widths)
    out.seek(0)
    return out


def _write_sheet(
    sheet: IO[bytes],
    letters: list[str],
    headings: Sequence[str],
    rows: Iterable[Sequence[Any]],
    caption: str,
    widths: Sequence[int],
) -> None:
    heading_row = 2 if caption else 1
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetViews><sheetView workbookViewId="0">'
        f'<pane ySplit="{heading_row}" topLeftCell="A{heading_row + 1}" activePane="bottomLeft"'
        ' state="frozen"/></sheetView></sheetViews>'
    ]
    if widths:
        parts.append("<cols>")
        for index, width in enumerate(widths[: len(letters)], start=1):
            parts.append(f'<col min="{index}" max="{index}" width="{width}" customWidth="1"/>')
        parts.append("</cols>")
    parts.append("<sheetData>")
    number = 0
    if caption:
        number += 1
        parts.append(f'<row r="{number}">{_cell("A1", caption, _BOLD)}</row>')
    number += 1
    cells = "".join(
        _cell(f"{letter}{number}", heading, _BOLD)
        for letter, heading in zip(letters, headings, strict=False)
    )
    parts.append(f'<row r="{number}">{cells}</row>')
    sheet.write("".join(parts).encode())
    buffer: list[str] = []
    for row in rows:
        number += 1
        cells = "".join(
            _cell(f"{letter}{number}", value) for letter, value in zip(letters, row, strict=False)
        )
        buffer.append(f'<row r="{number}">{cells}</row>')
        if len(buffer) == 2000:
            sheet.write("".join(buffer).encode())
            buffer.clear()
    buffer.append("</sheetData></worksheet>")
    sheet.write("".join(buffer).encode())
