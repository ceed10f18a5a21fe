"""Reading an uploaded sheet (xlsx or CSV) safely: every bound is checked before the expensive
step it protects, so a hostile file is refused quickly and with bounded memory.

1. the size of the upload, before reading it;
2. what the bytes are (an .xlsx is a zip; a CSV is text without NUL bytes);
3. for an .xlsx, the zip directory: the number of parts, their total uncompressed size and each
   part's compression ratio (zip bombs), and no DTD in any XML part (entity bombs; openpyxl
   also parses through defusedxml, which refuses entity declarations);
4. the row count, while streaming the sheet, so a 200,000-row sheet stops at the limit instead
   of being read whole.

openpyxl (read-only mode) opens the workbook: content types, relationships, shared strings. The
cells of the first sheet are then streamed with expat (`_SheetReader`), values only: openpyxl's
read-only rows build a styled cell object per cell, about 2 s for a 10,000-row roster, and for a
sheet without a declared size it reads the whole sheet once just to measure it.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext as _

MAX_COLUMNS = 20  # Attachment 2 has 8; anything wider is read only this far
HEADER_ALLOWANCE = 100  # lines beyond the trainee limit: header block, blank lines, footer
XML_HEAD_SCAN = 64 * 1024
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]+\d+:[A-Z]+(\d+)"')
_REF_RANGE = re.compile(r"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$")
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


def _column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + (ord(char) - 64)
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


class _Refused(Exception):
    pass


def _refuse_dtd(*args: Any) -> None:
    raise _Refused


class _SheetReader:
    """Streams the cells of one worksheet part with expat: row number, values, merged ranges.

    openpyxl's read-only mode builds a cell object (with its style) for every cell, which for a
    10,000-row roster costs about two seconds; the roster needs values only. Workbook structure
    and shared strings still come from openpyxl. A DTD or entity declaration stops the reader.
    """

    def __init__(self, shared: Sequence[Any], max_lines: int) -> None:
        self.shared = shared
        self.max_lines = max_lines
        self.rows: list[tuple[int, tuple[Any, ...]]] = []
        self.merged: list[tuple[int, int, int, int]] = []
        self.row_number = 0
        self.cells: dict[int, Any] = {}
        self.column = 0
        self.ref: str | None = None
        self.kind = "n"
        self.text: list[str] = []
        self.collect = False
        self.phonetic = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if ":" in name:
            name = name.rpartition(":")[2]
        if name == "c":
            self.ref = attrs.get("r")
            self.kind = attrs.get("t", "n")
            self.text = []
        elif name in ("v", "t"):
            self.collect = not self.phonetic
        elif name == "row":
            number = attrs.get("r")
            self.row_number = int(number) if number and number.isdigit() else self.row_number + 1
            if self.row_number > self.max_lines:
                raise _TooManyRows
            self.cells = {}
            self.column = 0
        elif name == "rPh":
            self.phonetic = True
        elif name == "mergeCell":
            match = _REF_RANGE.match(attrs.get("ref", ""))
            if match:
                c1, r1, c2, r2 = match.groups()
                self.merged.append(
                    (int(r1), _column_index(c1), int(r2 or r1), _column_index(c2 or c1))
                )

    def end(self, name: str) -> None:
        if ":" in name:
            name = name.rpartition(":")[2]
        if name in ("v", "t"):
            self.collect = False
        elif name == "c":
            letters = self.ref.rstrip("0123456789") if self.ref else ""
            self.column = _column_index(letters) if letters else self.column + 1
            if self.column <= MAX_COLUMNS and self.text:
                self.cells[self.column] = self._value("".join(self.text))
        elif name == "row":
            if self.cells:
                width = max(self.cells)
                self.rows.append(
                    (self.row_number, tuple(self.cells.get(i) for i in range(1, width + 1)))
                )
        elif name == "rPh":
            self.phonetic = False

    def data(self, text: str) -> None:
        if self.collect:
            self.text.append(text)

    def _value(self, text: str) -> Any:
        kind = self.kind
        if kind == "s":
            return self.shared[int(text)]
        if kind in ("inlineStr", "str", "e"):
            return text
        if kind == "b":
            return text.strip() in ("1", "true")
        try:
            return int(text)
        except ValueError:
            return float(text)

    def read(self, part: IO[bytes]) -> None:
        parser = expat.ParserCreate()
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.data
        parser.StartDoctypeDeclHandler = _refuse_dtd
        parser.EntityDeclHandler = _refuse_dtd
        parser.buffer_text = True
        while chunk := part.read(256 * 1024):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)


class _TooManyRows(Exception):
    pass


def _first_worksheet(data: bytes) -> tuple[str, Sequence[Any]]:
    """The path of the first worksheet and the shared strings, through openpyxl's own reader
    (in read-only mode, without building worksheet objects: for a sheet without a declared
    size openpyxl would otherwise scan it whole to measure it)."""
    from openpyxl.reader.excel import ExcelReader

    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    try:
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        for _sheet, rel in reader.parser.find_sheets():
            if rel.Type.endswith("/worksheet"):
                return rel.target.lstrip("/"), reader.shared_strings
    finally:
        reader.archive.close()
    raise ValueError("no worksheet")


def _read_xlsx(data: bytes, max_rows: int) -> Sheet:
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
            path, shared = _first_worksheet(data)
            with archive.open(path) as part:
                head = part.read(4096)
            declared = _DIMENSION.search(head)
            if declared and int(declared.group(1)) > max_rows + HEADER_ALLOWANCE:
                raise _TooManyRows  # the sheet's own <dimension> says so: stop now
            reader = _SheetReader(shared, max_rows + HEADER_ALLOWANCE)
            with archive.open(path) as part:
                reader.read(part)
        except _TooManyRows:
            raise _too_many_rows(max_rows) from None
        except (_Refused, expat.ExpatError) as exc:
            if isinstance(exc, _Refused) or "entit" in str(exc).lower():
                raise UnreadableFile(xml_bomb) from None
            raise UnreadableFile(corrupt) from None
        except Exception as exc:  # openpyxl raises many kinds for a broken workbook
            if _defused(exc):
                raise UnreadableFile(xml_bomb) from None
            raise UnreadableFile(corrupt) from None
    return Sheet(rows=reader.rows, merged=reader.merged)
