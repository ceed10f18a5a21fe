"""Reading an uploaded sheet (xlsx or CSV) safely: every bound is checked before the expensive
step it protects, so a hostile file is refused quickly and with bounded memory.

1. the size of the upload, before reading it;
2. what the bytes are (an .xlsx is a zip; a CSV is text without NUL bytes);
3. for an .xlsx, the zip directory: the number of parts, their total uncompressed size and each
   part's compression ratio (zip bombs), and no DTD in any XML part (entity bombs; openpyxl
   also parses through defusedxml, which refuses entity declarations);
4. the row count, while streaming rows from openpyxl's read-only mode, so a 200,000-row sheet
   stops at the limit instead of being read whole.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

MAX_COLUMNS = 20  # Attachment 2 has 8; anything wider is read only this far
HEADER_ALLOWANCE = 100  # lines beyond the trainee limit: header block, blank lines, footer
XML_HEAD_SCAN = 64 * 1024
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_MAGIC = {
    b"%PDF": "PDF",
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"Rar!": "RAR",
    b"7z\xbc\xaf": "7z",
    b"\x1f\x8b": "gzip",
}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc (the old binary Office formats)


class UnreadableFile(Exception):
    """The file as a whole cannot be read; `message` says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Sheet:
    """The rows of the first sheet, as (Excel row number, cell values)."""

    rows: list[tuple[int, tuple[Any, ...]]]
    # Merged ranges as (first row, first column, last row, last column), 1-based.
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


def _xml_bomb_message() -> str:
    return _(
        "The workbook contains XML declarations Excel never writes (an XML bomb?); "
        "it was not opened."
    )


def _defused(exc: BaseException | None) -> bool:
    """defusedxml refused an entity or DTD somewhere in the chain (openpyxl wraps errors)."""
    seen = 0
    while exc is not None and seen < 10:
        if type(exc).__module__.startswith("defusedxml"):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _column_index(letters: bytes) -> int:
    index = 0
    for char in letters:
        index = index * 26 + (char - 64)
    return index


def _too_many_rows(max_rows: int) -> UnreadableFile:
    return UnreadableFile(
        _("The file has more than %(max)d rows; split it into several files.") % {"max": max_rows}
    )


