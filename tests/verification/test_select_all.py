"""Select-all on the verification list before a zip download (issue 16 part 4): a header checkbox
that a static script (static/js/select-all.js, no inline script: the CSP forbids it) wires to
every row's checkbox of the same form."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from apps.accounts.models import Role
from tests.verification.support import give_ledger
from tests.verification.test_views import issue

pytestmark = pytest.mark.django_db


def test_the_list_has_a_header_checkbox_wired_by_a_static_script(personas, officer_client, person):
    give_ledger(person, range(2020, 2025))
    issue(personas[Role.DISTRICT_OFFICER], person, title_level="intermediate")
    html = officer_client.get(reverse("verification:list")).content.decode()
    form = html.split('action="/verifications/download/"', 1)[1].split("</form>", 1)[0]
    header = form.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert re.search(
        r'<input type="checkbox" data-select-all="verification" aria-label="[^"]+"', header
    )
    assert 'name="verification"' in form.split("<tbody>", 1)[1]
    assert re.search(r'<script src="[^"]*js/select-all\.js" defer></script>', html)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # no inline script anywhere
    script = (Path(settings.BASE_DIR) / "static" / "js" / "select-all.js").read_text()
    assert "data-select-all" in script and "indeterminate" in script
