"""A small believable Hefei: units in several districts, professionals, the organisers (the 31
bases and some industry authorities), and one login per role. Safe to run twice."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from apps.accounts.models import Role, User
from apps.accounts.services import account_activate, activation_code_issue
from apps.bases.models import Organiser
from apps.demo import (
    DEMO_PASSWORD,
    DEMO_TRAINEE_ID,
    credits,
    filings,
    publiccourse,
    verification,
)
from apps.demo import units as unit_admins
from apps.people import crypto, idnumber
from apps.people.models import Industry, Jurisdiction, Person, Unit
from apps.people.reference import reference_data_load
from apps.people.services import person_create

# (unit, jurisdiction code, industry code, affiliation)
UNITS = [
    ("合肥市第一人民医院", "city-health", "health", "local"),
    ("合肥市第八中学", "city-education", "education", "local"),
    ("蜀山区琥珀小学", "shushan", "education", "local"),
    ("安徽江淮建设工程有限公司", "shushan", "construction", "local"),
    ("蜀山区笔架山街道社区卫生服务中心", "shushan", "health", "local"),
    ("合肥荣事达电子电器有限公司", "gaoxin", "engineering", "local"),
    ("科大讯飞股份有限公司", "gaoxin", "engineering", "local"),
    ("包河区滨湖卓越城幼儿园", "baohe", "education", "local"),
    ("合肥市包河区农业技术推广中心", "baohe", "agriculture", "local"),
    ("瑶海区人民医院", "yaohai", "health", "local"),
    ("庐阳区审计事务所", "luyang", "accounting", "local"),
    ("肥西县农业科学研究所", "feixi", "agriculture", "local"),
    ("长丰县水利建筑安装有限公司", "changfeng", "construction", "local"),
    ("巢湖市第一中学", "chaohu", "education", "local"),
    ("安徽省立医院", "shushan", "health", "provincial"),
]
# The city's industry authorities (行业主管部门) that organise training, as the city officer
# keeps them on the organisers page: (name, industry code, phone).
AUTHORITIES = [
    ("市教育局", "education", "0551-63538800"),
    ("市卫生健康委", "health", "0551-63538600"),
    ("市城乡建设局", "construction", "0551-63538500"),
    ("市农业农村局", "agriculture", "0551-63538400"),
    ("市财政局", "accounting", "0551-63538300"),
]
ADDRESS_CODES = {
    "yaohai": "340102",
    "luyang": "340103",
    "shushan": "340104",
    "baohe": "340111",
    "changfeng": "340121",
    "feidong": "340122",
    "feixi": "340123",
    "lujiang": "340124",
    "chaohu": "340181",
    "gaoxin": "340104",
    "jingkai": "340111",
    "xinzhan": "340102",
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "秀英",
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
    "秀兰",
    "霞",
    "平",
    "刚",
    "桂英",
    "志强",
    "晓燕",
    "海燕",
    "文博",
    "子涵",
    "雨欣",
    "浩然",
    "思远",
    "建国",
    "春梅",
    "国庆",
    "立新",
    "红梅",
    "晨曦",
    "嘉怡",
]
TITLES = {
    "health": [
        ("住院医师", "junior"),
        ("主治医师", "intermediate"),
        ("副主任医师", "associate_senior"),
        ("主任医师", "senior"),
        ("主管护师", "intermediate"),
    ],
    "education": [
        ("二级教师", "junior"),
        ("一级教师", "intermediate"),
        ("高级教师", "associate_senior"),
        ("正高级教师", "senior"),
    ],
    "engineering": [
        ("助理工程师", "junior"),
        ("工程师", "intermediate"),
        ("高级工程师", "associate_senior"),
        ("正高级工程师", "senior"),
    ],
    "construction": [
        ("助理工程师", "junior"),
        ("工程师", "intermediate"),
        ("高级工程师", "associate_senior"),
    ],
    "agriculture": [
        ("助理农艺师", "junior"),
        ("农艺师", "intermediate"),
        ("高级农艺师", "associate_senior"),
    ],
    "accounting": [
        ("助理会计师", "junior"),
        ("会计师", "intermediate"),
        ("高级会计师", "associate_senior"),
    ],
}


class Command(BaseCommand):
    help = (
        "载入演示数据：单位、专业技术人员、组织单位（31 个继续教育基地和若干行业主管部门）"
        "和每个角色一个登录账号（可重复运行）。"
    )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        reference_data_load(Jurisdiction, Industry)
        call_command("load_training_bases", stdout=self.stdout)
        rng = random.Random(2021066)  # noqa: S311 - reproducible demo data, not security
        jurisdictions = {j.code: j for j in Jurisdiction.objects.all()}
        industries = {i.code: i for i in Industry.objects.all()}
        for name, icode, phone in AUTHORITIES:
            Organiser.objects.get_or_create(
                name=name,
                defaults={
                    "kind": Organiser.Kind.INDUSTRY_AUTHORITY,
                    "industry": industries[icode],
                    "phone": phone,
                },
            )
        units = []
        for name, jcode, icode, affiliation in UNITS:
            unit, _ = Unit.objects.get_or_create(
                name=name,
                jurisdiction=jurisdictions[jcode],
                defaults={"affiliation": affiliation},
            )
            units.append((unit, icode))

        created = 0
        sequence = 100
        for unit, icode in units:
            for _ in range(6):
                sequence += 1
                jcode = unit.jurisdiction.code
                address = ADDRESS_CODES.get(jcode, "340100")
                birth = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 33))
                number = idnumber.compose(address, birth, sequence % 1000)
                # Draw every random value before deciding to skip, so a second run sees the
                # same people and creates nobody new.
                title, level = rng.choice(TITLES.get(icode, TITLES["engineering"]))
                facts: dict[str, Any] = {
                    "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
                    "title": title,
                    "title_level": level,
                    "title_year": rng.randrange(max(birth.year + 24, 2008), 2025),
                    "transferred_in_year": rng.choice([None, None, None, None, 2019, 2022]),
                }
                if Person.objects.filter(id_number_hash=crypto.keyed_hash(number)).exists():
                    continue
                person_create(id_number=number, unit=unit, industry=industries[icode], **facts)
                created += 1

        self._staff("city", "市人社局 王管理", Role.CITY_OFFICER)
        district = self._staff(
            "shushan",
            "蜀山区人社局 李审核",
            Role.DISTRICT_OFFICER,
            jurisdiction=jurisdictions["shushan"],
        )
        self._staff(
            "health-dept",
            "市卫健委 赵审核",
            Role.DISTRICT_OFFICER,
            jurisdiction=jurisdictions["city-health"],
        )
        self._staff(
            "base-wanbo",
            "皖博培训学校 陈经办",
            Role.ORGANISER_STAFF,
            organiser=Organiser.objects.get(name="合肥皖博职业培训学校"),
        )
        self._staff(
            "org-health",
            "市卫健委科教处 孙经办",
            Role.ORGANISER_STAFF,
            organiser=Organiser.objects.get(name="市卫生健康委"),
        )
        self._demo_trainee(officer=district, unit=units[2][0], industries=industries)
        # Each app's part of the demo is `apps/demo/<app>.py: load(stdout)`, run in this order
        # (the ledger before what builds on it); each must be idempotent.
        for part in (credits, unit_admins, filings, publiccourse, verification):
            part.load(stdout=self.stdout)
        self.stdout.write(
            f"演示数据已就绪：新增专业技术人员 {created} 人，共 {Person.objects.count()} 人；"
            f"登录密码均为 {DEMO_PASSWORD}。"
        )

    def _staff(self, username: str, full_name: str, role: str, **org: Any) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name, role=role, **org)
            user.set_password(DEMO_PASSWORD)
            user.full_clean()
            user.save()
        return user

    def _demo_trainee(self, *, officer: User, unit: Unit, industries: dict[str, Industry]) -> None:
        person = Person.objects.filter(id_number_hash=crypto.keyed_hash(DEMO_TRAINEE_ID)).first()
        if person is None:
            person = person_create(
                name="张明",
                id_number=DEMO_TRAINEE_ID,
                unit=unit,
                industry=industries["education"],
                title="一级教师",
                title_level="intermediate",
                title_year=2019,
            )
        if not hasattr(person, "account"):
            issued = activation_code_issue(officer=officer, person=person)
            account_activate(id_number=DEMO_TRAINEE_ID, code=issued.code, password=DEMO_PASSWORD)
