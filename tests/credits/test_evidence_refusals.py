"""A refused evidence file is refused for its real cause: a huge image is too large, not damaged."""

from __future__ import annotations

import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.credits.evidence import evidence_check


def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares these dimensions (its pixel data is not needed to judge them)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _messages(content: bytes, name: str) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        evidence_check([SimpleUploadedFile(name, content, content_type="image/png")])
    return exc.value.messages


def test_a_huge_image_is_refused_as_too_large():
    [message] = _messages(_png_header(9000, 9000), "扫描件.png")
    assert message.startswith("扫描件.png：图片过大（9000 × 9000 像素")
    assert "已损坏" not in message


def test_an_image_beyond_pillows_own_limit_is_too_large_too():
    [message] = _messages(_png_header(30000, 30000), "巨图.png")
    assert "图片过大" in message and "已损坏" not in message


def test_a_truncated_image_is_still_damaged():
    [message] = _messages(_png_header(100, 100)[:40], "半张.png")
    assert "已损坏" in message
