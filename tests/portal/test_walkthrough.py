"""Defects found by the issue 16 walkthrough of every role's pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def _title(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    assert match is not None
    return match.group(1)


def test_the_person_page_title_holds_no_html(officer_client, person):
    html = officer_client.get(reverse("people:detail", args=[person.pk])).content.decode()
    title = _title(html)
    assert "<" not in title and "card" not in title
    assert title.startswith("李四")


def _header_cells(html: str) -> list[str]:
    head = re.search(r"<thead>(.*?)</thead>", html, re.S)
    assert head is not None
    return re.findall(r"<th[^>]*>(.*?)</th>", head.group(1))


def test_the_bases_list_heads_the_name_column_as_the_bases_name(city_client, base):
    cells = _header_cells(city_client.get("/organisers/").content.decode())
    assert "基地名称" in cells and "姓名" not in cells


def test_the_units_list_heads_the_name_column_as_the_units_name(officer_client, shushan):
    UnitFactory(jurisdiction=shushan)
    cells = _header_cells(officer_client.get("/units/").content.decode())
    assert "单位名称" in cells and "姓名" not in cells


def test_the_password_page_says_nin_not_ni(trainee_client):
    url = reverse("accounts:password_change")
    answer = trainee_client.post(
        url, {"old_password": "wrong", "new_password1": "12345678", "new_password2": "12345678"}
    ).content.decode()
    assert "您的旧密码不正确" in answer
    assert "你" not in answer
    assert "你" not in trainee_client.get(url).content.decode()


def test_every_page_links_the_favicon(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert re.search(r'<link rel="icon" href="[^"]*favicon\.svg"', html)
    assert (Path(settings.BASE_DIR) / "static" / "favicon.svg").read_text().startswith("<svg")


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")


def test_the_demo_qr_codes_follow_the_port(monkeypatch, settings):
    from apps.demo.verification import demo_base_url

    settings.PUBLIC_BASE_URL = ""
    monkeypatch.setenv("PORT", "8080")
    assert demo_base_url() == "http://127.0.0.1:8080"
    monkeypatch.delenv("PORT")
    assert demo_base_url() == "http://127.0.0.1:8000"
    settings.PUBLIC_BASE_URL = "https://jxjy.hefei.gov.cn"
    assert demo_base_url() == "https://jxjy.hefei.gov.cn"
