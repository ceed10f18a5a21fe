"""The compact CJK faces of the PDFs (hefei_cpe/pdf_fonts.py): built once per machine, embedded
instead of the full Noto collections, and a character they lack still drawn from the full font."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from hefei_cpe import pdf, pdf_fonts

PDFFONTS = shutil.which("pdffonts")
PDFTOTEXT = shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(not (PDFFONTS and PDFTOTEXT), reason="poppler-utils missing")
needs_noto = pytest.mark.skipif(
    pdf_fonts._find("NotoSerifCJK-Regular.ttc") is None, reason="fonts-noto-cjk missing"
)


def test_the_character_set_is_gb2312_with_latin_and_punctuation():
    points = set(pdf_fonts.charset())
    hanzi = [p for p in points if 0x4E00 <= p <= 0x9FFF]
    assert len(hanzi) == 6763  # GB 2312 level 1 and 2
    for text in "合肥市人力资源和社会保障局验证登记ABCabc0123，。（）—·":
        assert ord(text) in points
    assert ord("堃") not in points  # GBK only: drawn from the full font


@needs_noto
def test_the_copies_are_built_once_and_reused(tmp_path):
    css = pdf_fonts.font_faces_css(tmp_path)
    built = sorted(tmp_path.glob("*.otf"))
    assert [p.name.split("-")[0] for p in built] == ["HefeiSans", "HefeiSans", "HefeiSerif"]
    assert css.count("@font-face") == 3 and '"Hefei Serif"' in css and "font-weight: bold" in css
    stamps = [p.stat().st_mtime_ns for p in built]
    assert pdf_fonts.font_faces_css(tmp_path) == css
    assert [p.stat().st_mtime_ns for p in sorted(tmp_path.glob("*.otf"))] == stamps
    assert not list(tmp_path.glob("*.part"))


def test_a_missing_source_font_leaves_the_full_family(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_fonts, "FONT_DIRS", (tmp_path / "none",))
    assert pdf_fonts.font_faces_css(tmp_path) == ""
    assert not list(tmp_path.glob("*.otf"))


@needs_noto
@needs_poppler
def test_a_pdf_embeds_the_compact_faces_and_falls_back_for_rare_characters(tmp_path):
    target = tmp_path / "fonts.pdf"
    target.write_bytes(pdf.html_to_pdf('<p>合肥 李堃</p><p class="sans">学时 <b>验证</b></p>'))
    fonts = subprocess.run([PDFFONTS, str(target)], capture_output=True, text=True, check=True)
    assert "Hefei-Serif" in fonts.stdout and "Hefei-Sans" in fonts.stdout
    # 堃 is not in GB 2312: it comes from the full Noto Serif CJK SC.
    assert "Noto-Serif-CJK-SC" in fonts.stdout
    text = subprocess.run(
        [PDFTOTEXT, str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "合肥 李堃" in text and "学时 验证" in text
