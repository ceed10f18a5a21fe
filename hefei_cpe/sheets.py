"""The one reader of uploaded sheets (xlsx, or CSV in UTF-8 or GB18030), for every upload.

Every bound is checked before the step it protects, so a hostile file is refused quickly, with
bounded memory, and with its real cause named:

1. the size of the upload, while reading it (`read_bounded`), before anything else;
2. what the bytes are: an .xlsx is a zip, an old .xls, a PDF or an image is named as such, a
   CSV is text without NUL bytes in UTF-8 or GB18030;
3. for an .xlsx, the zip directory: the number of parts, the parts a workbook must have, a DTD
   or entity declaration anywhere in an XML part openpyxl parses whole (entity bombs, whichever
   parser openpyxl uses: defusedxml, or lxml when installed) or in the head of a sheet (expat
   refuses them in the sheet too), the compression ratio and size of every
   part read whole (shared strings, workbook): zip bombs;
4. the worksheet is streamed with expat under three caps at once: the lines read (blank ones
   included: a heading row followed by a million blank rows is too many rows), the bytes
   inflated (and the tags, counted before expat sees them), and the characters of one cell
   (Excel's own 32,767). Whichever trips first names the cause: a 200,000-row sheet has too
   many rows; a part that inflates to a gigabyte without many rows, or one cell of a
   gigabyte, is a compressed bomb. The sheet's own
   `<dimension>`, when present, refuses too many rows before streaming starts. The shared
   strings are read only after the sheet passed, so a long sheet is refused before them.

Values only: openpyxl's read-only cells carry a style object each (about 2 s for a 10,000-row
sheet), and for a sheet without a declared size it reads the sheet whole once to measure it.
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

MAX_COLUMNS = 30  # the widest form has 8 columns; anything wider is read only this far
HEADER_ALLOWANCE = 100  # lines beyond the row limit: title rows, headings, blank lines, footer
XML_HEAD_SCAN = 64 * 1024
MAX_PARTS = 2000
MAX_CELL = 32_767  # characters: Excel's own limit for one cell
# Markup of a worksheet: a row of 10 inline-text cells has about 60 tags; anything past the
# sheet's own rows (columns, views, merged cells) is bounded separately.
TAGS_PER_ROW = 80
TAGS_PER_ROW_AT_MOST = 400
TAGS_OUTSIDE_ROWS = 20_000
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')
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
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class UnreadableFile(Exception):
    """The file as a whole cannot be read; `message` says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Limits:
    """The bounds of one kind of upload. `max_rows` counts the data rows; the lines read,
    blank ones and the heading block included, are bounded by it plus `HEADER_ALLOWANCE`."""

    max_bytes: int
    max_rows: int
    # Bytes any one part of an .xlsx may inflate to, and the compression ratio of a part over
    # 1 MB that is read whole; project-wide (settings.UPLOAD_XLSX_MAX_*) unless given.
    max_inflated: int | None = None
    max_ratio: int | None = None

    @property
    def max_lines(self) -> int:
        return self.max_rows + HEADER_ALLOWANCE

    @property
    def inflated(self) -> int:
        return self.max_inflated or settings.UPLOAD_XLSX_MAX_UNCOMPRESSED

    @property
    def ratio(self) -> int:
        return self.max_ratio or settings.UPLOAD_XLSX_MAX_RATIO


@dataclass
class Sheet:
    """The rows of the first sheet, as (Excel row number, cell values); blank rows left out."""

    rows: list[tuple[int, tuple[Any, ...]]]
    # Merged ranges as (first row, first column, last row, last column), 1-based.
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def too_large(limits: Limits) -> UnreadableFile:
    from django.template.defaultfilters import filesizeformat  # not while settings load

    return UnreadableFile(
        _("The file is larger than %(size)s; split it into several files.")
        % {"size": filesizeformat(limits.max_bytes)}
    )


def too_many_rows(limits: Limits) -> UnreadableFile:
    return UnreadableFile(
        _(
            "The file has more than %(max)d rows (blank rows included); delete the empty rows "
            "at its end or split it into several files."
        )
        % {"max": limits.max_rows}
    )


def _bomb(limits: Limits) -> UnreadableFile:
    return UnreadableFile(
        _(
            "The workbook holds far more data than its rows need (a compressed bomb?); it "
            "was not read further."
        )
    )


