"""Hostile and broken files, the same for every upload, built fast (a 1 GB zip bomb in about a
second: one deflated megabyte repeated, as parallel gzip does, instead of deflating a gigabyte).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Sequence
from functools import cache

from openpyxl import Workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET = "xl/worksheets/sheet1.xml"
GIGABYTE = 1024 * 1024 * 1024


@cache
def _template() -> dict[str, bytes]:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    archive = zipfile.ZipFile(buffer)
    return {name: archive.read(name) for name in archive.namelist()}


def _deflated(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def _repeated(chunk: bytes, times: int, head: bytes, tail: bytes) -> tuple[bytes, int, int]:
    """head + chunk * times + tail, raw-deflated without inflating it here: each part is flushed
    with Z_FULL_FLUSH, which resets the compressor, so the chunk's block can be repeated."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    assert block == again  # the compressor starts afresh after a full flush
    last = packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(chunk) * times + len(tail)
    return first + block * times + last, crc, size


def _zip(parts: dict[str, tuple[bytes, int, int]]) -> bytes:
    """A zip of already deflated parts: name -> (deflated, crc, uncompressed size)."""
    out = io.BytesIO()
    directory = []
    for name, (deflated, crc, size) in parts.items():
        offset = out.tell()
        encoded = name.encode()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(deflated),
                size,
                len(encoded),
                0,
            )
        )
        out.write(encoded)
        out.write(deflated)
        directory.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(deflated),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    for entry in directory:
        out.write(entry)
    end = out.tell()
    out.write(
        struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(directory), len(directory), end - start, start, 0
        )
    )
    return out.getvalue()


def workbook_with_sheet(sheet: tuple[bytes, int, int], **other: bytes) -> bytes:
    parts = {}
    for name, data in {**_template(), **other}.items():
        if name != SHEET:
            parts[name] = (_deflated(data), zlib.crc32(data), len(data))
    parts[SHEET] = sheet
    return _zip(parts)


def _plain(xml: bytes) -> tuple[bytes, int, int]:
    return _deflated(xml), zlib.crc32(xml), len(xml)


def _cells(values: Sequence[str]) -> str:
    return "".join(f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in values)


def _head(headings: Sequence[str], *, dimension: str = "") -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN}">'
        f"{dim}<sheetData><row>{_cells(headings)}</row>"
    ).encode()


TAIL = b"</sheetData></worksheet>"


def zip_bomb(headings: Sequence[str]) -> bytes:
    """The headings, then one cell holding a gigabyte of text: about 1 MB on disk."""
    head = _head(headings) + b'<row><c t="inlineStr"><is><t>'
    chunk = b"A" * (1024 * 1024)
    return workbook_with_sheet(
        _repeated(chunk, GIGABYTE // len(chunk), head, b"</t></is></c></row>" + TAIL)
    )


def markup_bomb(headings: Sequence[str]) -> bytes:
    """The headings, then a gigabyte of an element Excel never writes, without a single row."""
    chunk = b"<x/>" * (1024 * 1024 // 4)
    return workbook_with_sheet(
        _repeated(chunk, GIGABYTE // len(chunk), _head(headings) + b"</sheetData>", b"</worksheet>")
    )


def blank_rows_bomb(headings: Sequence[str]) -> bytes:
    """The headings, then a gigabyte of blank rows (about 180 million)."""
    chunk = b"<row/>" * (1024 * 1024 // 6)
    return workbook_with_sheet(_repeated(chunk, GIGABYTE // len(chunk), _head(headings), TAIL))


def many_rows(headings: Sequence[str], row: Sequence[str], count: int, *, declared: bool) -> bytes:
    """The headings, then `count` rows of data (the sheet's <dimension> says so, or not)."""
    dimension = f"A1:{chr(64 + len(headings))}{count + 1}" if declared else ""
    per_chunk = 1000
    assert count % per_chunk == 0
    chunk = f"<row>{_cells(row)}</row>".encode() * per_chunk
    head = _head(headings, dimension=dimension)
    return workbook_with_sheet(_repeated(chunk, count // per_chunk, head, TAIL))


def entity_bomb(headings: Sequence[str]) -> bytes:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'.encode()
            for i in range(1, 10)
        )
        + b"]>"
        + f'<worksheet xmlns="{MAIN}"><sheetData><row>{_cells(headings)}</row>'.encode()
        + b'<row><c t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    return workbook_with_sheet(_plain(laughs))


def corrupt(headings: Sequence[str]) -> bytes:
    whole = workbook_with_sheet(_plain(_head(headings) + TAIL))
    return whole[: len(whole) // 2]


def not_a_spreadsheet() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * 2000


def neither_utf8_nor_gb18030(headings: Sequence[str]) -> bytes:
    # Shift-JIS half-width katakana and a lone 0x80: valid in neither encoding.
    return ",".join(headings).encode("utf-8") + b"\n\x80\xff\xfe\xb1\xb2\n"
