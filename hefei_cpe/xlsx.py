"""The one writer of every spreadsheet the portal hands out (activation codes, rosters, import
templates, the admin's exports through django-import-export, whose imports this module also
routes through the one hardened reader).

A text that a spreadsheet could take for a formula — starting with = + - @ (also their
full-width forms ＝ ＋ － ＠ and the small forms ﹦ ﹢ ﹣, after leading spaces), or with a tab,
carriage return or line feed — is written as text: a leading apostrophe, the string cell type
and Excel's quote prefix, so `=HYPERLINK(...)` or `=cmd|' /C calc'!A0` typed as a name into a
roster is shown, never run (OWASP "CSV injection"). Numbers, dates and booleans are written as
they are.

`XlsxWriter` writes a simple table (a bold heading row, column widths, text columns) with
openpyxl; `xlsx_stream` (below) writes one large table straight into the file, several times
faster than openpyxl's write-only mode and flat in memory, for the reports' and the admin's
exports (a 200,000-row export stays small in memory).
Forms with a layout (the roster's Attachment 2) build the sheet themselves and put every value
through `put`, then `save`.
"""

# ruff: noqa: E501 (the streaming path's fixed XML parts are kept one element per line, as Excel writes them)

from __future__ import annotations

import datetime as dt
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from io import BytesIO
from typing import IO, Any
from xml.sax.saxutils import escape

import tablib
from import_export.formats.base_formats import CSV, XLSX
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from hefei_cpe import cleaning
from hefei_cpe.sheets import Limits, read_sheet

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = frozenset("=+-@")
_CONTROL_START = frozenset("\t\r\n")


def is_formula_like(value: Any) -> bool:
    if not isinstance(value, str) or not value:
        return False
    if value[0] in _CONTROL_START:
        return True
    stripped = value.lstrip(" \u3000")
    return bool(stripped) and unicodedata.normalize("NFKC", stripped[0])[:1] in _FORMULA_START


def harmless(value: Any) -> Any:
    """The value to write: a formula-like text gets a leading apostrophe."""
    if is_formula_like(value):
        return "'" + value
    return value


