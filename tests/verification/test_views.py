"""The officers' pages: start a verification, see it, its PDF, the zip, the city's queue."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Role
from apps.jobs.models import Job
from apps.people.models import Unit
from apps.verification.models import Verification
from apps.verification.services import verification_issue
from tests.conftest import client_for
from tests.factories import UnitFactory, make_person, make_user
from tests.verification.support import give_ledger

PDFTOTEXT = shutil.which("pdftotext")
FORM = {
    "application_year": 2025,
    "title_level": "associate_senior",
    "title_applied": "高级教师",
}


def issue(officer, person, **changes):
    if person.title_year is None:  # the derived cycle of a 2025 application: 2020–2024
        person.title_year = 2019
        person.save()
    data = {**FORM, **changes}
    return verification_issue(
        officer=officer,
        person=person,
        application_year=data["application_year"],
        title_applied=data["title_applied"],
        title_level=data["title_level"],
        base_url="https://jxjy.example.cn",
    )


@pytest.fixture
def outsider(baohe):
    return client_for(make_user(Role.DISTRICT_OFFICER, jurisdiction=baohe))


def test_it_hides_the_person_and_their_verifications_from_another_district(
    personas, person, outsider
):
    give_ledger(person, range(2020, 2025))
    verification = issue(personas[Role.DISTRICT_OFFICER], person)
    start = reverse("verification:start", args=[person.pk])
    assert outsider.get(start).status_code == 404
    assert outsider.get(start, FORM).status_code == 404
    assert outsider.post(start, FORM).status_code == 404
    for name in ("detail", "pdf"):
        url = reverse(f"verification:{name}", args=[verification.pk])
        assert outsider.get(url).status_code == 404
    assert (
        outsider.post(
            reverse("verification:revoke", args=[verification.pk]), {"reason": "x"}
        ).status_code
        == 404
    )
    response = outsider.post(reverse("verification:zip"), {"verification": [verification.pk]})
    assert response.status_code == 302 and response["Location"] == reverse("verification:list")
    assert not Job.objects.exists()
    response = outsider.post(reverse("verification:zip"), {"all": "1"})
    assert not Job.objects.exists()
    assert Verification.objects.count() == 1
    assert person.name not in outsider.get(reverse("verification:list")).content.decode()


def test_it_offers_the_default_cycle_and_shows_the_evaluation(officer_client, person):
    person.title_year = 2019
    person.save()
    give_ledger(person, range(2020, 2025), short={2023: 50})
    url = reverse("verification:start", args=[person.pk])
    page = officer_client.get(url).content.decode()
    this_year = timezone.localdate().year
    assert f'name="application_year" value="{this_year}"' in page
    assert 'name="cycle_start"' not in page  # the cycle is derived, never typed
    assert '<option value="associate_senior" selected>' not in page  # no title level yet
    response = officer_client.get(url, FORM)
    page = response.content.decode()
    assert response.status_code == 200
    assert "2023 年度" in page and "专业科目 10 学时" in page
    assert "登记不予验证" in page
    assert "现职称取得于 2019 年" in page and "2020—2024" in page
    assert not Verification.objects.exists()  # evaluating writes nothing


def test_it_issues_from_the_form_and_redirects_to_the_verification(officer_client, person):
    give_ledger(person, range(2020, 2025))
    response = officer_client.post(reverse("verification:start", args=[person.pk]), FORM)
    verification = Verification.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("verification:detail", args=[verification.pk])
    assert verification.status == Verification.Status.AWAITING_REVIEW
    page = officer_client.get(response["Location"]).content.decode()
    assert verification.code_display in page
    assert "待市级复核" in page


def test_a_posted_cycle_other_than_the_derived_one_issues_nothing(officer_client, person):
    """张明's trick over HTTP: a short 2023 left out by posting a cycle from 2024 is refused
    with the reason, and nothing is written; the derived cycle is then refused for 2023."""
    give_ledger(person, range(2020, 2025), short={2023: 40})
    url = reverse("verification:start", args=[person.pk])
    for posted in ({"cycle_start": 2024, "cycle_end": 2024}, {"cycle_start": "2024"}):
        response = officer_client.post(url, {**FORM, **posted})
        assert response.status_code == 200
        assert "任职周期由现职称取得年度推算" in response.content.decode()
        assert not Verification.objects.exists()
    officer_client.post(url, FORM)
    refused = Verification.objects.get()
    assert refused.status == Verification.Status.REFUSED
    assert (refused.cycle_start, refused.cycle_end) == (2020, 2024)


def test_the_title_year_is_corrected_from_the_page_with_a_reason_and_the_cycle_follows(
    officer_client, person
):
    give_ledger(person, range(2020, 2025), short={2020: 0})
    start = reverse("verification:start", args=[person.pk])
    url = reverse("verification:title_year", args=[person.pk])
    page = officer_client.post(url, {"year": 2020, "reason": ""}, follow=True).content.decode()
    assert "更正原因：这个字段是必填项" in page
    person.refresh_from_db()
    assert person.title_year == 2019 and not person.title_year_changes.exists()
    response = officer_client.post(url, {"year": 2020, "reason": "职称证书落款为 2020 年"})
    assert response.status_code == 302 and response["Location"] == start
    person.refresh_from_db()
    assert person.title_year == 2020
    page = officer_client.get(start, FORM).content.decode()
    assert "现职称取得于 2020 年" in page and "2021—2024" in page  # the empty 2020 left out
    assert "职称证书落款为 2020 年" in page  # the correction is listed with its reason


def test_it_records_a_refusal_from_the_form(officer_client, person):
    give_ledger(person, range(2020, 2025), short={2021: 0})
    officer_client.post(reverse("verification:start", args=[person.pk]), FORM)
    verification = Verification.objects.get()
    assert verification.status == Verification.Status.REFUSED
    page = officer_client.get(
        reverse("verification:detail", args=[verification.pk])
    ).content.decode()
    assert "不予验证的理由" in page and "2021 年度" in page
    assert (
        officer_client.get(reverse("verification:pdf", args=[verification.pk])).status_code == 404
    )


def test_it_rejects_bad_input_in_chinese_and_writes_nothing(officer_client, person):
    response = officer_client.post(
        reverse("verification:start", args=[person.pk]),
        {**FORM, "application_year": 1980, "title_applied": ""},
    )
    page = response.content.decode()
    assert "申报年度应在" in page
    assert "这个字段是必填项" in page
    assert not Verification.objects.exists()


def test_it_refuses_people_of_provincial_units_with_a_message(officer_client, shushan):
    person = make_person(
        unit=UnitFactory(jurisdiction=shushan, affiliation=Unit.Affiliation.PROVINCIAL)
    )
    url = reverse("verification:start", args=[person.pk])
    page = officer_client.get(url).content.decode()
    assert "省、部属单位人员不在本市学时验证范围内" in page
    officer_client.post(url, FORM)
    assert not Verification.objects.exists()


def test_it_serves_the_stored_pdf_as_stored(personas, person, officer_client):
    give_ledger(person, range(2020, 2025))
    verification = issue(personas[Role.DISTRICT_OFFICER], person, title_level="intermediate")
    url = reverse("verification:pdf", args=[verification.pk])
    response = officer_client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response.content == verification.pdf.read()
    # A file altered on disk is not handed out.
    with open(verification.pdf.path, "ab") as handle:
        handle.write(b"%tampered")
    assert officer_client.get(url).status_code == 400


@pytest.mark.skipif(PDFTOTEXT is None, reason="poppler-utils not installed")
def test_it_prints_the_masked_id_the_code_and_the_years_in_chinese(personas, person):
    give_ledger(person, range(2020, 2025))
    verification = issue(personas[Role.DISTRICT_OFFICER], person, title_level="intermediate")
    text = subprocess.run(
        [PDFTOTEXT, "-layout", verification.pdf.path, "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "验证登记" in text
    assert "李四" in text
    assert person.id_number_masked in text
    assert person.reveal_id_number() not in text
    assert verification.code_display in text
    assert "2020 年至 2024 年" in text
    # How the cycle was derived (issue 15: the PDF says it).
    flat = "".join(text.split())
    assert "现职称取得于2019年：任职周期自取得职称的次年起至申报年度的上一年止" in flat
    assert "450" in text
    assert "蜀山区人力资源和社会保障局" in text
    assert "https://jxjy.example.cn/verifications/check/?code=" in text


def test_it_zips_the_ticked_pdfs(
    personas, person, officer_client, shushan, django_capture_on_commit_callbacks
):
    officer = personas[Role.DISTRICT_OFFICER]
    give_ledger(person, range(2020, 2025))
    first = issue(officer, person, title_level="intermediate")
    second_person = make_person(
        unit=UnitFactory(jurisdiction=shushan), name="赵六", title_year=2019
    )
    give_ledger(second_person, range(2020, 2025))
    second = issue(officer, second_person, title_level="intermediate")
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            reverse("verification:zip"), {"verification": [first.pk, second.pk]}
        )
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.status, job.done, job.total, job.owner) == ("done", 2, 2, officer)
    download = officer_client.get(reverse("jobs:download", args=[job.pk]))
    assert download["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
        names = archive.namelist()
        assert len(names) == 2
        assert archive.read(names[0]).startswith(b"%PDF")
    assert officer_client.post(reverse("verification:zip"), {}).status_code == 302


def test_it_zips_everything_the_filter_finds(
    personas, person, officer_client, shushan, django_capture_on_commit_callbacks
):
    """No limit of 200: "zip all" takes every PDF the officer's filter finds, none else."""
    officer = personas[Role.DISTRICT_OFFICER]
    give_ledger(person, range(2020, 2025))
    first = issue(officer, person, title_level="intermediate")
    other = make_person(unit=UnitFactory(jurisdiction=shushan), name="赵六", title_year=2019)
    give_ledger(other, range(2020, 2025))
    issue(officer, other, title_level="intermediate", application_year=2026)
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(reverse("verification:zip"), {"all": "1", "year": "2025"})
    job = Job.objects.get()
    assert job.params == {"ids": [first.pk]}
    assert job.status == "done"
    with job.result_file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        assert archive.namelist() == [f"2025-{person.name}-{first.code_display}.pdf"]


