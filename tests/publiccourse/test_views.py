"""The city's pages: topics by year, upload → preview → confirm, the history; officers read."""

from __future__ import annotations

from io import BytesIO
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from apps.credits.models import LedgerEntry
from apps.publiccourse.importing import results_check
from apps.publiccourse.models import ImportBatch, PublicResult, PublicTopic
from apps.publiccourse.services import results_import, topic_create, topic_update
from tests.factories import make_person
from tests.publiccourse.conftest import TOPIC_A, TOPIC_B, row, sheet


def _upload(client, content: bytes, *, name="成绩.xlsx", year=2021, skip_unknown=False):
    data = {"year": year, "file": SimpleUploadedFile(name, content)}
    if skip_unknown:
        data["skip_unknown"] = "on"
    return client.post(reverse("publiccourse:import"), data)


def test_the_city_adds_a_topic(city_client):
    response = city_client.post(
        reverse("publiccourse:topic_create"),
        {"year": 2026, "title": " 《人工智能与新质生产力》 ", "sort_order": ""},
    )
    assert response.status_code == 302
    topic = PublicTopic.objects.get()
    assert (topic.year, topic.title, topic.sort_order) == (2026, "人工智能与新质生产力", 1)
    assert response["Location"].endswith("?year=2026")


def test_it_refuses_the_same_topic_written_differently(city_client, topics):
    response = city_client.post(
        reverse("publiccourse:topic_create"),
        {"year": 2021, "title": "“十四五”大战略与2035远景目标"},
    )
    assert response.status_code == 200
    assert escape(f"2021 年度已有专题《{TOPIC_A}》") in response.content.decode()
    assert PublicTopic.objects.count() == 2


def test_it_refuses_a_bad_year(city_client):
    response = city_client.post(
        reverse("publiccourse:topic_create"), {"year": 1800, "title": "某专题"}
    )
    assert "请填写 1990 至 2100 之间的年份" in response.content.decode()
    assert not PublicTopic.objects.exists()


def test_a_topic_is_renamed_only_before_results_exist(city, city_client, topics, person):
    url = reverse("publiccourse:topic_edit", args=[topics["b"].pk])
    response = city_client.post(url, {"title": "数字经济", "sort_order": 5, "is_active": "on"})
    assert response.status_code == 302
    topics["b"].refresh_from_db()
    assert (topics["b"].title, topics["b"].sort_order) == ("数字经济", 5)
    results_import(officer=city, year=2021, file=BytesIO(sheet([row(person)])), filename="a")
    with pytest.raises(ValidationError):
        topic_update(topic=topics["a"], title="改名", sort_order=1, is_active=True)
    # The form shows the title as fixed; closing the topic is still possible.
    url = reverse("publiccourse:topic_edit", args=[topics["a"].pk])
    response = city_client.get(url)
    assert "该专题已导入考试结果，不能再改名" in response.content.decode()
    response = city_client.post(url, {"title": "改名", "sort_order": 1})
    assert response.status_code == 302
    topics["a"].refresh_from_db()
    assert (topics["a"].title, topics["a"].is_active) == (TOPIC_A, False)


def test_the_topics_list_shows_a_year_with_its_counts(
    city, city_client, topics, person, django_assert_max_num_queries
):
    topic_create(year=2022, title="别的年度")
    results_import(
        officer=city,
        year=2021,
        file=BytesIO(sheet([row(person), row(person, TOPIC_B, "不合格")])),
        filename="a",
    )
    with django_assert_max_num_queries(8):
        response = city_client.get(reverse("publiccourse:topics") + "?year=2021")
    page = response.content.decode()
    assert escape(TOPIC_A) in page and "别的年度" not in page
    assert "2021 年度公需课专题" in page
    assert reverse("publiccourse:topic_create") in page


def test_a_district_officer_reads_the_topics_only(officer_client, topics):
    response = officer_client.get(reverse("publiccourse:topics") + "?year=2021")
    page = response.content.decode()
    assert escape(TOPIC_A) in page
    assert reverse("publiccourse:topic_create") not in page
    assert reverse("publiccourse:import") not in page
    assert officer_client.get(reverse("publiccourse:batches")).status_code == 403


