from __future__ import annotations

from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from apps.bases.models import Organiser
from apps.bases.services import bases_load


def test_it_loads_31_bases_from_the_32_rows(db):
    out = StringIO()
    call_command("load_training_bases", stdout=out)
    assert Organiser.objects.count() == 31
    wanbo = Organiser.objects.get(name="合肥皖博职业培训学校")
    assert wanbo.notice_rows == "14、16"
    assert wanbo.phone == "63685609"
    assert "新增 31" in out.getvalue()


def test_it_changes_nothing_when_loaded_twice(db):
    call_command("load_training_bases", stdout=StringIO())
    before = list(Organiser.objects.values())
    out = StringIO()
    call_command("load_training_bases", stdout=out)
    assert list(Organiser.objects.values()) == before
    assert "新增 0，更新 0，未变 31" in out.getvalue()


def test_it_keeps_a_deactivated_base_deactivated_on_reload(db):
    call_command("load_training_bases", stdout=StringIO())
    Organiser.objects.filter(name="合肥学院").update(is_active=False)
    call_command("load_training_bases", stdout=StringIO())
    assert not Organiser.objects.get(name="合肥学院").is_active


def _xlsx(rows, tmp_path):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    path = tmp_path / "附件1.xlsx"
    book.save(path)
    return path


def test_it_reads_a_messy_excel_sheet(db, tmp_path):
    path = _xlsx(
        [
            ["序号", "继续教育基地名称", "联系电话"],
            [1, " 合肥工业学校 ", 62611533.0],  # padded name, phone as a float
            [None, None, None],  # blank line
            [2, "合肥市职工大学", "６４２９６９１６"],  # full-width digits
            [3, "合肥工业学校", None],  # repeated base, no phone
        ],
        tmp_path,
    )
    result = bases_load(path=path)
    assert not result.has_errors()
    assert dict(Organiser.objects.values_list("name", "phone")) == {
        "合肥工业学校": "62611533",
        "合肥市职工大学": "64296916",
    }
    assert Organiser.objects.get(name="合肥工业学校").notice_rows == "1、3"


def test_it_cleans_cells_with_the_one_cleaner_of_every_upload(db, tmp_path):
    """Spaces typed between the characters of a name, a run of spaces, and a phone a CSV wrote
    from Excel's float: the same base, cleaned as every other upload cleans its cells."""
    call_command("load_training_bases", stdout=StringIO())
    path = tmp_path / "附件1.csv"
    path.write_text(
        "序号,继续教育基地名称,联系电话\n1,合肥 工业学校,62611533.0\n2,合肥市职工大学  ,64296916\n",
        encoding="utf-8",
    )
    result = bases_load(path=path)
    assert not result.has_errors()
    assert Organiser.objects.count() == 31
    assert Organiser.objects.get(name="合肥工业学校").phone == "62611533"


def test_it_rejects_a_file_without_the_attachment_1_header(db, tmp_path):
    path = _xlsx([["名称", "电话"], ["合肥学院", "1"]], tmp_path)
    with pytest.raises(CommandError, match="表头缺少列：继续教育基地名称、联系电话"):
        call_command("load_training_bases", str(path), stdout=StringIO())
    assert not Organiser.objects.exists()


def test_it_deactivates_and_reactivates_without_losing_the_base(city_client, base):
    city_client.post(reverse("bases:toggle", args=[base.pk]))
    base.refresh_from_db()
    assert not base.is_active and base.deactivated_at is not None
    city_client.post(reverse("bases:toggle", args=[base.pk]))
    base.refresh_from_db()
    assert base.is_active and base.deactivated_at is None


def test_it_hides_inactive_bases_from_other_roles(trainee_client, city_client, base):
    Organiser.objects.filter(pk=base.pk).update(is_active=False)
    assert base.name not in trainee_client.get(reverse("bases:list")).content.decode()
    assert base.name in city_client.get(reverse("bases:list")).content.decode()


def test_it_never_deletes_a_base_in_the_admin(city_client, base):
    response = city_client.post(
        reverse("admin:bases_organiser_delete", args=[base.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Organiser.objects.filter(pk=base.pk).exists()


def test_it_imports_attachment_1_in_the_admin(city_client):
    from apps.bases.services import ATTACHMENT_1

    before = Organiser.objects.count()  # the personas' own test base
    upload = BytesIO(ATTACHMENT_1.read_bytes())
    upload.name = "attachment1.csv"
    preview = city_client.post(
        reverse("admin:bases_organiser_import"),
        {"import_file": upload, "format": "1", "resource": "0"},  # 0 = xlsx, 1 = csv
    )
    assert preview.status_code == 200
    assert not Organiser.objects.filter(name="合肥学院").exists()  # the preview writes nothing
    confirm = preview.context["confirm_form"].initial
    response = city_client.post(reverse("admin:bases_organiser_process_import"), confirm)
    assert response.status_code == 302
    assert Organiser.objects.count() == before + 31
    assert Organiser.objects.get(name="合肥皖博职业培训学校").notice_rows == "14、16"
