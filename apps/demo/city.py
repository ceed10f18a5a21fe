"""A generated Hefei for the reports at full size: `manage.py demo_city --people N --years A-B`.
Demo data, so it lives in the demo app (installed with DEMO=1), not in the reports.

PostgreSQL only, into a database without people. What it builds:

- units (one per ~20 people by default) across the jurisdictions by population, each in one
  industry (schools, hospitals, design institutes, firms …), a few city-owned (placed under
  their city department) and ~3 % provincial or ministerial (out of the city's scope), each
  with a valid unified social credit code (GB 32100);
- people with valid resident ID numbers (GB 11643; Hefei and other Anhui address codes,
  births 1962–2001), encrypted and hashed exactly as `Person.set_id_number` does, with titles
  and title levels of their industry; unit sizes are skewed (a few large hospitals and
  schools, many small firms);
- ledgers drawn from a few hundred year-by-year "profiles" per industry: the public course
  (30 public hours) most years, one to three base trainings, and claims (organised trainings,
  conferences with papers, degree courses, self-study, medical credits in health), about 15 %
  of people short in a year, some of them made up the year after, ~1 % with no hours at all;
- the year totals: each profile is evaluated once by the rules engine (what
  `person_years_refresh` would store for every person who has it), then copied to its people.

Rows are written with COPY (people, units, who has which profile) and set-based INSERT … SELECT
(the ledger and year totals from the profiles); the big tables' secondary indexes and foreign
keys are dropped for the load and rebuilt afterwards, as pg_restore does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from apps import rules
from apps.credits.ledger import YearRow, rule_table, year_rows
from apps.people import creditcode, idnumber
from apps.people.crypto import _fernet
from apps.people.models import Industry, Jurisdiction, Person, Unit
from hefei_cpe.bulk import indexes_deferred

# Jurisdiction code -> (weight by population of professionals, ID address code).
DISTRICTS = {
    "yaohai": (9, "340102"),
    "luyang": (8, "340103"),
    "shushan": (12, "340104"),
    "baohe": (11, "340111"),
    "changfeng": (5, "340121"),
    "feidong": (6, "340122"),
    "feixi": (6, "340123"),
    "lujiang": (5, "341124"),
    "chaohu": (5, "341181"),
    "gaoxin": (7, "340104"),
    "jingkai": (7, "340111"),
    "xinzhan": (5, "340102"),
}
OTHER_ADDRESS_CODES = ["340202", "340302", "340403", "341002", "341502", "341602", "341102"]
# Industry code -> (share of units, unit name patterns, city department for city-owned units,
# titles by level).
INDUSTRIES: dict[str, tuple[int, list[str], str | None, dict[str, str]]] = {
    "education": (
        24,
        ["{place}第{n}中学", "{place}第{n}小学", "{place}{n}号幼儿园", "{place}职业学校{n}分校"],
        "city-education",
        {
            "junior": "二级教师",
            "intermediate": "一级教师",
            "associate_senior": "高级教师",
            "senior": "正高级教师",
        },
    ),
    "health": (
        14,
        [
            "{place}第{n}人民医院",
            "{place}{n}社区卫生服务中心",
            "{place}中医院{n}分院",
            "{place}{n}卫生院",
        ],
        "city-health",
        {
            "junior": "医师",
            "intermediate": "主治医师",
            "associate_senior": "副主任医师",
            "senior": "主任医师",
        },
    ),
    "engineering": (
        22,
        [
            "合肥{word}科技有限公司{n}",
            "安徽{word}电子股份有限公司{n}",
            "合肥{word}机械制造有限公司{n}",
        ],
        "city-industry",
        {
            "junior": "助理工程师",
            "intermediate": "工程师",
            "associate_senior": "高级工程师",
            "senior": "正高级工程师",
        },
    ),
    "construction": (
        9,
        ["合肥{word}建设工程有限公司{n}", "{place}{word}建筑设计院{n}"],
        "city-construction",
        {
            "junior": "助理工程师",
            "intermediate": "工程师",
            "associate_senior": "高级工程师",
            "senior": "正高级工程师",
        },
    ),
    "agriculture": (
        5,
        ["{place}农业技术推广中心{n}", "合肥{word}农业科技有限公司{n}"],
        "city-agriculture",
        {
            "junior": "助理农艺师",
            "intermediate": "农艺师",
            "associate_senior": "高级农艺师",
            "senior": "正高级农艺师",
        },
    ),
    "economics": (
        7,
        ["合肥{word}商贸有限公司{n}", "{place}{word}投资管理有限公司{n}"],
        "city-sasac",
        {
            "junior": "助理经济师",
            "intermediate": "经济师",
            "associate_senior": "高级经济师",
            "senior": "正高级经济师",
        },
    ),
    "accounting": (
        6,
        ["安徽{word}会计师事务所{n}", "合肥{word}财务咨询有限公司{n}"],
        "city-finance",
        {
            "junior": "助理会计师",
            "intermediate": "会计师",
            "associate_senior": "高级会计师",
            "senior": "正高级会计师",
        },
    ),
    "culture": (
        3,
        ["{place}文化馆{n}", "合肥{word}文化传媒有限公司{n}"],
        "city-culture",
        {
            "junior": "三级演员",
            "intermediate": "二级演员",
            "associate_senior": "一级演员",
            "senior": "国家一级演员",
        },
    ),
    "journalism": (
        1,
        ["合肥{word}出版社{n}", "{place}融媒体中心{n}"],
        None,
        {
            "junior": "助理编辑",
            "intermediate": "编辑",
            "associate_senior": "副编审",
            "senior": "编审",
        },
    ),
    "law": (
        3,
        ["安徽{word}律师事务所{n}"],
        None,
        {
            "junior": "四级律师",
            "intermediate": "三级律师",
            "associate_senior": "二级律师",
            "senior": "一级律师",
        },
    ),
    "research": (
        4,
        ["合肥{word}研究院{n}", "中科{word}研究所合肥分所{n}"],
        "city-science",
        {
            "junior": "研究实习员",
            "intermediate": "助理研究员",
            "associate_senior": "副研究员",
            "senior": "研究员",
        },
    ),
    "general": (
        2,
        ["合肥{word}服务有限公司{n}"],
        None,
        {
            "junior": "助理工程师",
            "intermediate": "工程师",
            "associate_senior": "高级工程师",
            "senior": "正高级工程师",
        },
    ),
}
WORDS = [
    "长江",
    "巢湖",
    "庐州",
    "包公",
    "天鹅",
    "紫蓬",
    "大蜀山",
    "滨湖",
    "科大",
    "新桥",
    "众信",
    "华安",
    "恒远",
    "鼎盛",
    "瑞丰",
    "江淮",
    "徽商",
    "启明",
    "蓝天",
    "卓越",
]
SURNAMES = [
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "黄",
    "赵",
    "吴",
    "周",
    "徐",
    "孙",
    "马",
    "朱",
    "胡",
    "郭",
    "何",
    "林",
    "高",
    "罗",
    "郑",
    "梁",
    "谢",
    "宋",
    "唐",
    "许",
    "韩",
    "冯",
    "邓",
    "曹",
    "彭",
    "曾",
    "肖",
    "田",
    "董",
    "袁",
    "潘",
    "于",
    "蒋",
    "蔡",
    "余",
    "杜",
    "叶",
    "程",
    "苏",
    "魏",
    "吕",
    "丁",
    "任",
    "沈",
    "姚",
    "卢",
    "姜",
    "崔",
    "钟",
    "谭",
    "陆",
    "汪",
    "范",
    "金",
    "石",
    "廖",
    "贾",
    "夏",
    "韦",
    "方",
]
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀",
    "霞",
    "平",
    "刚",
    "桂",
    "英",
    "华",
    "玉",
    "兰",
    "萍",
    "鹏",
    "辉",
    "婷",
    "雪",
    "琳",
    "晨",
    "宇",
    "浩",
    "欣",
    "怡",
    "子",
    "梓",
    "涵",
    "思",
    "雨",
    "佳",
    "文",
    "博",
    "海",
    "燕",
    "凯",
    "俊",
    "帆",
    "峰",
    "亮",
    "斌",
    "林",
    "红",
    "梅",
    "龙",
    "波",
    "宁",
    "雯",
    "倩",
    "颖",
    "晶",
    "慧",
    "悦",
    "瑶",
    "轩",
]
TITLE_LEVELS = [
    ("junior", 38),
    ("intermediate", 36),
    ("associate_senior", 15),
    ("senior", 5),
    ("", 6),
]
REVIEWER_ORG = "合肥市人力资源和社会保障局"
PROFILES_PER_INDUSTRY = 400


def _weighted(rng: random.Random, pairs: Sequence[tuple[Any, int]]) -> Callable[[], Any]:
    values = [v for v, _ in pairs]
    weights = [w for _, w in pairs]

    def pick() -> Any:
        return rng.choices(values, weights)[0]

    return pick


@dataclass(frozen=True)
class Entry:
    year: int
    kind: str
    params: dict[str, Any]
    title: str
    source: str
    source_label: str


def _year_entries(rng: random.Random, industry: str, year: int, short: bool) -> list[Entry]:
    """One believable year of one person. `short`: a year the person falls behind."""
    entries: list[Entry] = []
    if not short or rng.random() < 0.5:
        topic = f"{year}年度公需科目"
        entries.append(
            Entry(year, "public_course", {"topic": topic}, topic, "public_course", "公需课考试")
        )
    target = rng.randint(20, 55) if short else rng.randint(60, 96)
    got = 0
    while got < target:
        roll = rng.random()
        if roll < 0.62:
            hours = rng.choice([24, 32, 40, 48, 56, 64, 72])
            entries.append(
                Entry(
                    year,
                    "base_training",
                    {"hours": hours},
                    "专业科目培训",
                    "roster",
                    "继续教育基地培训名单",
                )
            )
        elif roll < 0.74:
            hours = rng.choice([12, 16, 20, 24])
            entries.append(
                Entry(year, "organized_training", {"hours": hours}, "行业组织培训", "demo", "申报")
            )
        elif roll < 0.82:
            chars = rng.choice([0, 0, 1500, 3000])
            hours = 5 + (0 if not chars else 3 if chars <= 2000 else 5)
            entries.append(
                Entry(
                    year,
                    "provincial_conference",
                    {"paper_chars": chars},
                    "省级学术会议",
                    "demo",
                    "申报",
                )
            )
        elif roll < 0.88:
            hours = 15 * rng.randint(1, 2)
            entries.append(
                Entry(year, "degree_course", {"courses": hours // 15}, "课程进修", "demo", "申报")
            )
        elif roll < 0.94 and industry == "health":
            credits = rng.randint(3, 8)
            hours = 3 * credits
            entries.append(
                Entry(
                    year, "medical_credit", {"credits": credits}, "医学继续教育学分", "demo", "申报"
                )
            )
        else:
            hours = rng.choice([6, 10, 12])
            entries.append(
                Entry(
                    year,
                    "self_study",
                    {"hours": hours, "subject": "professional"},
                    "自学",
                    "demo",
                    "申报",
                )
            )
            if got + hours >= target:
                break
        got += hours
        # At most one self-study a year keeps the profile free of order effects (the cap).
        if sum(1 for e in entries if e.kind == "self_study") > 1:
            entries.pop()
            got -= hours
    return entries


@dataclass
class Profile:
    industry_id: int
    entries: list[Entry]
    years: list[YearRow]  # PersonYear rows, the profile's number in place of the person


def _profiles(
    rng: random.Random, industries: dict[str, int], years: Sequence[int]
) -> list[Profile]:
    table = rule_table()
    profiles: list[Profile] = []
    for code, industry_id in sorted(industries.items()):
        for index in range(PROFILES_PER_INDUSTRY):
            if index < 4:  # ~1 % of people: no hours at all, in any year
                entries: list[Entry] = []
            else:
                entries = []
                for year in years:
                    entries.extend(_year_entries(rng, code, year, rng.random() < 0.24))
            evaluation = None
            if entries:
                case = rules.Case(
                    person=rules.Person(industry=code),
                    activities=tuple(
                        rules.validate_activity(
                            {**e.params, "kind": e.kind, "year": e.year, "id": str(i)}, table
                        )
                        for i, e in enumerate(entries)
                    ),
                    years=tuple(range(min(years), max(years) + 1)),
                    cycle=None,
                )
                evaluation = rules.evaluate(case, table)
            # The year totals as `person_years_refresh` stores them, with the profile's number
            # where the person goes (copied to each of its people in SQL).
            rows = year_rows(len(profiles), evaluation) if evaluation is not None else []
            profiles.append(Profile(industry_id, entries, rows))
    return profiles


def _copy(table: str, columns: Sequence[str], rows: Iterator[Sequence[Any]]) -> int:
    """COPY rows of plain values (text, int, Decimal, bool, date, datetime, None)."""
    return _copy_lines(table, columns, ("\t".join(_text(v) for v in row) + "\n" for row in rows))


def _copy_lines(
    table: str, columns: Sequence[str], lines: Iterator[str], batch: int = 250_000
) -> int:
    """COPY lines already in COPY's text format, `batch` lines per COPY statement."""
    buffer = io.StringIO()
    count = 0
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"

    def flush() -> None:
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(statement, buffer)
        buffer.seek(0)
        buffer.truncate()

    for line in lines:
        buffer.write(line)
        count += 1
        if count % batch == 0:
            flush()
    flush()
    return count