def read_upload(*, data: bytes, filename: str, max_rows: int) -> Sheet:
    """The first sheet of an uploaded .xlsx or .csv; raises `UnreadableFile`.

    `max_rows` is the trainee limit; the lines read, blank ones and the header block included,
    are bounded by it plus `HEADER_ALLOWANCE`.
    """
    if len(data) > settings.FILINGS_ROSTER_MAX_BYTES:
        raise UnreadableFile(
            _("The file is larger than %(size)s MB; split it into several files.")
            % {"size": megabytes(settings.FILINGS_ROSTER_MAX_BYTES)}
        )
    if not data:
        raise UnreadableFile(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, max_rows)
    if data.startswith(_OLE2):
        raise UnreadableFile(
            _("This is an old-format Excel file (.xls); save it as .xlsx and upload it again.")
        )
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            raise UnreadableFile(
                _("This is a %(kind)s file, not a spreadsheet; upload the .xlsx or .csv form.")
                % {"kind": kind}
            )
    if filename.lower().endswith(".xlsx"):
        raise UnreadableFile(
            _("The file is not a valid Excel workbook (.xlsx); open it in Excel and save it again.")
        )
    return _read_csv(data, max_rows)


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def _read_csv(data: bytes, max_rows: int) -> Sheet:
    if b"\x00" in data[:65536]:
        raise UnreadableFile(_("The file is not a spreadsheet; upload the .xlsx or .csv form."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")  # what Excel on a Chinese Windows saves as CSV
        except UnicodeDecodeError:
            raise UnreadableFile(
                _("The file is not a spreadsheet; upload the .xlsx or .csv form.")
            ) from None
    rows: list[tuple[int, tuple[Any, ...]]] = []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if number > max_rows + HEADER_ALLOWANCE:
                raise _too_many_rows(max_rows)
            rows.append((number, tuple(cells[:MAX_COLUMNS])))
    except csv.Error:
        raise UnreadableFile(
            _("The CSV file is malformed; save it again from Excel as CSV (UTF-8).")
        ) from None
    return Sheet(rows=rows)


def _check_zip(book: zipfile.ZipFile) -> None:
    members = book.infolist()
    if len(members) > 2000:
        raise UnreadableFile(_("The workbook has too many parts to be a roster."))
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise UnreadableFile(_("The file is a zip archive but not an Excel workbook (.xlsx)."))
    total = sum(m.file_size for m in members)
    bomb = _(
        "The workbook expands to far more data than a roster holds (a compressed bomb?); "
        "it was not opened."
    )
    if total > settings.FILINGS_XLSX_MAX_UNCOMPRESSED:
        raise UnreadableFile(bomb)
    for member in members:
        if member.file_size > 1024 * 1024 and (
            member.file_size > settings.FILINGS_XLSX_MAX_RATIO * max(member.compress_size, 1)
        ):
            raise UnreadableFile(bomb)
        if member.filename.endswith((".xml", ".rels")):
            with book.open(member) as part:
                head = part.read(XML_HEAD_SCAN)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise UnreadableFile(_xml_bomb_message())


def _merged_ranges(book: zipfile.ZipFile, path: str) -> list[tuple[int, int, int, int]]:
    """openpyxl's read-only mode skips merged cells; they sit at the end of the sheet's XML, so
    one streaming pass of a regular expression over it finds them."""
    ranges = []
    tail = b""
    try:
        part = book.open(path.lstrip("/"))
    except KeyError:
        return []
    with part:
        while chunk := part.read(1024 * 1024):
            buffer = tail + chunk
            cut = buffer.rfind(b"<")
            cut = cut if cut > len(buffer) - 200 else len(buffer)
            for match in _MERGE.finditer(buffer, 0, cut):
                c1, r1, c2, r2 = match.groups()
                ranges.append(
                    (
                        int(r1),
                        _column_index(c1),
                        int(r2 or r1),
                        _column_index(c2 or c1),
                    )
                )
            tail = buffer[cut:]
    return ranges


def _read_xlsx(data: bytes, max_rows: int) -> Sheet:
    from openpyxl import load_workbook

    corrupt = _(
        "The file is not a valid Excel workbook (.xlsx); open it in Excel and save it again."
    )
    xml_bomb = _xml_bomb_message()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnreadableFile(corrupt) from None
    with archive:
        try:
            _check_zip(archive)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            raise UnreadableFile(corrupt) from None
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken workbook
            if _defused(exc):
                raise UnreadableFile(xml_bomb) from None
            raise UnreadableFile(corrupt) from None
        try:
            if not book.worksheets:
                raise UnreadableFile(corrupt)
            sheet = book.worksheets[0]
            declared = getattr(sheet, "max_row", None)
            if isinstance(declared, int) and declared > max_rows + HEADER_ALLOWANCE:
                raise _too_many_rows(max_rows)  # the sheet's own <dimension> says so: stop now
            rows = list(_stream(sheet, max_rows))
            merged = _merged_ranges(archive, getattr(sheet, "_worksheet_path", ""))
        except UnreadableFile:
            raise
        except Exception as exc:
            if _defused(exc):
                raise UnreadableFile(xml_bomb) from None
            raise UnreadableFile(corrupt) from None
        finally:
            book.close()
    return Sheet(rows=rows, merged=merged)


def _stream(sheet: Any, max_rows: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    # Read-only mode yields blank rows for the gaps too, so the count is the Excel row number.
    for number, values in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), 1):
        if number > max_rows + HEADER_ALLOWANCE:
            raise _too_many_rows(max_rows)
        yield number, values
