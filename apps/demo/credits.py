"""Demo ledgers: a few years of believable history for every demo professional (some years
compliant, some short), the demo trainee's own story, and claims waiting in the queues.

History before this year is recorded as `Source.DEMO` ("historical record", as if carried over
from the paper booklets); everything goes through the real services. Idempotent: every item
has a fixed source key, and claims are created only once.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from apps.accounts.models import Role, User
from apps.credits.claims import claim_approve, claim_reject, claim_submit
from apps.credits.evidence import evidence_check
from apps.credits.models import Claim, LedgerEntry, Source
from apps.credits.services import EntryDraft, Reviewer, entries_record
from apps.people import crypto
from apps.people.models import Person

DEMO_TRAINEE_ID = "340104198703152314"
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
BASE_TRAININGS = [
    ("合肥皖博职业培训学校", "中小学教师信息技术应用能力提升培训"),
    ("合肥市第一人民医院", "临床诊疗规范与医疗质量安全培训"),
    ("中国科学技术大学继续教育学院", "人工智能与大数据技术前沿研修班"),
    ("合肥工业大学继续教育学院", "建设工程质量安全管理专题培训"),
    ("安徽建筑大学继续教育学院", "装配式建筑设计与施工技术培训"),
    ("合肥市农业科学研究院", "现代农业绿色生产技术培训"),
    ("安徽财经大学继续教育学院", "政府会计制度与内部控制培训"),
]
PUBLIC_TOPICS = {
    2020: "习近平新时代中国特色社会主义思想概论",
    2021: "“十四五”大战略与2035远景目标",
    2022: "全面推进乡村振兴战略",
    2023: "党的二十大精神解读",
    2024: "新质生产力与高质量发展",
}


def _reviewer_for(person: Person) -> Reviewer:
    jurisdiction = person.unit.jurisdiction
    officer = User.objects.filter(role=Role.DISTRICT_OFFICER, jurisdiction=jurisdiction).first()
    if officer is not None:
        return Reviewer.of(officer)
    organisation = (
        jurisdiction.name
        if jurisdiction.kind == "department"
        else f"{jurisdiction.name}人力资源和社会保障局"
    )
    return Reviewer(name="继续教育审核员", organisation=organisation)


def _draft(person: Person, key: str, year: int, kind: str, title: str, **params: Any) -> EntryDraft:
    return EntryDraft(
        person_id=person.pk,
        year=year,
        kind=kind,
        params=params,
        source=Source.DEMO,
        source_key=f"demo:{person.pk}:{key}",
        title=title,
        source_label="纸质证书登记转录",
        occurred_on=dt.date(year, 11, 20) if year < 2026 else dt.date(2026, 10, 16),
    )


def _history(person: Person, rng: random.Random) -> list[EntryDraft]:
    """2020-2025: public course most years, one or two base trainings, now and then a paper
    or a conference; about one year in four falls short."""
    drafts = []
    for year in range(2020, 2026):
        if rng.random() < 0.1:
            continue  # a year with nothing recorded at all
        if year in PUBLIC_TOPICS and rng.random() < 0.9:
            drafts.append(
                _draft(
                    person,
                    f"pub{year}",
                    year,
                    "public_course",
                    PUBLIC_TOPICS[year],
                    topic=PUBLIC_TOPICS[year],
                )
            )
        short = rng.random() < 0.25
        base, title = rng.choice(BASE_TRAININGS)
        hours = rng.choice([24, 32, 40] if short else [40, 48, 56, 64])
        drafts.append(
            _draft(person, f"base{year}", year, "base_training", f"{base}：{title}", hours=hours)
        )
        if not short:
            extra = rng.choice(["organized", "conference", "paper", "self_study"])
            if extra == "organized":
                drafts.append(
                    _draft(
                        person,
                        f"org{year}",
                        year,
                        "organized_training",
                        "行业协会年度专业技术培训",
                        hours=rng.choice([16, 24, 32]),
                    )
                )
            elif extra == "conference":
                drafts.append(
                    _draft(
                        person,
                        f"conf{year}",
                        year,
                        "provincial_conference",
                        "安徽省学术年会",
                        paper_chars=rng.choice([0, 1800, 3200]),
                    )
                )
            elif extra == "paper":
                drafts.append(
                    _draft(
                        person,
                        f"paper{year}",
                        year,
                        "paper",
                        "专业期刊论文",
                        journal="provincial",
                        chars=rng.choice([4000, 6000, 8000]),
                        indexed=False,
                        paper_id=f"demo-{person.pk}-{year}",
                    )
                )
            else:
                drafts.append(
                    _draft(
                        person,
                        f"self{year}",
                        year,
                        "self_study",
                        "专业自学",
                        hours=rng.choice([20, 30]),
                    )
                )
    return drafts


def _trainee_story(person: Person) -> list[EntryDraft]:
    """张明: compliant years, a capped self-study year, a short year (2023), a year made up by
    the next one's surplus (2024 by 2025), and this year in progress."""
    d = _draft
    return [
        d(person, "pub2020", 2020, "public_course", PUBLIC_TOPICS[2020], topic=PUBLIC_TOPICS[2020]),
        d(
            person,
            "base2020",
            2020,
            "base_training",
            "合肥皖博职业培训学校：中小学教师信息技术应用能力提升培训",
            hours=64,
        ),
        d(person, "pub2021", 2021, "public_course", PUBLIC_TOPICS[2021], topic=PUBLIC_TOPICS[2021]),
        d(
            person,
            "base2021",
            2021,
            "base_training",
            "合肥皖博职业培训学校：新课标背景下的课堂教学设计",
            hours=48,
        ),
        d(
            person,
            "paper2021",
            2021,
            "paper",
            "小学数学项目式学习的实践探索",
            journal="provincial",
            chars=5000,
            indexed=False,
            paper_id="安徽教育科研 2021(6):33-36",
        ),
        d(person, "pub2022", 2022, "public_course", PUBLIC_TOPICS[2022], topic=PUBLIC_TOPICS[2022]),
        d(person, "org2022", 2022, "organized_training", "蜀山区小学数学骨干教师研修", hours=24),
        d(person, "self2022a", 2022, "self_study", "教育心理学专题自学", hours=24),
        d(person, "self2022b", 2022, "self_study", "小学数学课程标准自学", hours=20),
        d(person, "pub2023", 2023, "public_course", PUBLIC_TOPICS[2023], topic=PUBLIC_TOPICS[2023]),
        d(
            person,
            "base2023",
            2023,
            "base_training",
            "合肥皖博职业培训学校：班主任工作能力提升培训",
            hours=40,
        ),
        d(person, "pub2024", 2024, "public_course", PUBLIC_TOPICS[2024], topic=PUBLIC_TOPICS[2024]),
        d(
            person,
            "base2024",
            2024,
            "base_training",
            "合肥皖博职业培训学校：作业设计与评价改革专题培训",
            hours=56,
        ),
        d(
            person,
            "base2025",
            2025,
            "base_training",
            "合肥皖博职业培训学校：人工智能赋能课堂教学培训",
            hours=64,
        ),
        d(
            person,
            "conf2025",
            2025,
            "provincial_conference",
            "安徽省小学数学教学研讨会",
            paper_chars=3500,
        ),
        d(person, "course2025", 2025, "degree_course", "教育硕士课程进修", courses=1),
        d(
            person,
            "base2026",
            2026,
            "base_training",
            "合肥皖博职业培训学校：跨学科主题学习设计培训",
            hours=32,
        ),
    ]


