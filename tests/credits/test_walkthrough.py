"""Defects found by the issue 16 walkthrough of the claim pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.credits.models import Claim
from tests.credits.test_views import claim_of

pytestmark = pytest.mark.django_db


def test_the_empty_claim_form_shows_no_required_errors_before_typing(trainee_client):
    page = trainee_client.get(reverse("credits:claim_create", args=["paper"])).content.decode()
    assert "这个字段是必填项" not in page
    # The live preview, asked about the empty form on load, waits instead of complaining.
    url = reverse("credits:claim_preview", args=["paper"])
    answer = trainee_client.post(url, {}).json()
    assert "errors" not in answer and answer["incomplete"]
    assert answer["note"] == "填写完整后显示预计学时。"
    # A wrong value already typed is still named.
    answer = trainee_client.post(url, {"year": 2025, "chars": -5}).json()
    assert answer["errors"] and not any("必填" in e for e in answer["errors"])


def test_withdrawing_a_claim_asks_for_confirmation_first(trainee_client, person):
    claim = claim_of(person)
    detail = trainee_client.get(reverse("credits:claim_detail", args=[claim.pk])).content.decode()
    url = reverse("credits:claim_withdraw", args=[claim.pk])
    assert f'href="{url}"' in detail  # a link to the confirmation, not a one-click form
    page = trainee_client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "确认撤回" in text and "不撤回" in text and 'method="post"' in text
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PENDING  # looking changes nothing
    trainee_client.post(url)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.WITHDRAWN
    # A claim no longer pending is not offered again.
    assert trainee_client.get(url).status_code == 302


def test_someone_elses_claim_has_no_withdraw_page(trainee_client, other_person):
    claim = claim_of(other_person)
    assert trainee_client.get(reverse("credits:claim_withdraw", args=[claim.pk])).status_code == 404


def test_evidence_may_be_photographed_with_the_phone_camera(trainee_client):
    page = trainee_client.get(reverse("credits:claim_create", args=["paper"])).content.decode()
    assert 'accept="image/*,application/pdf"' in page
