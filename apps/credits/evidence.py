"""Evidence files of a claim: PDF, JPEG or PNG, recognised by their content (never by the name
or the browser's word), size-limited, and checked to be whole.

A photo straight from a phone's camera is 4000 px or more on its long side and several MB; it
is turned upright by its EXIF orientation and scaled down to `MAX_SIDE` (still legible for a
certificate) before it is encrypted and stored. PDFs are kept byte for byte."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 60_000_000  # a scanned A4 page at 600 dpi is about 35 million

MAX_SIDE = 2000  # the long side of a stored photo, in pixels: a certificate stays legible
JPEG_QUALITY = 85
_EXIF_ORIENTATION = 0x0112

EVIDENCE_SUFFIXES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}

_SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
]


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content: bytes
    content_type: str
    sha256: str


def _kind(head: bytes) -> str | None:
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def _problem(content: bytes, content_type: str, name: str) -> str | None:
    """Why the file cannot be kept, naming the real cause; None when it is whole."""
    damaged = _("%(name)s: the file is damaged or incomplete.") % {"name": name}
    if content_type == "application/pdf":
        return None if b"%%EOF" in content[-2048:] else damaged
    try:
        with Image.open(BytesIO(content)) as image:
            if image.width * image.height > MAX_PIXELS:
                return _too_many_pixels(name, image.width, image.height)
            image.verify()
    except Image.DecompressionBombError:
        # Pillow refuses to even open images far beyond its own limit.
        return _too_many_pixels(name, None, None)
    except (UnidentifiedImageError, OSError, SyntaxError):
        return damaged
    return None


def _fitted(content: bytes, content_type: str) -> bytes:
    """The image upright and at most `MAX_SIDE` on its long side, in its own format; the
    content unchanged when it already is (or is a PDF). Re-encoding drops the EXIF block, and
    with it a phone's GPS position."""
    if content_type not in ("image/jpeg", "image/png"):
        return content
    with Image.open(BytesIO(content)) as image:
        turned = image.getexif().get(_EXIF_ORIENTATION, 1) not in (1, None)
        if max(image.size) <= MAX_SIDE and not turned:
            return content
        upright = ImageOps.exif_transpose(image)
        upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
        out = BytesIO()
        if content_type == "image/jpeg":
            if upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            upright.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
        else:
            upright.save(out, "PNG", optimize=True)
    return out.getvalue()


def _claims_an_image(upload: UploadedFile, name: str) -> bool:
    declared = (getattr(upload, "content_type", "") or "").lower()
    return declared.startswith("image/") or name.lower().endswith(
        (".jpg", ".jpeg", ".png", ".heic", ".gif", ".webp", ".bmp")
    )


def _too_many_pixels(name: str, width: int | None, height: int | None) -> str:
    limit = MAX_PIXELS // 1_000_000
    if width is None or height is None:
        return _(
            "%(name)s: the image is too large (more than %(max)d million pixels); scan or save "
            "it at a lower resolution."
        ) % {"name": name, "max": limit}
    return _(
        "%(name)s: the image is too large (%(width)d × %(height)d pixels, more than %(max)d "
        "million); scan or save it at a lower resolution."
    ) % {"name": name, "width": width, "height": height, "max": limit}


def evidence_check(files: list[UploadedFile]) -> list[CheckedFile]:
    """Every problem at once, each naming its file; raises ValidationError."""
    problems: list[str] = []
    if not files:
        raise ValidationError(_("Attach at least one evidence file (PDF, JPEG or PNG)."))
    if len(files) > MAX_FILES:
        raise ValidationError(_("Attach at most %(max)d files.") % {"max": MAX_FILES})
    checked: list[CheckedFile] = []
    for upload in files:
        name = (upload.name or "").rsplit("/", 1)[-1][:200] or _("unnamed file")
        if (upload.size or 0) > MAX_BYTES:
            problems.append(
                _("%(name)s: larger than %(max)d MB.")
                % {"name": name, "max": MAX_BYTES // (1024 * 1024)}
            )
            continue
        content = upload.read(MAX_BYTES + 1)
        if len(content) > MAX_BYTES:
            problems.append(
                _("%(name)s: larger than %(max)d MB.")
                % {"name": name, "max": MAX_BYTES // (1024 * 1024)}
            )
            continue
        content_type = _kind(content[:16])
        if content_type is None:
            if _claims_an_image(upload, name):
                problems.append(
                    _(
                        "%(name)s: named or sent as an image, but its content is not a JPEG or "
                        "PNG image. Take the photo again, or save it as JPEG, PNG or PDF."
                    )
                    % {"name": name}
                )
            else:
                problems.append(
                    _("%(name)s: not a PDF, JPEG or PNG file (judged by its content).")
                    % {"name": name}
                )
            continue
        problem = _problem(content, content_type, name)
        if problem is not None:
            problems.append(problem)
            continue
        content = _fitted(content, content_type)
        checked.append(
            CheckedFile(
                name=name,
                content=content,
                content_type=content_type,
                sha256=hashlib.sha256(content).hexdigest(),
            )
        )
    if problems:
        raise ValidationError(problems)
    return checked
