"""An industry authority as an organiser, end to end in real Chromium (issue 14): the city
health authority's staff (org-health) file a plan under the 15-day rule, the city acknowledges
it in its queue, and after the training the roster credits a trainee's hours. The city keeps
the list of authorities. Chinese only.

Screenshots land in test-artifacts/screenshots/ (organisers-*.png)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import Workbook

from apps.credits.models import LedgerEntry
from apps.filings.models import Plan
from apps.filings.roster import FORM_TITLE
from apps.people.models import Person
from tests.browser.conftest import SHOTS, english_leftovers, sign_in, submit, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "全市医疗机构抗菌药物合理使用培训"


def _roster(tmp_path: Path, plan: Plan, people: list[Person]) -> str:
    book = Workbook()
    sheet = book.active
    sheet.append([FORM_TITLE])
    sheet.append(["填报单位：市卫生健康委"])
    sheet.append(["培 训 主 题", plan.title])
    sheet.append(
        ["序 号", "姓 名", "单 位", "身 份 证 号 码", "技 术 职 称", "培 训 学 时", "考 试 结 果"]
    )
    for number, person in enumerate(people, start=1):
        sheet.append(
            [
                number,
                person.name,
                person.unit.name,
                person.reveal_id_number(),
                person.title,
                12,
                "合格",
            ]
        )
    path = tmp_path / "附件2-卫健委.xlsx"
    book.save(path)
    return str(path)


def test_an_authority_files_the_city_acknowledges_and_the_roster_credits(browser, demo, tmp_path):
    staff = sign_in(browser, demo, "org-health")
    home = staff.inner_text("body")
    assert "市卫生健康委" in home and "行业主管部门" in home and "卫生健康" in home
    visit(staff, f"{demo}/plans/new/", "organisers-authority-plan-form")
    # The industry is the authority's own: shown, not chosen.
    assert staff.is_disabled("#id_industry")
    assert staff.locator("#id_industry option:checked").inner_text() == "卫生健康"
    today = timezone.localdate()
    staff.fill("#id_title", TITLE)
    staff.select_option("#id_mode", label="集中面授")
    staff.fill("#id_start_date", (today + dt.timedelta(days=14)).isoformat())
    staff.fill("#id_end_date", (today + dt.timedelta(days=14)).isoformat())
    staff.fill("#id_planned_hours", "12")
    staff.fill("#id_place", "合肥市卫生健康委 三楼报告厅")
    earliest = (today + dt.timedelta(days=15)).isoformat()
    assert earliest in submit(staff, "organisers-authority-plan-late")  # the 15-day rule
    assert not english_leftovers(staff)
    staff.fill("#id_start_date", earliest)
    staff.fill("#id_end_date", earliest)
    text = submit(staff, "organisers-authority-plan-filed")
    assert f"计划“{TITLE}”已备案，待市人社局确认。" in text
    plan = Plan.objects.get(title=TITLE, status=Plan.Status.FILED)
    assert plan.organiser.name == "市卫生健康委" and plan.industry.code == "health"

    city = sign_in(browser, demo, "city")
    visit(city, f"{demo}/plans/queue/", "organisers-city-queue")
    assert TITLE in city.inner_text("body") and "市卫生健康委" in city.inner_text("body")
    visit(city, f"{demo}/plans/{plan.pk}/", "organisers-city-plan")
    city.click("text=确认备案")
    city.wait_for_load_state()
    assert "已确认该计划备案" in city.inner_text("body")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACKNOWLEDGED

    # The training takes place: its dates are now behind us, and the roster falls due.
    Plan.objects.filter(pk=plan.pk).update(
        start_date=today - dt.timedelta(days=3), end_date=today - dt.timedelta(days=3)
    )
    visit(staff, f"{demo}/", "organisers-authority-home-todo")
    assert f"“{TITLE}”已于" in staff.inner_text("body")
    staff.click(f"a[href='/plans/{plan.pk}/roster/']")
    staff.wait_for_load_state()
    doctors = list(
        Person.objects.filter(industry__code="health", unit__affiliation="local")
        .select_related("unit")
        .order_by("pk")[:2]
    )
    before = {p.pk: p.ledger_entries.count() for p in doctors}
    staff.set_input_files("input[type=file]", _roster(tmp_path, plan, doctors))
    text = submit(staff, "organisers-authority-roster-preview")
    assert "核对名单后登记" in text and doctors[0].name in text
    assert not english_leftovers(staff)
    text = submit(staff, "organisers-authority-roster-confirmed")
    assert "名单已登记：2 人登记学时" in text

    for person in doctors:
        entry = LedgerEntry.objects.get(
            person=person, source_key=f"plan:{plan.pk}:person:{person.pk}"
        )
        assert entry.hours == Decimal("12.0") and entry.kind == "organized_training"
        assert person.ledger_entries.count() == before[person.pk] + 1
    visit(city, f"{demo}/ledger/people/{doctors[0].pk}/", "organisers-trainee-ledger")
    assert TITLE in city.inner_text("body")


def test_the_city_keeps_the_list_of_authorities(browser, demo):
    city = sign_in(browser, demo, "city")
    visit(city, f"{demo}/organisers/", "organisers-list")
    body = city.inner_text("body")
    assert "行业主管部门" in body and "市卫生健康委" in body and "合肥皖博职业培训学校" in body
    visit(city, f"{demo}/organisers/authorities/new/", "organisers-authority-new")
    city.fill("#id_name", "市文化和旅游局")
    text = submit(city, "organisers-authority-new-missing")
    assert "主管行业" in text and "必填" in text
    city.select_option("#id_industry", label="文化艺术")
    text = submit(city, "organisers-authority-added")
    assert "市文化和旅游局" in text
    assert not english_leftovers(city)


# Login names are Latin by rule (login_name_validator): the only Latin a staff-login page shows.
LOGIN_NAME_WORDS = {"org", "health", "wjw", "wu"}


def test_the_city_opens_a_staff_login_that_the_staff_member_activates(browser, demo):
    """The city opens a login for 市卫生健康委 on its 经办人账号 page; the new staff member
    opens it with the one-time code at the staff activation page and lands on the health
    authority's home page."""
    city = sign_in(browser, demo, "city")
    visit(city, f"{demo}/organisers/", "organisers-list-city")
    city.click("tr:has-text('市卫生健康委') >> text=经办人账号")
    city.wait_for_load_state()
    city.screenshot(path=str(SHOTS / "organisers-staff-logins.png"), full_page=True)
    listing = city.inner_text("#organiser-staff")
    assert "org-health" in listing and "已开通" in listing
    assert english_leftovers(city) <= LOGIN_NAME_WORDS

    city.fill("#id_full_name", "吴新经办")
    city.fill("#id_username", "wjw-wu")
    city.click("#organiser-staff-form button[type=submit]")
    city.wait_for_load_state()
    city.screenshot(path=str(SHOTS / "organisers-staff-code.png"), full_page=True)
    code = city.inner_text("#activation-code").strip()
    assert city.inner_text("#login-name") == "wjw-wu"
    assert english_leftovers(city) <= LOGIN_NAME_WORDS | set(code.split("-"))  # the code is Latin
    city.click("text=返回")
    city.wait_for_load_state()
    assert "待激活" in city.inner_text("tr:has-text('wjw-wu')")

    staff = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    staff.goto(f"{demo}/accounts/login/")
    staff.click("main a[href$='/accounts/activate/']")
    staff.click("text=单位管理员、经办人开通账号")
    staff.wait_for_load_state()
    staff.fill("#id_username", "wjw-wu")
    staff.fill("#id_code", code)
    staff.fill("#id_password1", "Shushan-lake-2026")
    staff.fill("#id_password2", "Shushan-lake-2026")
    staff.screenshot(path=str(SHOTS / "organisers-staff-activation.png"), full_page=True)
    assert not english_leftovers(staff)  # what is typed into a field is not the page's text
    answer = submit(staff, "organisers-staff-activated")
    assert "账号已开通，请用登录名和新密码登录" in answer
    staff.fill("#id_username", "wjw-wu")
    staff.fill("#id_password", "Shushan-lake-2026")
    staff.click("main button[type=submit]")
    staff.wait_for_url(f"{demo}/")
    staff.screenshot(path=str(SHOTS / "organisers-staff-home.png"), full_page=True)
    home = staff.inner_text("main")
    assert "市卫生健康委" in home and "行业主管部门" in home and not english_leftovers(staff)

    visit(city, f"{demo}/organisers/", "organisers-list-city-after")
    city.click("tr:has-text('市卫生健康委') >> text=经办人账号")
    city.wait_for_load_state()
    assert "已开通" in city.inner_text("tr:has-text('wjw-wu')")
