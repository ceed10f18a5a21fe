"""The electronic booklet (apps/portal): the ledger and the verifications issued, as one PDF."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from apps.accounts.models import Role
from apps.portal import views
from apps.verification.models import Verification
from apps.verification.services import verification_issue
from hefei_cpe import signing
from tests.credits.test_views import record
from tests.verification.support import give_ledger


@pytest.fixture(autouse=True)
def _verification_settings(settings):
    settings.PUBLIC_BASE_URL = "https://jxjy.example.cn"


def _issue(officer, person, *, year, start, end):
    # The cycle is derived from the title year (issue 15): set it so that it starts at `start`.
    person.title_year = start - 1
    person.save()
    assert end == year - 1
    return verification_issue(
        officer=officer,
        person=person,
        application_year=year,
        title_applied="一级教师",
        title_level="intermediate",
        base_url="https://jxjy.example.cn",
    )


def test_the_booklet_is_a_pdf(trainee_client, person):
    record(person, 4)
    response = trainee_client.get(reverse("portal:my_booklet"))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="booklet-{person.pk}.pdf"; '
        f"filename*=UTF-8''{quote(person.name + '-继续教育电子证书.pdf')}"
    )
    assert response.content.startswith(b"%PDF-")
    (signature,) = signing.validate_pdf(response.content)
    assert signature.ok and signature.covers_whole_file
    # Tagged PDF/UA-1 (issue 15): a structure tree, marked content, the PDF/UA identifier.
    catalogue = PdfFileReader(io.BytesIO(response.content)).root
    assert "/StructTreeRoot" in catalogue and catalogue["/MarkInfo"]["/Marked"]
    assert b"pdfuaid:part" in catalogue["/Metadata"].data


def test_it_registers_the_verifications_issued_and_not_the_refusals(
    personas, officer_client, person, monkeypatch
):
    give_ledger(person, range(2020, 2026), short={2022: 10})
    officer = personas[Role.DISTRICT_OFFICER]
    refused = _issue(officer, person, year=2025, start=2020, end=2024)
    issued = _issue(officer, person, year=2026, start=2023, end=2025)
    assert refused.status == Verification.Status.REFUSED
    assert issued.status == Verification.Status.VALID
    seen = {}

    def spy(*, ledger, verifications):
        seen["person"], seen["verifications"] = ledger.person, verifications
        return b"%PDF-spy"

    monkeypatch.setattr(views.booklet, "booklet_pdf", spy)
    response = officer_client.get(reverse("portal:person_booklet", args=[person.pk]))
    assert response.content == b"%PDF-spy"
    assert seen == {"person": person, "verifications": [issued]}


def test_an_officer_gets_404_for_a_person_outside_their_jurisdiction(officer_client, other_person):
    url = reverse("portal:person_booklet", args=[other_person.pk])
    assert officer_client.get(url).status_code == 404


def test_the_booklet_keeps_its_addresses_under_the_ledger():
    assert reverse("portal:my_booklet") == "/ledger/booklet.pdf"
    assert reverse("portal:person_booklet", args=[7]) == "/ledger/people/7/booklet.pdf"


def test_the_booklet_pdf_and_the_web_page_list_the_same_verifications(
    personas, trainee_client, person, monkeypatch
):
    """Issue 16: the PDF and 我的学时验证 took their verifications from two different queries and
    disagreed (the page also listed refusals among the registrations). Both use one selector."""
    import re

    give_ledger(person, range(2020, 2026), short={2022: 10})
    officer = personas[Role.DISTRICT_OFFICER]
    refused = _issue(officer, person, year=2025, start=2020, end=2024)
    first = _issue(officer, person, year=2026, start=2023, end=2025)
    assert refused.status == Verification.Status.REFUSED
    seen = {}

    def spy(*, ledger, verifications):
        seen["verifications"] = [v.pk for v in verifications]
        return b"%PDF-spy"

    monkeypatch.setattr(views.booklet, "booklet_pdf", spy)
    trainee_client.get(reverse("portal:my_booklet"))
    page = trainee_client.get(reverse("verification:mine")).content.decode()
    table = page.split('id="booklet-verifications"', 1)[1].split("</table>", 1)[0]
    on_the_page = [int(pk) for pk in re.findall(r'data-verification="(\d+)"', table)]
    assert on_the_page == seen["verifications"] == [first.pk]
    # The refusal is still shown to its professional, with its reasons, outside the booklet's list.
    assert "未予验证的申请" in page and refused.refusal_reasons[0] in page
