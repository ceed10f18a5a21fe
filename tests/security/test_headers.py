"""No page with personal data may be kept by a browser or a proxy; browser features are off."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from apps.accounts.models import Role
from tests.conftest import client_for
from tests.credits.test_views import claim_of


def _assert_private(response):
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives, response["Cache-Control"]
    assert not directives & {"public"}
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_personal_pages_are_never_stored(personas, person):
    officer = client_for(personas[Role.DISTRICT_OFFICER])
    trainee = client_for(personas[Role.TRAINEE])
    claim = claim_of(person)
    evidence = claim.evidence.get()
    pages = [
        (officer, reverse("people:detail", args=[person.pk])),
        (officer, reverse("people:list")),
        (officer, reverse("credits:person_ledger", args=[person.pk])),
        (officer, reverse("portal:person_booklet", args=[person.pk])),
        (officer, reverse("credits:evidence_file", args=[claim.pk, evidence.pk])),
        (trainee, reverse("home")),
        (trainee, reverse("credits:my_ledger")),
        (trainee, reverse("portal:my_booklet")),
        (trainee, reverse("credits:claim_detail", args=[claim.pk])),
        (trainee, reverse("credits:evidence_file", args=[claim.pk, evidence.pk])),
    ]
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_private(response)


@pytest.mark.parametrize(
    "url",
    [
        "/verifications/check/",
        "/verifications/check/?code=ABCD-EFGH-JKMN",
        "/accounts/login/",
        "/accounts/activate/",
    ],
)
def test_public_pages_are_never_stored(db, url):
    _assert_private(Client().get(url))


def test_errors_are_never_stored_either(officer_client, other_person):
    response = officer_client.get(reverse("people:detail", args=[other_person.pk]))
    assert response.status_code == 404
    _assert_private(response)
