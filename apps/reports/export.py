"""Report tables and people lists as .xlsx, written in openpyxl's write-only mode.

Write-only mode streams each row to a temporary XML file instead of keeping cells in memory,
so 200,000 rows take tens of megabytes, not gigabytes; the finished file is then streamed to
the browser from disk. Text that a spreadsheet would read as a formula (= + - @ at the start)
is written as a text cell with Excel's quote prefix (what typing a leading apostrophe does), so
Excel and WPS show it as typed and never evaluate it, even after the cell is edited.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def xlsx_write(
    *,
    title: str,
    headings: Sequence[str],
    rows: Iterable[Sequence[Any]],
    caption: str = "",
    widths: Sequence[int] = (),
) -> IO[bytes]:
    """The workbook in a temporary file (deleted when closed), positioned at its start."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    bold = Font(bold=True)
    if caption:
        cell = _cell(sheet, caption)
        cell.font = bold
        sheet.append([cell])
    heading_cells = []
    for heading in headings:
        cell = _cell(sheet, heading)
        cell.font = bold
        heading_cells.append(cell)
    sheet.append(heading_cells)
    for row in rows:
        sheet.append([_safe(sheet, value) for value in row])
    out = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (returned to the caller)
    book.save(out)
    out.seek(0)
    return out


def _cell(sheet: Any, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _safe(sheet: Any, value: Any) -> Any:
    if isinstance(value, str):
        return _cell(sheet, value) if value.startswith(FORMULA_STARTS) else value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return value