def _text(value: Any) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


class CityError(Exception):
    pass


def city_build(
    *,
    people: int,
    years: Sequence[int],
    units: int | None = None,
    seed: int = 2021,
    say: Callable[[str], None] = lambda message: None,
) -> dict[str, float]:
    """Builds the city; returns the seconds each step took."""
    if connection.vendor != "postgresql":
        raise CityError("demo_city writes with COPY: point DATABASE_URL at PostgreSQL.")
    if Person.objects.exists():
        raise CityError(
            "The database already has people; demo_city builds a city into one without any "
            "(create a separate database for it)."
        )
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    timings: dict[str, float] = {}
    unit_count = units or max(20, people // 20)
    jurisdictions = dict(Jurisdiction.objects.values_list("code", "id"))
    industries = dict(Industry.objects.values_list("code", "id"))
    missing = (set(DISTRICTS) - set(jurisdictions)) | (set(INDUSTRIES) - set(industries))
    if missing:
        raise CityError(f"Reference data missing: {sorted(missing)}; run migrate first.")

    with transaction.atomic():
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 1")
            cursor.execute("SELECT current_setting('is_superuser') = 'on'")
            superuser = bool(cursor.fetchone()[0])
            if superuser:
                # As pg_restore --disable-triggers: the foreign keys stay (and stay valid) but
                # their triggers do not fire for rows generated consistent by construction,
                # for this transaction only; re-adding them would scan each table once per key.
                cursor.execute("SET LOCAL session_replication_role = replica")
        tables = ["people_person", "credits_ledgerentry", "credits_personyear"]
        with indexes_deferred(tables, foreign_keys=not superuser):
            unit_rows = _units(rng, unit_count, jurisdictions, industries)
            timings["units_s"] = time.perf_counter() - started
            say(f"{len(unit_rows)} units")
            t = time.perf_counter()
            profiles = _profiles(rng, industries, years)
            timings["profiles_s"] = time.perf_counter() - t
            say(f"{len(profiles)} ledger profiles evaluated")
            t = time.perf_counter()
            _people(rng, people, unit_rows, industries, profiles, years)
            timings["people_s"] = time.perf_counter() - t
            say(f"{people} people")
            t = time.perf_counter()
            _ledgers(profiles)
            timings["ledger_s"] = time.perf_counter() - t
            say("ledgers and year totals")
            if superuser:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL session_replication_role = DEFAULT")
            t = time.perf_counter()
        timings["indexes_s"] = time.perf_counter() - t
        say("indexes rebuilt")
    t = time.perf_counter()
    with connection.cursor() as cursor:
        # The ledger (17 entries a person) is only analysed: a VACUUM would read and write all
        # of it again for hint bits and the visibility map, which reads set lazily anyway.
        cursor.execute("ANALYZE credits_ledgerentry")
        for table in ("people_person", "credits_personyear", "people_unit"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    timings["analyze_s"] = time.perf_counter() - t
    t = time.perf_counter()
    # The reports' own rebuild, by its command: the demo imports no other edge app.
    call_command("reports_refresh", stdout=io.StringIO())
    timings["summaries_s"] = time.perf_counter() - t
    with connection.cursor() as cursor:
        for table in ("reports_personyearfact", "reports_compliancegroup"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    timings["total_s"] = time.perf_counter() - started
    return timings


# (id, jurisdiction id, industry code, weight) of each unit written.
UnitRow = tuple[int, int, str, float]


def _units(
    rng: random.Random, count: int, jurisdictions: dict[str, int], industries: dict[str, int]
) -> list[UnitRow]:
    district = _weighted(rng, [(code, w) for code, (w, _a) in DISTRICTS.items()])
    industry = _weighted(rng, [(code, spec[0]) for code, spec in INDUSTRIES.items()])
    place_names = dict(Jurisdiction.objects.values_list("code", "name"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('people_unit', 'id'))")
        first = cursor.fetchone()[0]
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('people_unit', 'id'), %s)", [first + count]
        )
    rows = []
    written: list[UnitRow] = []
    for i in range(count):
        code = industry()
        _share, patterns, department, _titles = INDUSTRIES[code]
        home = district()
        jurisdiction = home
        if department and rng.random() < 0.06:
            jurisdiction = department  # city-owned (市属): its city department verifies
        roll = rng.random()
        affiliation = (
            Unit.Affiliation.PROVINCIAL
            if roll < 0.025
            else Unit.Affiliation.MINISTERIAL
            if roll < 0.03
            else Unit.Affiliation.LOCAL
        )
        name = rng.choice(patterns).format(
            place=place_names[home].removesuffix("区").removesuffix("县"),
            n=i + 1,
            word=rng.choice(WORDS),
        )
        first17 = f"{rng.choice('159')}{rng.choice('123')}{DISTRICTS[home][1]}{i + 1:09d}"
        first17 = first17[:17]
        credit = first17 + creditcode.check_char(first17)
        unit_id = first + i
        rows.append((unit_id, name[:100], credit, jurisdictions[jurisdiction], affiliation, True))
        # Skewed sizes: a few hundred large hospitals and schools, many small firms.
        weight = rng.paretovariate(1.6) * (3 if code in ("health", "education") else 1)
        written.append((unit_id, jurisdictions[jurisdiction], code, weight))
    _copy(
        "people_unit",
        ["id", "name", "credit_code", "jurisdiction_id", "affiliation", "is_active"],
        iter(rows),
    )
    return written


def _people(
    rng: random.Random,
    count: int,
    units: list[UnitRow],
    industries: dict[str, int],
    profiles: list[Profile],
    years: Sequence[int],
) -> None:
    """COPYs the people and who follows which ledger profile (of their own industry).

    The per-person work that has to be Python (the Fernet token and the keyed hash of the ID
    number, as `Person.set_id_number` stores them) is all that is left per row: lines are
    formatted directly (every value is tab-, newline- and backslash-free by construction)."""
    fernet = _fernet()
    keyed = hmac.new(settings.PII_HASH_KEY.encode(), digestmod=hashlib.sha256)
    weights = [u[3] for u in units]
    unit_choices = rng.choices(range(len(units)), weights, k=count)
    by_industry: dict[int, list[int]] = {}
    for index, profile in enumerate(profiles):
        by_industry.setdefault(profile.industry_id, []).append(index)
    codes = list(industries)
    level = _weighted(rng, TITLE_LEVELS)
    seen: set[str] = set()
    now = timezone.now().isoformat()
    address_of = {
        jid: DISTRICTS.get(code, (0, "340104"))[1]
        for code, jid in Jurisdiction.objects.values_list("code", "id")
    }
    start_id = _reserve_ids("people_person", count)
    last_year = max(years)
    first_day = dt.date(1962, 1, 1).toordinal()
    follows: list[str] = []

    def people_lines() -> Iterator[str]:
        random_ = rng.random
        randrange = rng.randrange
        for n in range(count):
            unit_id, jurisdiction_id, unit_industry, _w = units[unit_choices[n]]
            code = unit_industry if random_() < 0.92 else rng.choice(codes)
            while True:
                address = (
                    address_of.get(jurisdiction_id, "340104")
                    if random_() < 0.7
                    else rng.choice(OTHER_ADDRESS_CODES)
                )
                born = dt.date.fromordinal(first_day + randrange(40 * 365))
                number = idnumber.compose(address, born, randrange(1, 1000))
                if number not in seen:
                    seen.add(number)
                    break
            digest = keyed.copy()
            digest.update(number.encode())
            title_level = level()
            if title_level:
                title = INDUSTRIES[code][3].get(title_level, "")
                title_year = str(min(last_year, born.year + 23 + randrange(0, 20)))
            else:
                title, title_year = "", "\\N"
            name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2, 2))))
            industry_id = industries[code]
            person_id = start_id + n
            follows.append(f"{person_id}\t{rng.choice(by_industry[industry_id])}\n")
            yield (
                f"{person_id}\t{name}\t{fernet.encrypt(number.encode()).decode()}\t"
                f"{digest.hexdigest()}\t{idnumber.mask(number)}\t"
                f"{'M' if int(number[16]) % 2 else 'F'}\t{born.isoformat()}\t{unit_id}\t"
                f"{title}\t{title_level}\t{title_year}\t{industry_id}\t\\N\t{now}\t{now}\n"
            )

    _copy_lines(
        "people_person",
        [
            "id",
            "name",
            "id_number_encrypted",
            "id_number_hash",
            "id_number_masked",
            "gender",
            "birth_date",
            "unit_id",
            "title",
            "title_level",
            "title_year",
            "industry_id",
            "transferred_in_year",
            "created_at",
            "updated_at",
        ],
        people_lines(),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE demo_person_profile (person_id bigint PRIMARY KEY, "
            "profile int) ON COMMIT DROP"
        )
    _copy_lines("demo_person_profile", ["person_id", "profile"], iter(follows))


def _reserve_ids(table: str, count: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))")
        first = int(cursor.fetchone()[0])
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)", [first + count]
        )
    return first


