"""修改记录: edits of people, units, bases and plans keep who, when and before → after, and the
officers who may see the object read it; someone else's id is a 404."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.urls import reverse

from apps.accounts.models import Role
from apps.bases.models import Organiser
from apps.filings.models import Plan
from apps.people import idnumber
from apps.people.models import Industry, Jurisdiction, Person, Unit
from hefei_cpe.history import history_entries
from tests.conftest import client_for
from tests.factories import UnitFactory, make_user, new_id_number
from tests.filings.support import make_plan


def _edit_person(client, person, **changes):
    data = {
        "name": person.name,
        "unit": person.unit_id,
        "industry": person.industry_id,
        "title": person.title,
        "title_level": person.title_level,
        "title_year": person.title_year or "",
        "transferred_in_year": person.transferred_in_year or "",
    }
    data.update(changes)
    response = client.post(reverse("people:edit", args=[person.pk]), data)
    assert response.status_code == 302, response.content.decode()


def test_it_records_who_changed_a_person_and_what(personas, person):
    officer = personas[Role.DISTRICT_OFFICER]
    _edit_person(client_for(officer), person, title="主治医师", title_level="intermediate")

    entries = history_entries(person)
    assert [e.action for e in entries] == ["修改", "创建"]
    change = entries[0]
    assert (change.who, change.login) == (officer.full_name, officer.username)
    assert {(c.label, c.before, c.after) for c in change.changes} == {
        ("技术职称", "（空）", "主治医师"),
        ("职称级别", "（空）", "中级"),
    }


def test_the_person_history_page_lists_the_changes_in_chinese(personas, person, shushan):
    officer = personas[Role.DISTRICT_OFFICER]
    client = client_for(officer)
    other_unit = UnitFactory(jurisdiction=shushan, name="蜀山区第二小学")
    _edit_person(client, person, unit=other_unit.pk, name="李四四")

    page = client.get(reverse("people:history", args=[person.pk])).content.decode()
    assert "李四四 的修改记录" in page
    assert officer.username in page
    for text in ("单位", person.unit.name, "蜀山区第二小学", "姓名", "李四", "修改前", "修改后"):
        assert text in page
    assert (
        reverse("people:history", args=[person.pk])
        in client.get(reverse("people:detail", args=[person.pk])).content.decode()
    )


def test_it_skips_saves_that_change_nothing(personas, person):
    client = client_for(personas[Role.CITY_OFFICER])
    _edit_person(client, person)
    assert [e.action for e in history_entries(person)] == ["创建"]


def test_an_officer_of_another_district_gets_404(db, person, baohe):
    outsider = make_user(Role.DISTRICT_OFFICER, jurisdiction=baohe)
    client = client_for(outsider)
    assert client.get(reverse("people:history", args=[person.pk])).status_code == 404
    assert client.get(reverse("units:history", args=[person.unit_id])).status_code == 404


def test_a_person_registered_in_bulk_keeps_its_state_before_the_first_edit(personas, shushan):
    """The roster and the people import write people in bulk, without history rows; the first
    edit records the stored state first, so it still shows before → after."""
    unit = UnitFactory(jurisdiction=shushan)
    bulk = Person(name="赵六", unit=unit, industry=Industry.objects.get(code="general"))
    bulk.set_id_number(idnumber.parse(new_id_number()))
    Person.objects.bulk_create([bulk])
    bulk = Person.objects.get(name="赵六")
    assert not bulk.history.exists()

    _edit_person(client_for(personas[Role.DISTRICT_OFFICER]), bulk, title="工程师")

    entries = history_entries(bulk)
    assert [e.action for e in entries] == ["修改", "登记（首次修改前的状态）"]
    assert entries[1].who == "系统（批量导入或数据迁移）"
    assert [(c.label, c.before, c.after) for c in entries[0].changes] == [
        ("技术职称", "（空）", "工程师")
    ]


def test_the_history_page_costs_the_same_however_long_the_history(
    personas, person, django_assert_max_num_queries
):
    client = client_for(personas[Role.CITY_OFFICER])
    for n in range(6):
        _edit_person(client, person, title=f"职称{n}", unit=UnitFactory().pk)
    # session, user, person, history rows with their users, the units' names
    with django_assert_max_num_queries(6):
        response = client.get(reverse("people:history", args=[person.pk]))
    assert response.content.decode().count("history-entry") == 7


def test_it_keeps_the_history_of_a_unit(personas, shushan, baohe):
    city = personas[Role.CITY_OFFICER]
    client = client_for(city)
    unit = UnitFactory(jurisdiction=shushan, name="合肥某公司")
    response = client.post(
        reverse("units:edit", args=[unit.pk]),
        {
            "name": "合肥某某公司",
            "credit_code": "",
            "jurisdiction": baohe.pk,
            "affiliation": "local",
        },
    )
    assert response.status_code == 302, response.content.decode()

    page = client.get(reverse("units:history", args=[unit.pk])).content.decode()
    assert "合肥某某公司 的修改记录" in page
    for text in ("蜀山区", "包河区", "合肥某公司", city.username):
        assert text in page
    # The district that lost the unit no longer sees it, nor its history.
    shushan_officer = personas[Role.DISTRICT_OFFICER]
    assert (
        client_for(shushan_officer).get(reverse("units:history", args=[unit.pk])).status_code == 404
    )


def test_it_keeps_who_deactivated_a_base(personas, base):
    city = personas[Role.CITY_OFFICER]
    client = client_for(city)
    client.post(reverse("bases:toggle", args=[base.pk]))

    entries = history_entries(base)
    assert (entries[0].who, entries[0].login) == (city.full_name, city.username)
    assert ("启用", "是", "否") in {(c.label, c.before, c.after) for c in entries[0].changes}
    page = client.get(reverse("bases:history", args=[base.pk])).content.decode()
    assert base.name in page and "修改记录" in page


def test_it_keeps_who_acknowledged_a_plan(personas, base):
    staff = make_user(Role.ORGANISER_STAFF, organiser=base)
    plan = make_plan(staff=staff, status=Plan.Status.FILED)
    city = personas[Role.CITY_OFFICER]
    assert client_for(city).post(reverse("filings:plan_acknowledge", args=[plan.pk])).status_code

    entries = history_entries(plan)
    assert (entries[0].who, entries[0].login) == (city.full_name, city.username)
    labels = {c.label: (c.before, c.after) for c in entries[0].changes}
    assert labels["状态"][1] != labels["状态"][0]
    assert "审核人" in labels or "审核时间" in labels

    page = client_for(staff).get(reverse("filings:plan_history", args=[plan.pk]))
    assert page.status_code == 200 and city.username in page.content.decode()
    other_staff = make_user(
        Role.ORGANISER_STAFF, organiser=Organiser.objects.create(name="别的基地")
    )
    response = client_for(other_staff).get(reverse("filings:plan_history", args=[plan.pk]))
    assert response.status_code == 404


class _AppsAsWritten:
    """The app registry as the history migrations name it: bases 0003 ran before training
    bases became organisers (bases 0004 renames the tables, keeping every row)."""

    RENAMED = {"TrainingBase": "Organiser", "HistoricalTrainingBase": "HistoricalOrganiser"}

    def get_model(self, app_label, name):
        return django_apps.get_model(app_label, self.RENAMED.get(name, name))


@pytest.mark.parametrize(
    ("migration", "models"),
    [
        ("apps.people.migrations.0008_history_initial", [Unit, Person]),
        ("apps.bases.migrations.0003_history_initial", [Organiser]),
        ("apps.filings.migrations.0004_history_initial", [Plan]),
    ],
)
def test_the_data_migration_gives_existing_rows_an_initial_record(migration, models, person, base):
    make_plan(staff=make_user(Role.ORGANISER_STAFF, organiser=base))
    for model in models:
        model.history.all().delete()
    editor = SimpleNamespace(connection=connection, quote_name=connection.ops.quote_name)
    importlib.import_module(migration).initial(_AppsAsWritten(), editor)
    for model in models:
        assert model.objects.exists()
        for obj in model.objects.all():
            (record,) = obj.history.all()
            assert record.history_type == "+" and record.history_change_reason == "initial"
            assert record.history_user is None
    if Person in models:
        assert history_entries(person)[0].action == "启用修改记录时的已有状态"


def test_jurisdictions_are_not_tracked(db):
    assert not hasattr(Jurisdiction, "history")
