from __future__ import annotations

import itertools

from apps.credits.models import Source
from apps.credits.services import EntryDraft, Reviewer, entries_record
from apps.people.models import Person

_keys = itertools.count(1)
REVIEWER = Reviewer(name="测试", organisation="测试单位")


def credit(person: Person, year: int, *, public: int = 0, professional: int = 0) -> None:
    """Records a public course (30 h per course) and a base training of `professional` hours."""
    drafts = []
    for _ in range(public // 30):
        drafts.append(
            EntryDraft(
                person_id=person.pk,
                year=year,
                kind="public_course",
                params={"topic": f"专题{next(_keys)}"},
                source=Source.PUBLIC_COURSE,
                source_key=f"test-public:{next(_keys)}",
            )
        )
    if professional:
        drafts.append(
            EntryDraft(
                person_id=person.pk,
                year=year,
                kind="base_training",
                params={"hours": professional},
                source=Source.ROSTER,
                source_key=f"test-roster:{next(_keys)}",
            )
        )
    entries_record(drafts=drafts, reviewer=REVIEWER)