def test_upload_preview_confirm(city_client, topics, person, other_person):
    content = sheet([row(person), row(other_person, TOPIC_B, "不合格")])
    response = _upload(city_client, content)
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("publiccourse:batch", args=[batch.pk])
    page = city_client.get(response["Location"]).content.decode()
    assert "导入前核对" in page and "将登记的新合格（共 30.0 学时）" in page
    # The preview names the people (masked ID number), not only the counts.
    assert "本次导入将写入的结果" in page
    assert person.name in page and person.id_number_masked in page
    assert other_person.name in page and other_person.id_number_masked in page
    assert other_person.reveal_id_number() not in page
    assert not PublicResult.objects.exists()
    response = city_client.post(reverse("publiccourse:batch_confirm", args=[batch.pk]))
    assert response.status_code == 302
    assert LedgerEntry.objects.count() == 1
    page = city_client.get(response["Location"]).content.decode()
    assert "导入完成：新登记合格 1 人次，此前已登记 0 人次。" in page
    assert "本次导入记录的结果" in page and "王五" in page
    # A second click changes nothing.
    response = city_client.post(reverse("publiccourse:batch_confirm", args=[batch.pk]), follow=True)
    assert "该文件已经导入" in response.content.decode()
    assert LedgerEntry.objects.count() == 1


def test_an_upload_with_problems_lists_them_and_keeps_nothing(city_client, topics, person):
    content = sheet([row(person, result="优秀"), row(person, "没有的专题")])
    response = _upload(city_client, content)
    page = response.content.decode()
    assert response.status_code == 200
    assert "发现 2 处问题，未导入任何数据。" in page
    assert "“优秀”不是有效的考试结果" in page and "第 4 行" in page
    assert not ImportBatch.objects.exists()


def test_an_upload_without_a_file_is_refused(city_client, topics):
    response = city_client.post(reverse("publiccourse:import"), {"year": 2021})
    assert response.status_code == 200
    assert "考试结果文件：这个字段是必填项。" in response.content.decode()


def test_the_preview_can_be_discarded(city_client, topics, person):
    _upload(city_client, sheet([row(person)]))
    batch = ImportBatch.objects.get()
    response = city_client.post(reverse("publiccourse:batch_cancel", args=[batch.pk]))
    assert response.status_code == 302
    assert not ImportBatch.objects.exists()


def test_the_history_lists_imports_with_few_queries(
    city, city_client, topics, django_assert_max_num_queries
):
    people = [make_person(name=f"人员{n}") for n in range(6)]
    for start in range(0, 6, 2):
        results_import(
            officer=city,
            year=2021,
            file=BytesIO(sheet([row(p) for p in people[start : start + 2]])),
            filename=f"第{start}批.xlsx",
        )
    with django_assert_max_num_queries(8):
        page = city_client.get(reverse("publiccourse:batches")).content.decode()
    assert page.count("第") >= 3
    batch = ImportBatch.objects.first()
    with django_assert_max_num_queries(10):
        page = city_client.get(reverse("publiccourse:batch", args=[batch.pk])).content.decode()
    assert "人员4" in page


def test_the_template_is_a_valid_import_file(city_client, topics):
    response = city_client.get(reverse("publiccourse:import_template") + "?year=2021")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        "filename*=UTF-8''" + quote("2021年度公需课考试成绩导入模板.xlsx")
    )
    book = load_workbook(BytesIO(response.content))
    assert [c.value for c in book.worksheets[0][1]] == ["身份证号码", "姓名", "专题", "考试结果"]
    assert [r[0] for r in book.worksheets[1].iter_rows(min_row=2, values_only=True)] == [
        TOPIC_A,
        TOPIC_B,
    ]
    check = results_check(year=2021, file=BytesIO(response.content), filename="t.xlsx")
    # The example row is read (its person is not registered, which is the only problem).
    assert [p.column for p in check.problems] == ["身份证号码"]
    assert "未在平台登记" in check.problems[0].message


def test_a_district_officer_counts_their_own_jurisdiction(
    city, officer_client, topics, person, other_person
):
    results_import(
        officer=city,
        year=2021,
        file=BytesIO(sheet([row(person), row(other_person)])),
        filename="a",
    )
    topic = officer_client.get(reverse("publiccourse:topics") + "?year=2021").context["topics"][0]
    assert topic.passed == 1  # 李四 of 蜀山区; 王五 of 包河区 is not counted
