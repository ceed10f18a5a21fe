"""The one check → preview → confirm workflow of every upload (people, rosters, public-course
results), domain-free.

An upload declares a `Schema`: its columns (the heading each goes by and the other headings
clerks use), which columns are required, how far down the heading row may be, and its
`Limits`. `Intake` then

1. reads the file with the one hardened reader (`hefei_cpe.sheets`): a file that cannot be read
   is one problem of row 0 ("the file") naming the cause;
2. finds the heading row (`header_scan_rows` deep; title rows and other columns are fine) and
   says which required columns are missing;
3. yields the data rows as `Record`s (blank lines skipped, the data rows counted against the
   limit) whose cells the app cleans with `hefei_cpe.cleaning` and checks;
4. collects every problem as (Excel row, column heading, Chinese message), sorted by row and
   then by the schema's column order, so every upload lists them the same way
   (`templates/uploads/_problems.html`).

The app's check service turns the records into its plan and keeps it for the preview (people:
`PersonImport`, rosters: `RosterUpload`, public course: `ImportBatch`), and its confirm service
checks the plan again against the database and writes it in one transaction, or nothing.
A preview of more than `UPLOAD_CONFIRM_INLINE_MAX_ROWS` rows is confirmed by a background job
(`confirm_in_background`; each app's tasks.py calls the same confirm service).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from hefei_cpe import cleaning
from hefei_cpe.sheets import Limits, Sheet, UnreadableFile, read_bounded, read_sheet

FILE = 0  # the row of a problem of the file as a whole


def confirm_in_background(rows: int) -> bool:
    """Whether confirming a preview of `rows` data rows is left to a background job."""
    return rows > settings.UPLOAD_CONFIRM_INLINE_MAX_ROWS


@dataclass(frozen=True)
class RowProblem:
    row: int  # the Excel row number; 0 for the file as a whole
    column: str  # the column's heading; "" for the row or the file as a whole
    message: str


@dataclass(frozen=True)
class Column:
    heading: str  # as the template has it; problems name the column by it
    aliases: tuple[str, ...] = ()
    required: bool = False

    @property
    def headings(self) -> tuple[str, ...]:
        return (self.heading, *self.aliases)


@dataclass(frozen=True)
class Schema:
    columns: tuple[Column, ...]
    limits: Callable[[], Limits]  # read when an upload starts, so settings may change in tests
    # The heading row is the first that holds all of these (before any other check).
    key_columns: tuple[str, ...]
    header_scan_rows: int = 10
    # e.g. "use the template" (a lazy translation): said when no heading row is found
    template_hint: str | Promise = ""

    def heading_of(self, cell: Any) -> str:
        text = cleaning.compact(cell).strip("*:")
        for column in self.columns:
            if text in column.headings:
                return column.heading
        return ""

    def order(self, problem: RowProblem) -> tuple[int, int]:
        headings = [c.heading for c in self.columns]
        return problem.row, headings.index(problem.column) if problem.column in headings else -1


@dataclass(frozen=True)
class Record:
    row: int
    cells: dict[str, Any]  # heading -> the raw cell value (None where the row is short)


@dataclass
class Header:
    row: int
    columns: dict[str, int]  # heading -> index in the row
    position: int  # index of the heading row in `Sheet.rows`


class Refused(Exception):
    """The upload stops here; its problems say why."""


@dataclass
class Intake:
    schema: Schema
    problems: list[RowProblem] = field(default_factory=list)
    sheet: Sheet | None = None
    header: Header | None = None
    rows: int = 0  # data rows read
    sha256: str = ""  # of the file as uploaded

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(RowProblem(row, column, message))

    def refuse(self, row: int, message: str) -> Refused:
        self.problems.append(RowProblem(row, "", message))
        return Refused(message)

    @property
    def limits(self) -> Limits:
        return self.schema.limits()

    def read(
        self, *, file: IO[bytes] | None = None, data: bytes | None = None, filename: str
    ) -> Sheet:
        """Reads the sheet (from `file` within the size limit, or from `data`); raises
        `Refused` with the file's problem."""
        limits = self.limits
        try:
            if data is None:
                assert file is not None
                data = read_bounded(file, limits)
            self.sha256 = hashlib.sha256(data).hexdigest()
            self.sheet = read_sheet(data=data, filename=filename, limits=limits)
        except UnreadableFile as exc:
            raise self.refuse(FILE, exc.message) from None
        return self.sheet

    def find_header(self, *, above: Callable[[tuple[Any, ...]], None] | None = None) -> Header:
        """The heading row; raises `Refused` when there is none or a required column is
        missing. `above` is given each row read before the heading row (a form's title block,
        e.g. the roster's 填报单位 and 培训主题)."""
        assert self.sheet is not None
        schema = self.schema
        for position, (number, cells) in enumerate(self.sheet.rows[: schema.header_scan_rows]):
            columns: dict[str, int] = {}
            for index, cell in enumerate(cells):
                heading = schema.heading_of(cell)
                if heading and heading not in columns:
                    columns[heading] = index
            if all(key in columns for key in schema.key_columns):
                missing = [
                    c.heading for c in schema.columns if c.required and c.heading not in columns
                ]
                if missing:
                    raise self.refuse(
                        number, _("Missing columns: %(columns)s.") % {"columns": "、".join(missing)}
                    )
                self.header = Header(number, columns, position)
                return self.header
            if above is not None:
                above(cells)
        raise self.refuse(
            FILE,
            _("No heading row with %(columns)s in the first %(rows)d rows; %(hint)s")
            % {
                "columns": "、".join(f"“{key}”" for key in schema.key_columns),
                "rows": schema.header_scan_rows,
                "hint": str(schema.template_hint) or _("use the template."),
            },
        )

    def records(self) -> Iterator[Record]:
        """The data rows under the heading row, blank ones skipped; raises `Refused` past the
        row limit (the reader bounds the lines read, this the rows that hold data)."""
        assert self.sheet is not None and self.header is not None
        columns = self.header.columns
        max_rows = self.limits.max_rows
        for number, cells in self.sheet.rows[self.header.position + 1 :]:
            values = {
                heading: cells[index] if index < len(cells) else None
                for heading, index in columns.items()
            }
            if not any(cleaning.text(value) for value in values.values()):
                continue
            self.rows += 1
            if self.rows > max_rows:
                raise self.refuse(
                    FILE,
                    _("The file has more than %(max)d rows; split it into several files.")
                    % {"max": max_rows},
                )
            yield Record(number, values)

    def sorted_problems(self) -> list[RowProblem]:
        self.problems.sort(key=self.schema.order)
        return self.problems
