"""Names pass every upload the same way: a person registered by the people import with an inner
space (张 三) or the middle dot of a minority name (阿依古丽·买买提, typed as "·", "." or "•")
is matched by a later roster and by the public-course results, however the name is typed there.
Before the one cleaner, the roster stripped the inner space the people import kept, and its
exact name check refused 张 三 on every roster."""

from __future__ import annotations

from io import BytesIO

import pytest

from apps.accounts.models import Role
from apps.filings.models import RosterRow
from apps.filings.services import roster_import
from apps.people.importing import people_import
from apps.people.models import Person
from apps.publiccourse.services import results_import, topic_create
from tests.factories import UnitFactory, make_person, new_id_number
from tests.filings.support import TODAY, make_plan, row, xlsx_bytes
from tests.publiccourse.conftest import sheet

TOPIC = "数字经济与数字化转型"


@pytest.fixture
def registered(personas, shushan):
    """Two people registered by the people import, as a district clerk typed them."""
    UnitFactory(jurisdiction=shushan, name="蜀山区琥珀小学")
    zhang, ayi = new_id_number(), new_id_number()
    content = (
        "姓名,身份证号码,单位\n"
        f"张 三,{zhang},蜀山区琥珀小学\n"
        f"阿依古丽 . 买买提,{ayi},蜀山区琥珀小学\n"
    ).encode("gb18030")
    report = people_import(
        officer=personas[Role.DISTRICT_OFFICER], file=BytesIO(content), filename="名册.csv"
    )
    assert report.ok and report.created == 2, report.problems
    return {"zhang": zhang, "ayi": ayi}


def test_the_people_import_stores_one_form_of_each_name(registered):
    names = set(Person.objects.filter(unit__name="蜀山区琥珀小学").values_list("name", flat=True))
    assert names == {"张三", "阿依古丽·买买提"}


@pytest.mark.parametrize(
    ("zhang", "ayi"),
    [("张三", "阿依古丽·买买提"), ("张 三", "阿依古丽.买买提"), ("张　三", "阿依古丽•买买提")],
    ids=["as-stored", "space-and-full-stop", "ideographic-space-and-bullet"],
)
def test_a_roster_matches_them(registered, personas, zhang, ayi):
    staff = personas[Role.ORGANISER_STAFF]
    plan = make_plan(staff=staff)
    data = xlsx_bytes(
        [row(1, zhang, registered["zhang"], hours=8), row(2, ayi, registered["ayi"], hours=8)]
    )
    check, result = roster_import(
        plan=plan, user=staff, data=data, filename="附件2.xlsx", today=TODAY
    )
    assert check.ok, check.problems
    assert check.new_people == 0  # both are the people already registered
    assert result is not None and result.credited == 2
    assert RosterRow.objects.filter(plan=plan).count() == 2


@pytest.mark.parametrize(
    ("zhang", "ayi"),
    [("张 三", "阿依古丽．买买提"), ("张三", "阿依古丽 · 买买提")],
    ids=["space-and-full-width-stop", "spaced-dot"],
)
def test_the_public_course_matches_them(registered, personas, zhang, ayi):
    topic_create(year=2021, title=TOPIC)
    rows = [
        [None, registered["zhang"], zhang, TOPIC, "合格"],
        [None, registered["ayi"], ayi, TOPIC, "合格"],
    ]
    check, batch = results_import(
        officer=personas[Role.CITY_OFFICER], year=2021, file=BytesIO(sheet(rows)), filename="a.xlsx"
    )
    assert check.ok, check.problems
    assert batch is not None and batch.passes_credited == 2


def test_a_name_stored_before_the_cleaner_still_matches(personas):
    """People registered with an inner space before this change are matched too."""
    number = new_id_number()
    legacy = make_person(name="张三", id_number=number)
    Person.objects.filter(pk=legacy.pk).update(name="张 三")
    staff = personas[Role.ORGANISER_STAFF]
    plan = make_plan(staff=staff)
    data = xlsx_bytes([row(1, "张三", number, hours=8)])
    check, result = roster_import(
        plan=plan, user=staff, data=data, filename="附件2.xlsx", today=TODAY
    )
    assert check.ok and result is not None and result.credited == 1


def test_a_different_name_is_still_refused(registered, personas):
    staff = personas[Role.ORGANISER_STAFF]
    plan = make_plan(staff=staff)
    data = xlsx_bytes([row(1, "张四", registered["zhang"], hours=8)])
    check, result = roster_import(
        plan=plan, user=staff, data=data, filename="附件2.xlsx", today=TODAY
    )
    assert result is None and [(p.row, p.column) for p in check.problems] == [(6, "姓名")]


def test_the_person_form_stores_names_the_same_way(officer_client, shushan):
    from django.urls import reverse

    from apps.people.models import Industry

    unit = UnitFactory(jurisdiction=shushan)
    response = officer_client.post(
        reverse("people:create"),
        {
            "name": " 阿依古丽 • 买买提 ",
            "id_number": new_id_number(),
            "unit": unit.pk,
            "industry": Industry.objects.get(code="general").pk,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Person.objects.filter(unit=unit).get().name == "阿依古丽·买买提"


def test_people_first_registered_by_a_roster_are_matched_by_the_other_uploads(personas):
    """The other way round: a roster registers them (as the base typed the names), the people
    import and the public course then match them however their clerks type the names."""
    from apps.people.models import Unit

    staff = personas[Role.ORGANISER_STAFF]
    plan = make_plan(staff=staff)
    zhang, ayi = new_id_number(), new_id_number()
    data = xlsx_bytes([row(1, "张 三", zhang, hours=8), row(2, "阿依古丽•买买提", ayi, hours=8)])
    check, result = roster_import(
        plan=plan, user=staff, data=data, filename="附件2.xlsx", today=TODAY
    )
    assert check.ok and result is not None and check.new_people == 2, check.problems
    stored = set(Person.objects.values_list("name", flat=True))
    assert {"张三", "阿依古丽·买买提"} <= stored
    unit = Unit.objects.get(people__name="张三").name
    content = f"姓名,身份证号码,单位\n张　三,{zhang},{unit}\n阿依古丽.买买提,{ayi},{unit}\n"
    report = people_import(
        officer=personas[Role.CITY_OFFICER], file=BytesIO(content.encode()), filename="a.csv"
    )
    assert report.ok and report.created == 0 and report.unchanged == 2, report.problems
    topic_create(year=2021, title=TOPIC)
    rows = [[None, zhang, "张 三", TOPIC, "合格"], [None, ayi, "阿依古丽 · 买买提", TOPIC, "合格"]]
    check, batch = results_import(
        officer=personas[Role.CITY_OFFICER], year=2021, file=BytesIO(sheet(rows)), filename="a.xlsx"
    )
    assert check.ok, check.problems
    assert batch is not None and batch.passes_credited == 2
