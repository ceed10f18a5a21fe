"""The public check page: no login, masked facts, unguessable codes, rate limited."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import Role
from apps.verification import codes
from apps.verification.models import Verification
from apps.verification.services import (
    verification_confirm,
    verification_issue,
    verification_return,
)
from apps.verification.views import mask_name
from tests.verification.support import give_ledger

URL = reverse("verification:check")


def issue(personas, person, level="intermediate"):
    give_ledger(person, range(2020, 2025))
    return verification_issue(
        officer=personas[Role.DISTRICT_OFFICER],
        person=person,
        application_year=2025,
        title_applied="高级教师",
        title_level=level,
        opinion="经核对，任职周期内各年度学时情况属实。",
        base_url="https://jxjy.example.cn",
    )


def test_it_shows_the_form_without_login(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "验证码" in response.content.decode()


def test_it_confirms_a_genuine_verification_with_masked_facts_only(client, personas, person):
    verification = issue(personas, person)
    response = client.get(URL, {"code": verification.code_display.lower()})
    page = response.content.decode()
    assert response.status_code == 200
    assert "真实有效" in page
    assert "李*" in page and "李四" not in page
    assert person.id_number_masked in page
    assert "450.0" in page
    assert "蜀山区人力资源和社会保障局" in page
    assert verification.unit_name not in page  # nothing more than the issue lists
    assert verification.title_applied in page  # what the PDF says (issue 15)
    assert {"no-store", "private"} <= set(response["Cache-Control"].split(", "))


def test_it_says_a_wrong_code_is_wrong_and_reveals_nothing(client, personas, person):
    verification = issue(personas, person)
    wrong = codes.code_new()
    assert wrong != verification.code
    response = client.get(URL, {"code": wrong})
    page = response.content.decode()
    assert response.status_code == 404
    assert "查无此验证码" in page
    for secret in ("李", person.id_number_masked, "450", "蜀山区"):
        assert secret not in page.split("<main")[1]


def test_it_rejects_a_malformed_code_in_chinese(client):
    response = client.get(URL, {"code": "12345"})
    assert "验证码由 16 位字母和数字组成" in response.content.decode()


def test_it_shows_a_senior_verification_is_not_yet_in_force(client, personas, person):
    verification = issue(personas, person, level="senior")
    page = client.get(URL, {"code": verification.code}).content.decode()
    assert "待市级复核" in page
    verification_confirm(
        verification=verification, officer=personas[Role.CITY_OFFICER], base_url="https://x.cn"
    )
    page = client.get(URL, {"code": verification.code}).content.decode()
    assert "真实有效" in page
    assert "合肥市人力资源和社会保障局" in page


def test_it_shows_a_returned_verification_is_not_valid(client, personas, person):
    verification = issue(personas, person, level="senior")
    verification_return(
        verification=verification, officer=personas[Role.CITY_OFFICER], reason="材料不全"
    )
    page = client.get(URL, {"code": verification.code}).content.decode()
    assert "已被市级复核退回" in page
    assert "材料不全" not in page


def test_it_limits_lookups_per_address(settings, db):
    settings.VERIFICATION_CHECK_LIMIT = 3
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(3):
        assert client.get(URL, {"code": codes.code_new()}).status_code == 404
    response = client.get(URL, {"code": codes.code_new()})
    assert response.status_code == 429
    assert "查询次数过多" in response.content.decode()
    # Another address is not held back, and the bare form stays open.
    assert Client(REMOTE_ADDR="203.0.113.10").get(URL, {"code": "x"}).status_code == 200
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("abcd-efgh-jkmn-pqrs", "ABCDEFGHJKMNPQRS"),
        ("ＡＢＣＤ ＥＦＧＨ ＪＫＭＮ ＰＱＲＳ", "ABCDEFGHJKMNPQRS"),
        ("0O1I-L000-0000-0000", "0011100000000000"),
        ("ABCD-EFGH-JKMN-PQR", None),
        ("ABCD-EFGH-JKMN-PQRU", None),
        ("", None),
    ],
)
def test_it_reads_codes_loosely(typed, stored):
    assert codes.code_normalise(typed) == stored


def test_it_makes_codes_of_80_random_bits():
    made = {codes.code_new() for _ in range(1000)}
    assert len(made) == 1000
    assert all(len(c) == 16 and set(c) <= set(codes.ALPHABET) for c in made)
    assert len(codes.ALPHABET) ** codes.LENGTH == 2**80


@pytest.mark.parametrize(
    ("name", "masked"), [("李四", "李*"), ("张小明", "张**"), ("欧阳修文", "欧阳**"), ("王", "王")]
)
def test_it_masks_names(name, masked):
    assert mask_name(name) == masked


def test_it_never_finds_a_refusal_by_code(client, personas, person):
    give_ledger(person, [2020])
    refused = verification_issue(
        officer=personas[Role.DISTRICT_OFFICER],
        person=person,
        application_year=2025,
        title_applied="一级教师",
        title_level="intermediate",
        opinion="经核对，任职周期内各年度学时情况属实。",
        base_url="https://x.cn",
    )
    assert refused.status == Verification.Status.REFUSED
    assert refused.code is None


def test_the_limit_is_shared_through_redis_when_configured(settings):
    """With REDIS_URL the counter lives in Redis, shared by every worker process."""
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    from django.core.cache import caches

    from hefei_cpe.ratelimit import rate_limit_hit

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    caches["default"].clear()
    try:
        answers = [
            rate_limit_hit(scope="test", key="203.0.113.9", limit=3, window=60) for _ in range(5)
        ]
        assert answers == [True, True, True, False, False]
    finally:
        caches["default"].clear()
