"""Demo verifications of 蜀山区: one issued, one senior confirmed by the city, one senior
waiting in the city's queue, one refused. Safe to run twice: nothing is added once the demo
district officer has verified anyone.

The ledger demo (apps/credits/demo.py) runs first and may already give people multi-year
ledgers; people whose cycle has no entries at all get a believable one here, recorded through
`entries_record` with `Source.DEMO` and source keys `demo:verification:...`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.credits.models import LedgerEntry, Source
from apps.credits.services import EntryDraft, Reviewer, entries_record
from apps.people import crypto
from apps.people.management.commands.load_demo import DEMO_TRAINEE_ID
from apps.people.models import Person
from apps.verification.models import Verification
from apps.verification.services import (
    NEXT_LEVEL,
    cycle_check,
    verification_confirm,
    verification_issue,
)

TOPICS = {
    2019: "《习近平新时代中国特色社会主义思想》",
    2020: "《推进国家治理体系和治理能力现代化》",
    2021: "《“十四五”大战略与2035远景目标》",
    2022: "《数字经济与创新驱动发展》",
    2023: "《全面推进乡村振兴》",
    2024: "《新质生产力与高质量发展》",
    2025: "《专业技术人员职业道德与诚信建设》",
}
# The title applied for, by industry and level.
TITLES = {
    "education": {
        "intermediate": "一级教师",
        "associate_senior": "高级教师",
        "senior": "正高级教师",
    },
    "health": {"intermediate": "主治医师", "associate_senior": "副主任医师", "senior": "主任医师"},
    "construction": {
        "intermediate": "工程师",
        "associate_senior": "高级工程师",
        "senior": "正高级工程师",
    },
}


def _drafts(person: Person, year: int, *, short: bool = False) -> list[EntryDraft]:
    key = f"demo:verification:{person.pk}:{year}"
    drafts = [
        EntryDraft(
            person_id=person.pk,
            year=year,
            kind="public_course",
            params={"topic": TOPICS.get(year, f"{year} 年度公需科目")},
            source=Source.DEMO,
            source_key=f"{key}:public",
            title=f"{year} 年度公需科目 {TOPICS.get(year, '')}",
            source_label="合肥市专业技术人员公需科目考试",
        ),
        EntryDraft(
            person_id=person.pk,
            year=year,
            kind="base_training",
            params={"hours": 24 if short else 54},
            source=Source.DEMO,
            source_key=f"{key}:base",
            title=f"{year} 年度专业技术人员知识更新培训",
            source_label="合肥皖博职业培训学校",
        ),
    ]
    if not short:
        drafts.append(
            EntryDraft(
                person_id=person.pk,
                year=year,
                kind="provincial_conference",
                params={"paper_chars": 3200},
                source=Source.DEMO,
                source_key=f"{key}:conference",
                title=f"{year} 年安徽省学术年会（交流论文）",
                source_label="安徽省学术年会",
            )
        )
    return drafts


def _cycle(person: Person, year: int) -> tuple[int, int]:
    assert person.title_year is not None
    return max(person.title_year + 1, year - 5), year - 1


def load(*, stdout: Any) -> None:
    officer = User.objects.filter(username="shushan", role=Role.DISTRICT_OFFICER).first()
    city = User.objects.filter(username="city", role=Role.CITY_OFFICER).first()
    if officer is None or city is None or Verification.objects.filter(officer=officer).exists():
        return
    with transaction.atomic():
        made = _load(officer=officer, city=city)
    stdout.write(f"学时验证演示数据：{made}。")


def _load(*, officer: User, city: User) -> str:
    year = timezone.localdate().year
    base_url = settings.PUBLIC_BASE_URL or "http://127.0.0.1:8000"
    reviewer = Reviewer.of(officer)
    people = list(
        Person.objects.filter(
            unit__jurisdiction=officer.jurisdiction,
            unit__affiliation="local",
            title_year__isnull=False,
            title_year__lt=year - 1,
        )
        .select_related("unit", "industry")
        .order_by("id")
    )
    with_entries = set(
        LedgerEntry.objects.filter(person__in=people).values_list("person_id", flat=True)
    )
    # Roles in the demo: (what to show, title level applied for, a short year?)
    plan = [
        ("issued", Person.TitleLevel.INTERMEDIATE, False),
        ("confirmed", Person.TitleLevel.ASSOCIATE_SENIOR, False),
        ("awaiting", Person.TitleLevel.SENIOR, False),
        ("refused", Person.TitleLevel.ASSOCIATE_SENIOR, True),
    ]
    made = []
    used: set[int] = set()
    trainee = Person.objects.filter(id_number_hash=crypto.keyed_hash(DEMO_TRAINEE_ID)).first()
    for role, level, short in plan:
        person = None
        if role == "confirmed" and trainee is not None and trainee in people:
            # The demo professional's own page then shows a verification with its PDFs.
            person = _pick([trainee], used, with_entries, year, level=level, want_compliant=True)
        if person is None:
            person = _pick(people, used, with_entries, year, level=level, want_compliant=not short)
        if person is None:
            continue
        used.add(person.pk)
        start, end = _cycle(person, year)
        if person.pk not in with_entries:
            drafts: list[EntryDraft] = []
            for y in range(start, end + 1):
                drafts += _drafts(person, y, short=short and y == end - 1)
            entries_record(drafts=drafts, reviewer=reviewer)
        industry = person.industry.code if person.industry_id else ""
        title = TITLES.get(industry, TITLES["construction"])[level]
        verification = verification_issue(
            officer=officer,
            person=person,
            application_year=year,
            title_applied=title,
            title_level=level,
            cycle_start=start,
            cycle_end=end,
            base_url=base_url,
        )
        if role == "confirmed" and verification.status == Verification.Status.AWAITING_REVIEW:
            verification_confirm(verification=verification, officer=city, base_url=base_url)
        made.append(f"{verification.person_name}（{verification.get_status_display()}）")
    return "、".join(made)


def _pick(
    people: list[Person],
    used: set[int],
    with_entries: set[int],
    year: int,
    *,
    level: str,
    want_compliant: bool,
) -> Person | None:
    """Someone one level below `level` (else anyone) whose own ledger already gives the wanted
    verdict, else such a person without a ledger (who gets one)."""
    free = [p for p in people if p.pk not in used]
    below = [p for p in free if NEXT_LEVEL.get(p.title_level) == level]
    for group in (below, free):
        for person in group:
            if person.pk not in with_entries:
                continue
            start, end = _cycle(person, year)
            check = cycle_check(
                person=person, application_year=year, cycle_start=start, cycle_end=end
            )
            if check.compliant == want_compliant:
                return person
        blank = next((p for p in group if p.pk not in with_entries), None)
        if blank is not None:
            return blank
    return None