def _ledgers(profiles: list[Profile]) -> None:
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE demo_profile_entry (profile int, seq int, year smallint, "
            "kind varchar(30), subject varchar(12), params jsonb, hours numeric(6,1), "
            "title varchar(200), source varchar(20), source_label varchar(200), "
            "occurred_on date, recorded_at timestamptz, PRIMARY KEY (profile, seq)) "
            "ON COMMIT DROP"
        )
        cursor.execute(
            "CREATE TEMPORARY TABLE demo_profile_year (profile int, year smallint, "
            "public numeric(6,1), professional numeric(6,1), total numeric(6,1), "
            "required_public numeric(6,1), required_professional numeric(6,1), exempt bool, "
            "aid_service bool, compliant_before_make_up bool, made_up bool, compliant bool, "
            "shortfall_public numeric(6,1), shortfall_professional numeric(6,1), "
            "refreshed_at timestamptz, PRIMARY KEY (profile, year)) ON COMMIT DROP"
        )
    table = rule_table()

    nominals: dict[str, rules.Nominal] = {}

    def entry_rows() -> Iterator[tuple[Any, ...]]:
        for index, profile in enumerate(profiles):
            for seq, e in enumerate(profile.entries):
                key = json.dumps([e.kind, e.year, e.params], sort_keys=True)
                nominal = nominals.get(key)
                if nominal is None:
                    nominal = nominals[key] = rules.preview_activity(
                        {**e.params, "kind": e.kind, "year": e.year}, table
                    )
                day = dt.date(e.year, 3, 1) + dt.timedelta(days=(seq * 37) % 270)
                recorded = dt.datetime.combine(
                    day + dt.timedelta(days=10), dt.time(10), tzinfo=dt.UTC
                )
                yield (
                    index,
                    seq,
                    e.year,
                    e.kind,
                    str(nominal.subject),
                    json.dumps(e.params, ensure_ascii=False),
                    nominal.hours,
                    e.title,
                    e.source,
                    e.source_label,
                    day,
                    min(recorded, now),
                )

    _copy(
        "demo_profile_entry",
        [
            "profile",
            "seq",
            "year",
            "kind",
            "subject",
            "params",
            "hours",
            "title",
            "source",
            "source_label",
            "occurred_on",
            "recorded_at",
        ],
        entry_rows(),
    )
    _copy(
        "demo_profile_year",
        [
            "profile",
            "year",
            "public",
            "professional",
            "total",
            "required_public",
            "required_professional",
            "exempt",
            "aid_service",
            "compliant_before_make_up",
            "made_up",
            "compliant",
            "shortfall_public",
            "shortfall_professional",
            "refreshed_at",
        ],
        (row for profile in profiles for row in profile.years),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE demo_person_profile")
        cursor.execute("ANALYZE demo_profile_entry")
        cursor.execute("ANALYZE demo_profile_year")
        # People in id order, each one's profile entries from the temporary table's primary key
        # in `seq` order: the ledger comes out in (person, seq) order without sorting millions
        # of wide rows, and its source keys (zero-padded) in index order, so the unique index
        # on them is built from presorted input.
        cursor.execute(
            """
            INSERT INTO credits_ledgerentry (person_id, year, kind, subject, params, hours, note,
                title, source, source_key, source_label, reviewer_name, reviewer_org,
                occurred_on, recorded_at, reason)
            SELECT pp.person_id, e.year, e.kind, e.subject, e.params, e.hours, '', e.title,
                e.source, 'demo:' || lpad(pp.person_id::text, 10, '0') || ':'
                || lpad(e.seq::text, 3, '0'), e.source_label, '审核员',
                %s, e.occurred_on, e.recorded_at, ''
            FROM demo_person_profile pp
            CROSS JOIN LATERAL (SELECT * FROM demo_profile_entry e WHERE e.profile = pp.profile
                ORDER BY e.seq) e
            ORDER BY pp.person_id
            """,
            [REVIEWER_ORG],
        )
        cursor.execute(
            """
            INSERT INTO credits_personyear (person_id, year, public, professional, total,
                required_public, required_professional, exempt, aid_service,
                compliant_before_make_up, made_up, compliant, shortfall_public,
                shortfall_professional, refreshed_at)
            SELECT pp.person_id, y.year, y.public, y.professional, y.total, y.required_public,
                y.required_professional, y.exempt, y.aid_service, y.compliant_before_make_up,
                y.made_up, y.compliant, y.shortfall_public, y.shortfall_professional,
                y.refreshed_at
            FROM demo_person_profile pp
            CROSS JOIN LATERAL (SELECT * FROM demo_profile_year y WHERE y.profile = pp.profile
                ORDER BY y.year) y
            ORDER BY pp.person_id
            """
        )


def parse_years(text: str) -> list[int]:
    first, _, last = text.partition("-")
    start, end = int(first), int(last or first)
    if not 1990 <= start <= end <= 2100:
        raise ValueError(text)
    return list(range(start, end + 1))
