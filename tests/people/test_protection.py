"""ID numbers: encrypted at rest, found by keyed hash, shown masked, every opening logged."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from apps.accounts.models import Role
from apps.people.models import IdNumberAccess, Person
from apps.people.selectors import people_search, people_visible_to
from apps.people.services import person_reveal_id_number
from tests.factories import make_person

NUMBER = "340104198703152314"


@pytest.fixture
def stored(db, shushan):
    from tests.factories import UnitFactory

    return make_person(
        id_number="３４０１０４１９８７０３１５２３１４", unit=UnitFactory(jurisdiction=shushan)
    )


def test_it_never_writes_the_number_in_clear(stored):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_person WHERE id = %s", [stored.pk])
        row = " ".join(str(value) for value in cursor.fetchone())
    assert NUMBER not in row
    assert NUMBER[6:14] + NUMBER[14:] not in row
    assert stored.id_number_masked == "340104********2314"


def test_it_decrypts_the_stored_number(stored):
    assert Person.objects.get(pk=stored.pk).reveal_id_number() == NUMBER


def test_it_derives_gender_and_birth_date(stored):
    assert stored.gender == "M"
    assert str(stored.birth_date) == "1987-03-15"


def test_it_finds_a_person_by_any_spelling_of_the_number(stored):
    people = Person.objects.all()
    assert list(people_search(people=people, query=" 340104198703152314 ")) == [stored]
    assert list(people_search(people=people, query="张三")) == [stored]
    assert list(people_search(people=people, query="340104")) == []  # no partial-number search


def test_it_reads_numbers_written_with_a_rotated_out_key(stored, settings):
    new_key = Fernet.generate_key().decode()
    settings.PII_ENCRYPTION_KEYS = [new_key, *settings.PII_ENCRYPTION_KEYS]
    assert Person.objects.get(pk=stored.pk).reveal_id_number() == NUMBER


def test_it_logs_every_opening(stored, personas):
    officer = personas[Role.DISTRICT_OFFICER]
    assert person_reveal_id_number(officer=officer, person=stored, ip_address="10.0.0.8") == NUMBER
    entry = IdNumberAccess.objects.get()
    assert (entry.officer, entry.person, entry.ip_address) == (officer, stored, "10.0.0.8")


def test_it_refuses_opening_outside_the_jurisdiction(other_person, personas):
    with pytest.raises(PermissionError):
        person_reveal_id_number(
            officer=personas[Role.DISTRICT_OFFICER], person=other_person, ip_address=None
        )
    assert not IdNumberAccess.objects.exists()


def test_it_refuses_opening_to_non_officers(stored, personas):
    with pytest.raises(PermissionError):
        person_reveal_id_number(officer=personas[Role.TRAINEE], person=stored, ip_address=None)


def test_it_scopes_people_by_role(personas, person, other_person):
    assert set(people_visible_to(user=personas[Role.CITY_OFFICER])) >= {person, other_person}
    assert list(people_visible_to(user=personas[Role.DISTRICT_OFFICER])) == [person]
    assert list(people_visible_to(user=personas[Role.TRAINEE])) == [person]
    assert list(people_visible_to(user=personas[Role.ORGANISER_STAFF])) == []