def put(sheet: Worksheet, row: int, column: int, value: Any, **style: Any) -> Any:
    """Writes one cell of a laid-out sheet; returns the cell."""
    cell = sheet.cell(row=row, column=column)
    _fill(cell, value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _fill(cell: Any, value: Any) -> None:
    safe = harmless(value)
    cell.value = safe
    if isinstance(safe, str):
        cell.data_type = "s"  # openpyxl would take a text starting with = for a formula
        if safe is not value:
            cell.quotePrefix = True


def save(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class XlsxWriter:
    """A workbook of simple tables, every cell through `harmless`."""

    def __init__(
        self, *, title: str = "", widths: Sequence[float] = (), write_only: bool = False
    ) -> None:
        self.write_only = write_only
        self.book = Workbook(write_only=write_only)
        self.sheet: Any = None
        self._bold = Font(bold=True)
        self.add_sheet(title, widths, first=True)

    def add_sheet(self, title: str, widths: Sequence[float] = (), *, first: bool = False) -> None:
        if first and not self.write_only:
            self.sheet = self.book.active
        else:
            self.sheet = self.book.create_sheet()
        if title:
            self.sheet.title = title[:31]
        for index, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width

    def _cells(self, values: Iterable[Any], *, bold: bool = False) -> list[Any]:
        cells = []
        for value in values:
            cell = WriteOnlyCell(self.sheet)
            _fill(cell, value)
            if bold:
                cell.font = self._bold
            cells.append(cell)
        return cells

    def heading(self, values: Iterable[Any]) -> None:
        self.sheet.append(self._cells(values, bold=True))

    def row(self, values: Iterable[Any]) -> None:
        self.sheet.append(self._cells(values))

    def rows(self, rows: Iterable[Iterable[Any]]) -> None:
        for values in rows:
            self.row(values)

    def text_columns(self, *columns: int, rows: int) -> None:
        """Cells a clerk fills in later are text (ID numbers must not become numbers)."""
        if self.write_only:
            raise ValueError("text_columns needs a workbook that is not write-only")
        for column in columns:
            for row in range(2, rows + 1):
                self.sheet.cell(row=row, column=column).number_format = "@"

    def getvalue(self) -> bytes:
        return save(self.book)


def dataset_xlsx(headers: Sequence[Any], rows: Iterable[Sequence[Any]], title: str = "") -> bytes:
    with xlsx_stream(title=title or "Sheet1", headings=list(headers), rows=rows) as out:
        return out.read()


ADMIN_IMPORT_LIMITS = Limits(max_bytes=10 * 1024 * 1024, max_rows=20_000)


def _read_dataset(data: bytes | str, filename: str) -> tablib.Dataset:
    """An import of django-import-export read by the one hardened reader: the first row holds
    the headings. Raises `UnreadableFile` with the cause (the admin shows its message)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    sheet = read_sheet(data=data, filename=filename, limits=ADMIN_IMPORT_LIMITS)
    if not sheet.rows:
        return tablib.Dataset()
    headers = [cleaning.text(value) for value in sheet.rows[0][1]]
    dataset = tablib.Dataset(headers=headers)
    for _number, cells in sheet.rows[1:]:
        values = list(cells[: len(headers)])
        dataset.append(values + [None] * (len(headers) - len(values)))
    return dataset


class SafeXLSX(XLSX):
    """django-import-export's .xlsx: exports written by this module, imports read by
    `hefei_cpe.sheets`."""

    def create_dataset(self, in_stream: Any, **kwargs: Any) -> tablib.Dataset:
        return _read_dataset(in_stream, "import.xlsx")

    def export_data(self, dataset: Any, **kwargs: Any) -> bytes:
        return dataset_xlsx(dataset.headers or [], dataset, title=dataset.title or "")


class SafeCSV(CSV):
    """django-import-export's .csv: exports with formula-like texts made harmless, imports
    (UTF-8 or GB18030, read as bytes) by `hefei_cpe.sheets`."""

    def create_dataset(self, in_stream: Any, **kwargs: Any) -> tablib.Dataset:
        return _read_dataset(in_stream, "import.csv")

    def is_binary(self) -> bool:
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def export_data(self, dataset: Any, **kwargs: Any) -> str:
        safe = tablib.Dataset(headers=[harmless(h) for h in dataset.headers or []])
        for row in dataset:
            safe.append([harmless(value) for value in row])
        return str(safe.export("csv", **kwargs))


# The streaming path: large single-sheet tables (the compliance reports' exports, the admin's
# exports). openpyxl's write-only mode keeps memory flat but spends ~150 µs per cell building
# cell objects and XML elements (20,000 rows x 13 columns took 13-16 s here, against 4.5 s for
# this path), so this path writes the SpreadsheetML parts itself, row by row, into a deflated zip
# entry: strings as inline strings (no shared-string table held in memory), numbers as numbers,
# booleans as 是/否, dates as ISO text; characters XML 1.0 cannot carry are dropped; bold
# headings, column widths, a frozen heading. A formula-like text is written exactly as `put`
# writes it: the leading apostrophe, the string type and a style with Excel's quote prefix.

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
    if is_formula_like(text):  # the same rule and the same cell as `put` writes
        text, style = harmless(text), _QUOTED
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return (
        f'<c r="{ref}" t="inlineStr"{_STYLE_ATTR[style]}><is><t{space}>{_text(text)}</t></is></c>'
    )


def xlsx_stream(
    *,
    title: str,
    headings: Sequence[str],
    rows: Iterable[Sequence[Any]],
    caption: str = "",
    widths: Sequence[int] = (),
    target: IO[bytes] | None = None,
) -> IO[bytes]:
    """One sheet (an optional bold caption line, bold headings frozen, then `rows`) written
    straight into the zip: the workbook in a temporary file (deleted when closed), positioned
    at its start. `rows` is consumed once, as it comes (a server-side cursor is fine), so
    memory stays flat whatever the number of rows. `target`: a seekable binary file to write
    into instead (a background job's output file)."""
    letters = _column_letters(max(len(headings), 1))
    out = target if target is not None else tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (returned to the caller)
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