def _xml_bomb() -> UnreadableFile:
    return UnreadableFile(
        _(
            "The workbook contains XML declarations Excel never writes (an XML bomb?); "
            "it was not opened."
        )
    )


def _corrupt() -> UnreadableFile:
    return UnreadableFile(
        _("The file is not a valid Excel workbook (.xlsx); open it in Excel and save it again.")
    )


def read_bounded(file: IO[bytes], limits: Limits) -> bytes:
    """The bytes of an uploaded file, refused as soon as it is over the limit."""
    data = file.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise too_large(limits)
    return data


def read_sheet(*, data: bytes, filename: str, limits: Limits) -> Sheet:
    """The first sheet of an uploaded .xlsx or .csv; raises `UnreadableFile`."""
    if len(data) > limits.max_bytes:
        raise too_large(limits)
    if not data:
        raise UnreadableFile(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data, limits)
    if data.startswith(_OLE2) or filename.lower().endswith(".xls"):
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
        raise _corrupt()
    return _read_csv(data, limits)


def _read_csv(data: bytes, limits: Limits) -> Sheet:
    if data.startswith(_UTF16_BOMS):
        raise UnreadableFile(
            _(
                "The CSV file is saved as Unicode (UTF-16) text; save it again from Excel as "
                "“CSV UTF-8” and upload it again."
            )
        )
    if b"\x00" in data[:65536]:
        raise UnreadableFile(_("The file is not a spreadsheet; upload the .xlsx or .csv form."))
    for encoding in ("utf-8-sig", "gb18030"):  # GB18030: Excel's CSV on a Chinese Windows
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile(
            _(
                "The CSV file is neither UTF-8 nor GB18030 text; save it again from Excel as "
                "“CSV UTF-8” and upload it again."
            )
        )
    rows: list[tuple[int, tuple[Any, ...]]] = []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if number > limits.max_lines:
                raise too_many_rows(limits)
            if any(cell.strip() for cell in cells):
                rows.append((number, tuple(cells[:MAX_COLUMNS])))
    except csv.Error:
        raise UnreadableFile(
            _("The CSV file is malformed; save it again from Excel as CSV (UTF-8).")
        ) from None
    return Sheet(rows=rows)


def _column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + (ord(char) - 64)
    return index


def _check_zip(book: zipfile.ZipFile, limits: Limits) -> None:
    members = book.infolist()
    if len(members) > MAX_PARTS:
        raise UnreadableFile(_("The workbook has too many parts to be a spreadsheet form."))
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise UnreadableFile(_("The file is a zip archive but not an Excel workbook (.xlsx)."))
    for member in members:
        # Worksheets are streamed under the row and byte caps; other parts may be read whole.
        whole = not member.filename.startswith("xl/worksheets/")
        if whole and (
            member.file_size > limits.inflated
            or (
                member.file_size > 1024 * 1024
                and member.file_size > limits.ratio * max(member.compress_size, 1)
            )
        ):
            raise _bomb(limits)
        if member.filename.endswith((".xml", ".rels")) and _declares_entities(
            book, member, whole=whole
        ):
            raise _xml_bomb()


def _declares_entities(book: zipfile.ZipFile, member: zipfile.ZipInfo, *, whole: bool) -> bool:
    """A DTD or entity declaration in an XML part: in its head, or anywhere in a part that
    openpyxl parses whole (its parser may be lxml, which does not refuse them like defusedxml;
    their size is bounded above). Worksheets are parsed by expat, which refuses them itself."""
    with book.open(member) as part:
        tail = b""
        while chunk := part.read(XML_HEAD_SCAN if not whole else 1024 * 1024):
            window = tail + chunk
            if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                return True
            if not whole:
                return False
            tail = window[-16:]
    return False


class _Refused(Exception):
    pass


class _TooManyRows(Exception):
    pass


class _TooMuchData(Exception):
    pass


class _CellTooLong(Exception):
    pass


def _refuse_dtd(*args: Any) -> None:
    raise _Refused


class _SharedString(int):
    """An index into the shared strings, resolved once the sheet has passed its caps."""


