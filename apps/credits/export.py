"""The Excel exports of the officers' and unit administrators' lists: the people with this
year's hours (filtered as on the page) and the claims queue (filtered as on the page). Every
sheet goes through the project's one writer (`hefei_cpe.xlsx.xlsx_stream`, formulas
neutralised); the people list reads its hours `CHUNK` people at a time, so a small export costs a
fixed number of queries and a city-wide one stays flat in memory (it runs as a job)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.credits.models import Claim
from apps.credits.selectors import PeopleHoursFilter, hours_of
from apps.people.models import Person
from hefei_cpe.xlsx import xlsx_stream

CHUNK = 2000  # people per hours query


def people_hours_headings() -> list[str]:
    return [
        _("Name"),
        _("Resident ID number"),
        _("Unit"),
        _("Industry"),
        _("Title level"),
        _("Public hours"),
        _("Professional hours"),
        _("Total hours"),
        _("Public hours short"),
        _("Professional hours short"),
        _("Compliant"),
    ]


def _people_rows(
    people: QuerySet[Person], year: int, progress: Callable[[int], None] | None
) -> Iterator[Sequence[Any]]:
    iterator = people.iterator(chunk_size=CHUNK)
    done = 0
    while batch := list(islice(iterator, CHUNK)):
        for row in hours_of(people=batch, year=year):
            yield [
                row.person.name,
                row.person.id_number_masked,
                row.person.unit.name,
                row.person.industry.name,
                row.person.get_title_level_display() or "—",
                row.public,
                row.professional,
                row.total,
                row.shortfall_public,
                row.shortfall_professional,
                _("Yes") if row.compliant else _("No"),
            ]
        done += len(batch)
        if progress is not None:
            progress(done)


def people_hours_file_name(filters: PeopleHoursFilter) -> str:
    return _("Hours of professionals %(year)s-%(date)s.xlsx") % {
        "year": filters.year,
        "date": timezone.localdate().strftime("%Y%m%d"),
    }


def people_hours_write(
    *,
    people: QuerySet[Person],
    filters: PeopleHoursFilter,
    target: IO[bytes] | None = None,
    progress: Callable[[int], None] | None = None,
) -> IO[bytes]:
    """The filtered people with the year's hours as one sheet, in the page's order."""
    return xlsx_stream(
        title=_("Hours %(year)s") % {"year": filters.year},
        headings=people_hours_headings(),
        rows=_people_rows(people, filters.year, progress),
        widths=(12, 22, 30, 16, 12, 10, 10, 10, 12, 12, 8),
        target=target,
    )


def claims_queue_write(*, claims: QuerySet[Claim]) -> IO[bytes]:
    """The filtered claims queue as one sheet, oldest first as on the page."""
    rows = (
        [
            claim.receipt_no or "",
            timezone.localtime(claim.submitted_at).strftime("%Y-%m-%d %H:%M"),
            claim.person.name,
            claim.person.id_number_masked,
            claim.person.unit.name,
            claim.year,
            claim.get_kind_display(),
            claim.title,
            claim.previewed_hours,
            claim.get_status_display(),
        ]
        for claim in claims.iterator(chunk_size=CHUNK)
    )
    return xlsx_stream(
        title=_("Claims to review"),
        headings=[
            _("Receipt number"),
            _("Submitted"),
            _("Name"),
            _("Resident ID number"),
            _("Unit"),
            _("Year"),
            _("Activity"),
            _("Name of the activity"),
            _("Hours expected"),
            _("Status"),
        ],
        rows=rows,
        widths=(16, 17, 12, 22, 30, 8, 20, 36, 10, 14),
    )
