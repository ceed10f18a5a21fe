"""The people import in a browser: upload → preview (masked numbers, names in their one form)
→ register; and a refused file listed the way every upload lists problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from apps.people.models import Person
from tests.browser.conftest import SHOTS, english_leftovers, sign_in, submit, visit
from tests.factories import new_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sheet(tmp_path: Path, rows: list[list[str]], name: str) -> str:
    lines = ["蜀山区专业技术人员名册", "", "姓名,身份证号码,单位", *(",".join(r) for r in rows)]
    path = tmp_path / name
    path.write_bytes("\n".join(lines).encode("gb18030"))
    return str(path)


def test_it_previews_then_registers(browser, demo, tmp_path):
    page = sign_in(browser, demo, "shushan")
    visit(page, f"{demo}/people/import/", "people-import")
    rows = [
        ["阿依古丽 . 买买提", new_id_number("340104"), "蜀山区琥珀小学"],
        ["张 三丰", new_id_number("340104"), "蜀山区琥珀小学"],
    ]
    page.set_input_files("input[type=file]", _sheet(tmp_path, rows, "名册.csv"))
    text = submit(page, "people-import-preview")
    assert "登记前核对导入内容" in text
    assert "阿依古丽·买买提" in text and "张三丰" in text
    assert "340104********" in text and rows[0][1] not in text
    assert not english_leftovers(page)
    assert not Person.objects.filter(name="张三丰").exists()
    page.click("text=确认登记这些人员")
    page.wait_for_load_state()
    page.screenshot(path=str(SHOTS / "people-import-registered.png"), full_page=True)
    assert "已登记 2 名专业技术人员" in page.inner_text("body")
    assert Person.objects.filter(name__in=["张三丰", "阿依古丽·买买提"]).count() == 2


def test_it_lists_the_problems_of_a_refused_file(browser, demo, tmp_path):
    page = sign_in(browser, demo, "shushan")
    visit(page, f"{demo}/people/import/", "people-import-again")
    page.set_input_files("input[type=file]", str(_bad(tmp_path)))
    text = submit(page, "people-import-refused")
    assert "既不是 UTF-8 也不是 GB18030" in text and "整个文件" in text
    assert not english_leftovers(page)


def _bad(tmp_path: Path) -> Path:
    path = tmp_path / "名册.csv"
    path.write_bytes("姓名,身份证号码,单位\n".encode() + b"\x80\xff\xfe\n")
    return path
