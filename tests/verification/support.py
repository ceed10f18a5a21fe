"""Ledgers for verification tests: a compliant year is one public course (30 public hours) and
an organised training of 60 professional hours."""

from __future__ import annotations

from apps.credits.models import Source
from apps.credits.services import EntryDraft, Reviewer, entries_record

REVIEWER = Reviewer(name="刘审核", organisation="蜀山区人力资源和社会保障局")


def year_drafts(person, year: int, *, professional: int = 60, public: bool = True, tag: str = ""):
    drafts = [
        EntryDraft(
            person_id=person.pk,
            year=year,
            kind="organized_training",
            params={"hours": professional},
            source=Source.DEMO,
            source_key=f"test:{person.pk}:{year}:pro{tag}",
        )
    ]
    if public:
        drafts.append(
            EntryDraft(
                person_id=person.pk,
                year=year,
                kind="public_course",
                params={"topic": f"{year} 年公需课"},
                source=Source.DEMO,
                source_key=f"test:{person.pk}:{year}:pub{tag}",
            )
        )
    return drafts


def give_ledger(person, years, *, short: dict[int, int] | None = None) -> None:
    """Compliant years; `short` maps a year to the professional hours it gets instead of 60."""
    short = short or {}
    drafts = []
    for year in years:
        drafts += year_drafts(person, year, professional=short.get(year, 60))
    entries_record(drafts=drafts, reviewer=REVIEWER)