def _evidence_png(title: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (900, 620), "#fffdf7")
    draw = ImageDraw.Draw(image)
    draw.rectangle([20, 20, 880, 600], outline="#a11", width=6)
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont
    small: ImageFont.FreeTypeFont | ImageFont.ImageFont
    try:
        font = ImageFont.truetype(FONT, 40)
        small = ImageFont.truetype(FONT, 26)
    except OSError:
        font = small = ImageFont.load_default()
    draw.text((300, 80), "证  书", fill="#a11", font=font)
    draw.text((80, 220), title[:28], fill="#222", font=small)
    draw.text((80, 300), "（演示用证明材料）", fill="#555", font=small)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile("证书扫描件.png", buffer.getvalue(), content_type="image/png")


def _claim(person: Person, kind: str, year: int, title: str, **params: Any) -> Claim:
    existing = Claim.objects.filter(person=person, kind=kind, year=year, title=title).first()
    if existing is not None:
        return existing
    return claim_submit(
        person=person,
        kind=kind,
        year=year,
        params=params,
        title=title,
        description="",
        files=evidence_check([_evidence_png(title)]),
        attested=True,
    )


def load(*, stdout: Any) -> None:
    rng = random.Random(66)  # noqa: S311 - reproducible demo data
    people = list(Person.objects.select_related("unit__jurisdiction").order_by("pk"))
    trainee = next(
        (p for p in people if p.id_number_hash == crypto.keyed_hash(DEMO_TRAINEE_ID)), None
    )
    # Demo history goes to people with no ledger yet (the first run) or with this demo's
    # history (a rerun); people that other apps' demos create later keep their own ledgers.
    with_entries = set(LedgerEntry.objects.values_list("person_id", flat=True).distinct())
    ours = set(
        LedgerEntry.objects.filter(source=Source.DEMO, source_key__regex=r"^demo:[0-9]+:")
        .values_list("person_id", flat=True)
        .distinct()
    )
    others = with_entries - ours
    by_reviewer: dict[Reviewer, list[EntryDraft]] = {}
    for person in people:
        # Draw every person's history, kept or not, so a rerun draws the same numbers.
        drafts = _trainee_story(person) if person == trainee else _history(person, rng)
        if person.pk not in others:
            by_reviewer.setdefault(_reviewer_for(person), []).extend(drafts)
    created = 0
    for reviewer, drafts in by_reviewer.items():
        created += entries_record(drafts=drafts, reviewer=reviewer)

    if trainee is not None:
        _trainee_claims(trainee)
    _queue_claims(people)
    stdout.write(
        f"演示学时：新增登记 {created} 条，共 {LedgerEntry.objects.count()} 条；"
        f"待审核申报 {Claim.objects.filter(status=Claim.Status.PENDING).count()} 项。"
    )