def test_it_stops_the_batch_when_a_stored_pdf_was_altered(
    personas, person, officer_client, django_capture_on_commit_callbacks
):
    officer = personas[Role.DISTRICT_OFFICER]
    give_ledger(person, range(2020, 2025))
    verification = issue(officer, person, title_level="intermediate")
    with open(verification.pdf.path, "ab") as handle:
        handle.write(b"tampered")
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(reverse("verification:zip"), {"verification": [verification.pk]})
    job = Job.objects.get()
    assert job.status == "failed"
    assert verification.code_display in job.error and "不符" in job.error
    assert not job.result_file


def test_it_lists_with_a_constant_number_of_queries(
    personas, person, officer_client, django_assert_max_num_queries, shushan
):
    officer = personas[Role.DISTRICT_OFFICER]
    for i in range(4):
        someone = make_person(
            unit=UnitFactory(jurisdiction=shushan), name=f"甲{i}", title_year=2019
        )
        give_ledger(someone, [2020], short={2020: 0})
        issue(officer, someone, application_year=2021)
    with django_assert_max_num_queries(8):
        response = officer_client.get(reverse("verification:list"))
    assert response.content.decode().count("不予验证") >= 4


def test_it_queues_senior_verifications_for_the_city(personas, person, city_client):
    give_ledger(person, range(2020, 2025))
    verification = issue(personas[Role.DISTRICT_OFFICER], person)
    queue = city_client.get(reverse("verification:review_queue")).content.decode()
    assert person.name in queue
    response = city_client.post(reverse("verification:return", args=[verification.pk]), {})
    verification.refresh_from_db()
    assert verification.status == Verification.Status.AWAITING_REVIEW
    assert response.status_code == 302
    city_client.post(reverse("verification:confirm", args=[verification.pk]))
    verification.refresh_from_db()
    assert verification.status == Verification.Status.VALID
    assert verification.reviewed_pdf
    pdf = city_client.get(reverse("verification:pdf", args=[verification.pk]))
    assert pdf.content == verification.reviewed_pdf.read()
    original = city_client.get(reverse("verification:pdf", args=[verification.pk]), {"original": 1})
    assert original.content == verification.pdf.read()
    assert person.name not in city_client.get(reverse("verification:review_queue")).content.decode()


