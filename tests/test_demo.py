"""The demo city: `load_demo` builds every app's part and a second run changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"people", "accounts", "bases", "credits", "publiccourse", "verification", "filings"}
    }


@pytest.mark.django_db
def test_it_builds_the_demo_once():
    call_command("load_demo", stdout=StringIO())
    first = _counts()
    assert first["credits.LedgerEntry"] > 1000
    assert first["credits.Claim"] >= 5
    call_command("load_demo", stdout=StringIO())
    assert _counts() == first