class _SheetReader:
    """Streams the cells of one worksheet part with expat: row number, values, merged ranges."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.max_lines = limits.max_lines
        self.rows: list[tuple[int, tuple[Any, ...]]] = []
        self.merged: list[tuple[int, int, int, int]] = []
        self.row_number = 0
        self.cells: dict[int, Any] = {}
        self.column = 0
        self.ref: str | None = None
        self.kind = "n"
        self.text: list[str] = []
        self.length = 0
        self.collect = False
        self.phonetic = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if ":" in name:
            name = name.rpartition(":")[2]
        if name == "c":
            self.ref = attrs.get("r")
            self.kind = attrs.get("t", "n")
            self.text = []
            self.length = 0
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
            if match and len(self.merged) < self.max_lines:
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
            self.length += len(text)
            if self.length > MAX_CELL:
                raise _CellTooLong
            self.text.append(text)

    def _value(self, text: str) -> Any:
        kind = self.kind
        if kind == "s":
            return _SharedString(int(text))
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
        inflated = tags = rows = 0
        most_tags = TAGS_OUTSIDE_ROWS + TAGS_PER_ROW * self.max_lines
        while chunk := part.read(256 * 1024):
            # Counted in C before expat calls back into Python for every element: markup
            # without rows, or more markup than the rows allowed can hold, stops here.
            inflated += len(chunk)
            tags += chunk.count(b"<")
            rows += chunk.count(b"<row") + chunk.count(b":row")
            if (
                inflated > self.limits.inflated
                or tags > most_tags
                or tags > TAGS_OUTSIDE_ROWS + TAGS_PER_ROW_AT_MOST * rows
            ):
                raise _TooMuchData
            parser.Parse(chunk, False)
        parser.Parse(b"", True)

    def resolve(self, shared: Sequence[Any]) -> None:
        for index, (number, cells) in enumerate(self.rows):
            if any(isinstance(cell, _SharedString) for cell in cells):
                self.rows[index] = (
                    number,
                    tuple(
                        shared[cell] if isinstance(cell, _SharedString) else cell for cell in cells
                    ),
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


class _Workbook:
    """openpyxl's own reader of the workbook's structure, in read-only mode and without building
    worksheet objects: the first worksheet's part, then (later) the shared strings."""

    def __init__(self, data: bytes) -> None:
        from openpyxl.reader.excel import ExcelReader

        self.reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)

    def first_worksheet(self) -> str:
        self.reader.read_manifest()
        self.reader.read_workbook()
        for _sheet, rel in self.reader.parser.find_sheets():
            if rel.Type.endswith("/worksheet"):
                return str(rel.target.lstrip("/"))
        raise ValueError("no worksheet")

    def shared_strings(self) -> Sequence[Any]:
        self.reader.read_strings()
        return self.reader.shared_strings

    def close(self) -> None:
        self.reader.archive.close()


def _read_xlsx(data: bytes, limits: Limits) -> Sheet:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _corrupt() from None
    with archive:
        try:
            _check_zip(archive, limits)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            raise _corrupt() from None
        workbook = None
        try:
            workbook = _Workbook(data)
            path = workbook.first_worksheet()
            with archive.open(path) as part:
                head = part.read(4096)
            declared = _DIMENSION.search(head)
            if declared and declared.group(1) and int(declared.group(1)) > limits.max_lines:
                raise _TooManyRows  # the sheet's own <dimension> says so: stop now
            reader = _SheetReader(limits)
            with archive.open(path) as part:
                reader.read(part)
            reader.resolve(workbook.shared_strings())
        except _TooManyRows:
            raise too_many_rows(limits) from None
        except _TooMuchData:
            raise _bomb(limits) from None
        except _CellTooLong:
            raise UnreadableFile(
                _(
                    "A cell of the sheet holds more than %(max)d characters, more than Excel "
                    "allows in a cell (a compressed bomb?); the file was not read further."
                )
                % {"max": MAX_CELL}
            ) from None
        except (_Refused, expat.ExpatError) as exc:
            if isinstance(exc, _Refused) or "entit" in str(exc).lower():
                raise _xml_bomb() from None
            raise _corrupt() from None
        except Exception as exc:  # openpyxl raises many kinds for a broken workbook
            if _defused(exc):
                raise _xml_bomb() from None
            raise _corrupt() from None
        finally:
            if workbook is not None:
                workbook.close()
    return Sheet(rows=reader.rows, merged=reader.merged)