def test_it_links_the_person_page_to_a_verification(officer_client, person):
    page = officer_client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert reverse("verification:start", args=[person.pk]) in page


def test_it_shows_a_professional_their_own_verifications_only(
    personas, person, trainee_client, other_person, baohe
):
    give_ledger(person, range(2020, 2025))
    own = issue(personas[Role.DISTRICT_OFFICER], person, title_level="intermediate")
    give_ledger(other_person, range(2020, 2025))
    theirs = issue(
        make_user(Role.DISTRICT_OFFICER, jurisdiction=baohe),
        other_person,
        title_level="intermediate",
    )
    page = trainee_client.get(reverse("verification:mine")).content.decode()
    assert own.title_applied in page and "有效" in page
    assert trainee_client.get(reverse("verification:pdf", args=[own.pk])).content == own.pdf.read()
    assert trainee_client.get(reverse("verification:pdf", args=[theirs.pk])).status_code == 404
    assert trainee_client.get(reverse("verification:detail", args=[own.pk])).status_code == 403


def test_the_start_page_shows_a_standing_verification_instead_of_the_issue_button(personas, person):
    from tests.conftest import client_for
    from tests.verification.support import give_ledger

    officer = personas["district_officer"]
    give_ledger(person, range(2020, 2025))
    from apps.verification.services import verification_issue

    standing = verification_issue(
        officer=officer,
        person=person,
        application_year=2025,
        title_applied="一级教师",
        title_level="intermediate",
        base_url="https://x.cn",
    )
    url = reverse("verification:start", args=[person.pk])
    query = {
        "application_year": 2025,
        "title_applied": "一级教师",
        "title_level": "intermediate",
    }
    page = client_for(officer).get(url, query).content.decode()
    assert standing.code in page and "出具验证" not in page
