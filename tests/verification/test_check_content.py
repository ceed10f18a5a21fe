"""The public check shows what the PDF says (and as JSON); revoked and replaced verifications
say so; officers are not rate limited; a forged X-Forwarded-For does not lift the limit."""

from __future__ import annotations

import json

from django.test import Client
from django.urls import reverse

from apps.accounts.models import Role
from apps.verification import codes
from apps.verification.services import verification_issue, verification_revoke
from tests.verification.support import give_ledger

URL = reverse("verification:check")
BASE = "https://jxjy.example.cn"


def _issue(personas, person):
    return verification_issue(
        officer=personas[Role.DISTRICT_OFFICER],
        person=person,
        application_year=2025,
        title_applied="一级教师",
        title_level="intermediate",
        opinion="经核对，任职周期内各年度学时情况属实。",
        base_url=BASE,
    )


def test_it_shows_the_content_of_the_verification(personas, person, db):
    give_ledger(person, range(2020, 2025), short={2022: 70})
    verification = _issue(personas, person)
    page = Client().get(URL, {"code": verification.code}).content.decode()
    assert "一级教师" in page and "2020—2024" in page
    assert "现职称取得于 2019 年" in page
    for year in range(2020, 2025):
        assert f"<td>{year}" in page
    assert "100.0" in page  # 2022: 30 public + 70 professional
    assert verification.officer_org in page
    assert "李*" in page and person.id_number_masked in page
    assert "李四" not in page


def test_it_answers_in_json_for_machines(personas, person, db):
    give_ledger(person, range(2020, 2025))
    verification = _issue(personas, person)
    response = Client().get(URL, {"code": verification.code_display, "format": "json"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    facts = json.loads(response.content)["verification"]
    assert facts["valid"] and facts["status"] == "valid"
    assert (facts["cycle"]["start"], facts["cycle"]["end"], facts["cycle"]["title_year"]) == (
        2020,
        2024,
        2019,
    )
    assert [y["year"] for y in facts["years"]] == [2020, 2021, 2022, 2023, 2024]
    assert facts["years"][0] == {
        "year": 2020,
        "public": "30.0",
        "professional": "60.0",
        "total": "90.0",
        "paper_booklet": False,
    }
    assert facts["total_hours"] == "450.0" and facts["name"] == "李*"
    missing = Client().get(URL, {"code": codes.code_new(), "format": "json"})
    assert missing.status_code == 404 and "error" in json.loads(missing.content)
    assert Client().get(URL, {"code": "x", "format": "json"}).status_code == 400


def test_a_revoked_verification_says_so_and_names_its_replacement(personas, person, db):
    give_ledger(person, range(2020, 2025))
    first = _issue(personas, person)
    verification_revoke(
        verification=first, officer=personas[Role.DISTRICT_OFFICER], reason="单位名称有误"
    )
    page = Client().get(URL, {"code": first.code}).content.decode()
    assert "已撤销" in page
    second = _issue(personas, person)
    first.refresh_from_db()
    assert first.replaced_by == second
    page = Client().get(URL, {"code": first.code}).content.decode()
    assert f"已由验证 {second.code_display} 替代" in page
    facts = json.loads(Client().get(URL, {"code": first.code, "format": "json"}).content)
    assert facts["verification"]["replaced_by"] == second.code_display
    assert not facts["verification"]["valid"]


def test_officers_are_not_rate_limited(settings, personas, db):
    from tests.conftest import client_for

    settings.VERIFICATION_CHECK_LIMIT = 2
    officer = client_for(personas[Role.DISTRICT_OFFICER])
    for _ in range(5):
        assert officer.get(URL, {"code": codes.code_new()}).status_code == 404
    trainee = client_for(personas[Role.TRAINEE])
    statuses = [trainee.get(URL, {"code": codes.code_new()}).status_code for _ in range(3)]
    assert statuses == [404, 404, 429]


def test_a_forged_forwarded_header_does_not_reset_the_count(settings, db):
    settings.VERIFICATION_CHECK_LIMIT = 2
    client = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [
        client.get(
            URL, {"code": codes.code_new()}, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}"
        ).status_code
        for i in range(4)
    ]
    assert statuses == [404, 404, 429, 429]


def test_the_header_counts_only_from_a_trusted_proxy(settings, db):
    settings.VERIFICATION_CHECK_LIMIT = 1
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    proxy = Client(REMOTE_ADDR="10.0.0.5")
    # Behind our proxy, each client has its own count…
    assert proxy.get(URL, {"code": "x"}, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200
    assert proxy.get(URL, {"code": "x"}, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200
    # …and a client prepending a forged address to the chain is still counted as itself.
    forged = "192.0.2.77, 198.51.100.1"
    assert proxy.get(URL, {"code": "x"}, HTTP_X_FORWARDED_FOR=forged).status_code == 429
