"""No upload or search answers with anything about a person outside the asker's scope (issue 12,
defect 1): signed in as 蜀山区's officer, a sheet with 包河区's 王五 under a made-up name was
answered "该身份证号码已登记的姓名为 王五，与 赵六 不符"."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.accounts.models import Role
from apps.filings.services import roster_check
from apps.people.importing import people_import_check
from apps.publiccourse.importing import results_check
from apps.publiccourse.services import topic_create
from tests.conftest import client_for
from tests.factories import UnitFactory
from tests.filings.support import TODAY, make_plan, row, xlsx_bytes
from tests.publiccourse.conftest import sheet

ELSEWHERE = "该身份证号码已在别处以其他姓名登记；请与身份证核对，或联系市人社局协助处理。"


def _outsider_facts(person) -> list[str]:
    unit = person.unit
    return [person.name, unit.name, unit.jurisdiction.name]


def _people_sheet(name: str, number: str, unit: str) -> bytes:
    return f"姓名,身份证号码,单位\n{name},{number},{unit}\n".encode()


@pytest.fixture
def own_unit(shushan):
    return UnitFactory(jurisdiction=shushan, name="蜀山区琥珀小学")


def test_the_people_import_does_not_name_a_person_of_another_district(
    personas, own_unit, other_person
):
    client = client_for(personas[Role.DISTRICT_OFFICER])
    content = _people_sheet("赵六", other_person.reveal_id_number(), own_unit.name)
    response = client.post(
        reverse("people:import"), {"file": SimpleUploadedFile("名册.csv", content)}
    )
    page = response.content.decode()
    assert ELSEWHERE in page
    for fact in _outsider_facts(other_person):
        assert fact not in page


def test_the_people_import_names_a_person_of_the_officers_own_district(personas, own_unit, person):
    """Inside the officer's jurisdiction the registered name helps correct the sheet."""
    report = people_import_check(
        officer=personas[Role.DISTRICT_OFFICER],
        data=_people_sheet("赵六", person.reveal_id_number(), own_unit.name),
        filename="名册.csv",
    )
    assert [p.message for p in report.problems] == [
        f"该身份证号码已登记的姓名为 {person.name}，与 赵六 不符。"
    ]


def test_the_people_import_preview_says_nothing_of_where_a_known_person_works(
    personas, own_unit, other_person
):
    officer = personas[Role.DISTRICT_OFFICER]
    report = people_import_check(
        officer=officer,
        data=_people_sheet(other_person.name, other_person.reveal_id_number(), own_unit.name),
        filename="名册.csv",
    )
    assert report.ok and report.unchanged == 1
    page = client_for(officer).get(reverse("people:import_preview", args=[report.upload.pk]))
    text = page.content.decode()
    assert "已在您辖区以外的单位登记" in text
    assert other_person.unit.name not in text and other_person.unit.jurisdiction.name not in text


def test_a_roster_does_not_name_the_registered_person(personas, other_person):
    staff = personas[Role.ORGANISER_STAFF]
    plan = make_plan(staff=staff)
    data = xlsx_bytes([row(1, "赵六", other_person.reveal_id_number(), hours=8)])
    check = roster_check(plan=plan, user=staff, data=data, filename="附件2.xlsx", today=TODAY)
    messages = " ".join(p.message for p in check.problems)
    assert "与该身份证号码已登记的姓名不符" in messages
    for fact in _outsider_facts(other_person):
        assert fact not in messages


def test_the_public_course_check_is_scoped_to_the_asker(personas, other_person):
    topic_create(year=2021, title="数字经济")
    data = sheet([[None, other_person.reveal_id_number(), "赵六", "数字经济", "合格"]])
    district = results_check(
        year=2021, file=BytesIO(data), filename="a.xlsx", officer=personas[Role.DISTRICT_OFFICER]
    )
    assert [p.message for p in district.problems] == [ELSEWHERE]
    city = results_check(
        year=2021, file=BytesIO(data), filename="a.xlsx", officer=personas[Role.CITY_OFFICER]
    )
    assert other_person.name in city.problems[0].message  # the city sees every district


def test_the_people_search_does_not_find_a_person_of_another_district(personas, other_person):
    client = client_for(personas[Role.DISTRICT_OFFICER])
    response = client.post(
        reverse("people:list"), {"q": other_person.reveal_id_number()}, follow=True
    )
    page = response.content.decode()
    assert "您的辖区内没有登记该身份证号码的人员" in page
    for fact in _outsider_facts(other_person):
        assert fact not in page
