"""Photos taken with a phone are turned upright and scaled down before they are stored; PDFs are
kept as they are; a file that only pretends to be an image is refused in Chinese; a download
carries a Chinese name (issue 16)."""

from __future__ import annotations

import io
from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from apps.credits.claims import claim_submit, evidence_content
from apps.credits.evidence import JPEG_QUALITY, MAX_SIDE, evidence_check
from tests.credits.helpers import pdf, png

pytestmark = pytest.mark.django_db


def _jpeg(size: tuple[int, int], *, orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, "white")
    # A dark band on the left edge, to see where the picture's left went after turning.
    image.paste((0, 0, 0), (0, 0, size[0] // 10, size[1]))
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95, exif=exif.tobytes())
    return buffer.getvalue()


def _upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def _open(content: bytes) -> Image.Image:
    return Image.open(io.BytesIO(content))


def test_a_large_phone_photo_is_scaled_to_2000_px_on_its_long_side():
    original = _jpeg((4032, 3024))
    [checked] = evidence_check([_upload("证书.jpg", original, "image/jpeg")])
    with _open(checked.content) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (MAX_SIDE, 1500)
    assert len(checked.content) < len(original)
    assert checked.content_type == "image/jpeg"


def test_a_photo_taken_sideways_is_turned_upright_by_its_exif_orientation():
    # Orientation 6: the camera was held sideways; the viewer turns the picture 90° clockwise.
    [checked] = evidence_check([_upload("竖拍.jpg", _jpeg((3000, 2000), orientation=6), "")])
    with _open(checked.content) as stored:
        assert stored.size == (1333, MAX_SIDE)
        assert stored.getexif().get(0x0112) is None  # nothing left to turn, no GPS either
        # The dark band on the left of the sensor image is now along the top.
        assert stored.getpixel((stored.width // 2, 5))[0] < 60
        assert stored.getpixel((5, stored.height // 2))[0] > 200


def test_a_small_photo_and_a_pdf_are_kept_byte_for_byte():
    small = _jpeg((1200, 900))
    [photo, paper] = evidence_check([_upload("小图.jpg", small, "image/jpeg"), pdf()])
    assert photo.content == small
    assert paper.content == pdf().read()


def test_a_large_png_stays_a_png():
    [checked] = evidence_check([png("截图.png", size=(2400, 3000))])
    with _open(checked.content) as stored:
        assert stored.format == "PNG" and stored.size == (1600, MAX_SIDE)


def test_the_stored_file_is_the_resized_one(person):
    claim = claim_submit(
        person=person,
        kind="city_award",
        year=2025,
        params={"grade": 2, "rank": 1, "award_no": "HF-2025-009"},
        title="合肥市科学技术进步奖",
        description="",
        files=evidence_check([_upload("获奖证书.jpg", _jpeg((5000, 2500)), "image/jpeg")]),
        attested=True,
    )
    evidence = claim.evidence.get()
    content = evidence_content(evidence=evidence)
    with _open(content) as stored:
        assert stored.size == (MAX_SIDE, 1000)
    assert evidence.size == len(content)
    assert JPEG_QUALITY == 85


def test_a_file_pretending_to_be_an_image_is_refused_in_chinese():
    with pytest.raises(ValidationError) as exc:
        evidence_check([_upload("照片.jpg", b"MZ\x90\x00 not a picture", "image/jpeg")])
    [message] = exc.value.messages
    assert message.startswith("照片.jpg：")
    assert "不是 JPEG 或 PNG 图片" in message


def test_the_evidence_downloads_under_a_chinese_name(trainee_client, person):
    claim = claim_submit(
        person=person,
        kind="city_award",
        year=2025,
        params={"grade": 2, "rank": 1, "award_no": "HF-2025-010"},
        title="合肥市科学技术进步奖",
        description="",
        files=evidence_check([png(), pdf()]),
        attested=True,
    )
    first, second = claim.evidence.order_by("id")
    names = []
    for evidence in (first, second):
        url = reverse("credits:evidence_file", args=[claim.pk, evidence.pk])
        header = trainee_client.get(url)["Content-Disposition"]
        assert header.startswith(f'inline; filename="evidence-{evidence.pk}.')
        names.append(unquote(header.split("filename*=UTF-8''", 1)[1]))
    assert names == [
        f"{person.name}-{claim.receipt_no}-证明材料1.png",
        f"{person.name}-{claim.receipt_no}-证明材料2.pdf",
    ]
    assert claim.receipt_no.startswith("SB")
