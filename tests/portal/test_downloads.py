"""Chinese download names (RFC 5987 ``filename*``) through hefei_cpe.downloads."""

from __future__ import annotations

import re
from urllib.parse import unquote

from hefei_cpe.downloads import content_disposition, download_name


def _filename(header: str) -> str:
    """The name a browser shows: RFC 5987's filename* wins over the ASCII filename."""
    match = re.search(r"filename\*=UTF-8''([^;\s]+)", header)
    assert match is not None
    return unquote(match.group(1), encoding="utf-8")


def test_a_chinese_name_reaches_the_browser_whole():
    header = content_disposition(
        "张明-继续教育电子证书.pdf", fallback="booklet-91.pdf", inline=True
    )
    assert header.startswith("inline; filename=\"booklet-91.pdf\"; filename*=UTF-8''")
    assert "%E5%BC%A0%E6%98%8E" in header  # 张明, percent-encoded UTF-8
    assert _filename(header) == "张明-继续教育电子证书.pdf"


def test_an_attachment_by_default():
    header = content_disposition("名册.xlsx", fallback="roster.xlsx")
    assert header.startswith('attachment; filename="roster.xlsx"')


def test_path_separators_quotes_and_control_characters_never_reach_the_header():
    assert download_name('../a/b"c\r\nd.pdf') == "a-b-c-d.pdf"
    header = content_disposition('合肥"\r\n.pdf', fallback='x"\r\n.pdf')
    assert "\r" not in header and "\n" not in header
    assert _filename(header) == "合肥-.pdf"
