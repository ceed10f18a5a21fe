"""Demo verifications of 蜀山区: one issued, one senior confirmed by the city, one senior waiting
in the city's queue, and the demo professional 张明 refused (his ledger has a short year), each
with the district officer's opinion (审核意见) as an officer would write it.

Three demo professionals of 蜀山区 are added here with five years of history each (recorded
through `entries_record` with `Source.DEMO` under the keys `demo:verification:...`), so the
outcome does not depend on the random history of the ledger demo (apps/demo/credits.py, which
runs first). Safe to run twice: nothing is added once the demo district officer has verified
anyone.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.credits.models import Source
from apps.credits.services import EntryDraft, Reviewer, entries_record
from apps.demo import DEMO_TRAINEE_ID
from apps.people import crypto, idnumber
from apps.people.models import Industry, Person, Unit
from apps.people.services import person_create
from apps.verification.models import Verification
from apps.verification.services import (
    derived_cycle_check,
    verification_confirm,
    verification_issue,
)

TOPICS = {
    2020: "《习近平新时代中国特色社会主义思想概论》",
    2021: "《“十四五”大战略与2035远景目标》",
    2022: "《全面推进乡村振兴战略》",
    2023: "《党的二十大精神解读》",
    2024: "《新质生产力与高质量发展》",
    2025: "《专业技术人员职业道德与诚信建设》",
}

# (name, birth date, sequence, unit, industry, current title, level, year obtained,
#  title applied for, its level, what happens, the district officer's opinion)
PEOPLE = [
    (
        "陈立新",
        dt.date(1994, 4, 18),
        801,
        "安徽江淮建设工程有限公司",
        "construction",
        ("助理工程师", "junior", 2020),
        ("工程师", "intermediate"),
        "issued",
        "经核对学时登记及培训证明，任职周期内各年度公需科目、专业科目学时均达到规定要求，"
        "个别年度专业科目不足部分已按规定由次年超出学时补足。同意予以验证。",
    ),
    (
        "王思远",
        dt.date(1986, 9, 2),
        802,
        "蜀山区琥珀小学",
        "education",
        ("一级教师", "intermediate", 2020),
        ("高级教师", "associate_senior"),
        "confirmed",
        "经核对学时登记、公需科目考试成绩及学术年会交流论文，任职周期内各年度学时均达到"
        "规定要求。同意予以验证，报市人力资源和社会保障局复核。",
    ),
    (
        "刘晓燕",
        dt.date(1981, 12, 25),
        803,
        "蜀山区笔架山街道社区卫生服务中心",
        "health",
        ("副主任医师", "associate_senior", 2020),
        ("主任医师", "senior"),
        "awaiting",
        "经核对学时登记及继续医学教育学分证明，任职周期内各年度学时均达到规定要求，"
        "专业科目学时与所在单位出具的证明一致。同意予以验证，报市人力资源和社会保障局复核。",
    ),
]


def _year(person: Person, year: int, *, professional: int) -> list[EntryDraft]:
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
            params={"hours": professional - 10},
            source=Source.DEMO,
            source_key=f"{key}:base",
            title=f"{year} 年度专业技术人员知识更新培训",
            source_label="合肥皖博职业培训学校",
        ),
        EntryDraft(
            person_id=person.pk,
            year=year,
            kind="provincial_conference",
            params={"paper_chars": 3200},  # 5 + 5 hours
            source=Source.DEMO,
            source_key=f"{key}:conference",
            title=f"{year} 年安徽省学术年会（交流论文）",
            source_label="安徽省学术年会",
        ),
    ]
    return drafts


def load(*, stdout: Any) -> None:
    officer = User.objects.filter(username="shushan", role=Role.DISTRICT_OFFICER).first()
    city = User.objects.filter(username="city", role=Role.CITY_OFFICER).first()
    if officer is None or city is None or Verification.objects.filter(officer=officer).exists():
        return
    with transaction.atomic():
        made = _load(officer=officer, city=city)
    stdout.write(f"学时验证演示数据：{made}。")


def _person(row: tuple[Any, ...], officer: User) -> Person:
    name, birth, sequence, unit_name, industry, (title, level, year), *_rest = row
    number = idnumber.compose("340104", birth, sequence)
    person = Person.objects.filter(id_number_hash=crypto.keyed_hash(number)).first()
    if person is not None:
        return person
    return person_create(
        name=name,
        id_number=number,
        unit=Unit.objects.get(name=unit_name, jurisdiction=officer.jurisdiction),
        industry=Industry.objects.get(code=industry),
        title=title,
        title_level=level,
        title_year=year,
    )


def demo_base_url() -> str:
    """The address the demo's QR codes print: PUBLIC_BASE_URL, else the port scripts/demo.sh
    serves on (PORT, default 8000)."""
    port = os.environ.get("PORT", "").strip() or "8000"
    return settings.PUBLIC_BASE_URL or f"http://127.0.0.1:{port}"


def _load(*, officer: User, city: User) -> str:
    application_year = timezone.localdate().year
    base_url = demo_base_url()
    reviewer = Reviewer.of(officer)
    made = []
    for row in PEOPLE:
        person = _person(row, officer)
        assert person.title_year is not None
        start, end = person.title_year + 1, application_year - 1
        drafts: list[EntryDraft] = []
        for year in range(start, end + 1):
            # One year short of professional hours, made up from the next year's surplus.
            professional = 52 if year == start + 1 else 68 if year == start + 2 else 62
            drafts += _year(person, year, professional=professional)
        entries_record(drafts=drafts, reviewer=reviewer)
        title_applied, level = row[6]
        verification = verification_issue(
            officer=officer,
            person=person,
            application_year=application_year,
            title_applied=title_applied,
            title_level=level,
            opinion=row[8],
            base_url=base_url,
        )
        if row[7] == "confirmed" and verification.status == Verification.Status.AWAITING_REVIEW:
            verification_confirm(verification=verification, officer=city, base_url=base_url)
        made.append(f"{verification.person_name}（{verification.get_status_display()}）")
    # The demo professional's own ledger has a short year: his application is refused.
    trainee = Person.objects.filter(id_number_hash=crypto.keyed_hash(DEMO_TRAINEE_ID)).first()
    level = Person.TitleLevel.ASSOCIATE_SENIOR
    if trainee is not None and trainee.title_year is not None:
        check = derived_cycle_check(
            person=trainee, application_year=application_year, title_level=level
        )
        if not check.compliant:
            short = "、".join(str(row["year"]) for row in check.years if not row["compliant"])
            verification = verification_issue(
                officer=officer,
                person=trainee,
                application_year=application_year,
                title_applied="高级教师",
                title_level=level,
                opinion=(
                    f"经核对学时登记，{short} 年度学时未达到规定要求，次年超出学时不足以补足。"
                    "不予验证；请申报人补足学时，或持纸质继续教育证书到本局补录后重新申请。"
                ),
                base_url=base_url,
            )
            made.append(f"{verification.person_name}（{verification.get_status_display()}）")
    return "、".join(made)