def _trainee_claims(trainee: Person) -> None:
    officer = User.objects.filter(
        role=Role.DISTRICT_OFFICER, jurisdiction=trainee.unit.jurisdiction
    ).first()
    approved = _claim(
        trainee, "national_conference", 2026, "全国小学数学教学改革研讨会", paper_chars=2600
    )
    if officer and approved.status == Claim.Status.PENDING:
        claim_approve(claim=approved, officer=officer, opinion="材料齐全，同意登记。")
    rejected = _claim(trainee, "self_study", 2026, "阅读教育类书籍", hours=20)
    if officer and rejected.status == Claim.Status.PENDING:
        claim_reject(
            claim=rejected,
            officer=officer,
            opinion="自学须由所在单位考核认定，请补充单位出具的考核证明后重新申报。",
        )
    _claim(
        trainee,
        "paper",
        2026,
        "基于核心素养的小学数学单元整体教学设计",
        journal="national",
        chars=6200,
        indexed=False,
        paper_id="小学数学教师 2026(4):21-25",
    )
    # The 2021 paper claimed again, as reprinted in a national journal: the officer's review
    # shows it is already on the ledger and that it would credit only the difference.
    _claim(
        trainee,
        "paper",
        2023,
        "小学数学项目式学习的实践探索（转载）",
        journal="national",
        chars=5000,
        indexed=False,
        paper_id="安徽教育科研 2021(6):33-36",
    )


def _queue_claims(people: list[Person]) -> None:
    shushan = [
        p
        for p in people
        if p.unit.jurisdiction.code == "shushan"
        and p.id_number_hash != crypto.keyed_hash(DEMO_TRAINEE_ID)
    ]
    health = [p for p in people if p.unit.jurisdiction.code == "city-health"]
    # In the order of the district's units (school, builder, clinic, hospital).
    samples: list[tuple[str, int, str, dict[str, Any]]] = [
        ("provincial_conference", 2026, "安徽省小学语文教学研讨会", {"paper_chars": 0}),
        (
            "invention_patent",
            2026,
            "一种装配式建筑构件连接装置",
            {"rank": 2, "patent_no": "ZL 2025 1 0456789.1"},
        ),
        (
            "research_project",
            2026,
            "社区慢病管理模式研究",
            {"level": "city", "role": "main", "rank": 1, "project_no": "HFKJ-2026-031"},
        ),
        (
            "city_award",
            2025,
            "合肥市科学技术进步奖",
            {"grade": 2, "rank": 3, "award_no": "2025-J-2-017"},
        ),
    ]
    # One claimant per unit where possible, so the queue looks like a district's.
    by_unit: dict[int, list[Person]] = {}
    for person in shushan:
        by_unit.setdefault(person.unit_id, []).append(person)
    claimants = [p for group in zip(*by_unit.values(), strict=False) for p in group]
    for person, (kind, year, title, params) in zip(claimants, samples, strict=False):
        _claim(person, kind, year, title, **params)
    if health:
        _claim(
            health[0],
            "medical_credit",
            2026,
            "国家级继续医学教育项目：心血管疾病诊疗进展",
            credits=10,
        )
