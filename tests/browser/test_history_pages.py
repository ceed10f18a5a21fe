"""修改记录 as a district officer sees it: correct a person's title in the form, then read who
changed what, before and after. Screenshots: test-artifacts/screenshots/history-*.png."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in, submit, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_shows_the_change_history_of_a_person_and_a_unit(browser, demo):
    from apps.people.models import Person

    person = Person.objects.filter(unit__jurisdiction__code="shushan").order_by("pk").first()
    assert person is not None
    page = sign_in(browser, demo, "shushan")
    visit(page, f"{demo}/people/{person.pk}/edit/", "history-person-edit")
    page.fill("#id_title", "高级教师（测试）")
    submit(page, "history-person-saved")

    visit(page, f"{demo}/people/{person.pk}/history/", "history-person")
    text = page.inner_text("main")
    assert f"{person.name} 的修改记录" in text
    assert "技术职称" in text and "高级教师（测试）" in text and "修改前" in text
    assert (person.title or "（空）") in text

    page.click("main >> text=返回")
    page.wait_for_load_state()
    assert "/history/" not in page.url

    visit(page, f"{demo}/units/{person.unit_id}/history/", "history-unit")
    assert f"{person.unit.name} 的修改记录" in page.inner_text("main")
