"""The one writer of every spreadsheet the portal hands out (activation codes, rosters, import
templates, the admin's exports through django-import-export, whose imports this module also
routes through the one hardened reader).

A text that a spreadsheet could take for a formula — starting with = + - @ (also their
full-width forms ＝ ＋ － ＠ and the small forms ﹦ ﹢ ﹣, after leading spaces), or with a tab,
carriage return or line feed — is written as text: a leading apostrophe, the string cell type
and Excel's quote prefix, so `=HYPERLINK(...)` or `=cmd|' /C calc'!A0` typed as a name into a
roster is shown, never run (OWASP "CSV injection"). Numbers, dates and booleans are written as
they are.

`XlsxWriter` writes a simple table (a bold heading row, column widths, text columns);
`write_only=True` streams rows to the file, so a 200,000-row export stays small in memory.
Forms with a layout (the roster's Attachment 2) build the sheet themselves and put every value
through `put`, then `save`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import Any

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
    writer = XlsxWriter(title=title, write_only=True)
    if headers:
        writer.heading(headers)
    writer.rows(rows)
    return writer.getvalue()


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
