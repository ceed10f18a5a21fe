"""Compact copies of the CJK fonts the PDFs use, so that embedding them is cheap.

Every PDF embeds a subset of each font it uses (the glyphs on the page). WeasyPrint asks
HarfBuzz for that subset from the font file, and Debian's Noto CJK faces hold about 65,000
glyphs (20–27 MB collections): subsetting them took about 40 % of a verification PDF's
rendering. Once per machine (and again only when the system fonts change) this module cuts
the three faces the house style uses down to the characters of GB 2312 (6,763 hanzi and its
symbols) plus Latin, general punctuation, CJK punctuation and full-width forms, about 7,500
glyphs, outlines kept as they are; WeasyPrint subsets those instead. The style sheets name them
first and the full Noto family second (`"Hefei Serif", "Noto Serif CJK SC"`): a character
outside GB 2312 (a rare character in a name) is drawn from the full font, as before.

- `font_faces_css(directory) -> str`: `@font-face` rules for the compact faces, building any
  that `directory` lacks (about a second for the three, by HarfBuzz); "" for a face whose
  source font or HarfBuzz-Subset is missing (the full family is then used, only slower).

The copies are derived from the installed fonts-noto-cjk (SIL Open Font License 1.1, which
allows subsetting); they are machine state (under var/ by default), never committed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

# Bump when the character set or the way the copies are made changes.
CHARSET_VERSION = 1
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))


@dataclass(frozen=True)
class Face:
    family: str  # the name the style sheets use
    weight: str  # CSS font-weight
    source_file: str  # file name of the Noto CJK collection (Debian's fonts-noto-cjk)
    source_family: str  # the face of the collection to copy


FACES = (
    Face("Hefei Serif", "normal", "NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
    Face("Hefei Sans", "normal", "NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
    Face("Hefei Sans", "bold", "NotoSansCJK-Bold.ttc", "Noto Sans CJK SC"),
)


@lru_cache(maxsize=1)
def charset() -> tuple[int, ...]:
    """The code points kept: GB 2312 (every double-byte code that decodes), ASCII and
    Latin-1, general punctuation, CJK symbols and punctuation, half- and full-width forms."""
    points = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    points |= set(range(0x2000, 0x2070)) | set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                points.add(ord(bytes([high, low]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return tuple(sorted(points))


def _find(file_name: str) -> Path | None:
    for directory in FONT_DIRS:
        if directory.is_dir():
            for path in sorted(directory.rglob(file_name)):
                return path
    return None


def _face_index(path: Path, family: str) -> int:
    """The index of `family` in a font collection (0 for a single font)."""
    if path.suffix.lower() not in {".ttc", ".otc"}:
        return 0
    from fontTools.ttLib import TTCollection

    for index, font in enumerate(TTCollection(str(path), lazy=True).fonts):
        names = font["name"]
        if family in {names.getDebugName(1), names.getDebugName(16)}:
            return index
    raise LookupError(f"{family} is not in {path}")


_HB_CDEF = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
hb_blob_t *hb_blob_create_from_file_or_fail (const char *file_name);
void hb_blob_destroy (hb_blob_t *blob);
const char *hb_blob_get_data (hb_blob_t *blob, unsigned int *length);
hb_face_t *hb_face_create (hb_blob_t *blob, unsigned int index);
void hb_face_destroy (hb_face_t *face);
hb_blob_t *hb_face_reference_blob (hb_face_t *face);
void hb_set_add_range (hb_set_t *set, uint32_t first, uint32_t last);
hb_subset_input_t *hb_subset_input_create_or_fail (void);
void hb_subset_input_destroy (hb_subset_input_t *input);
hb_set_t *hb_subset_input_unicode_set (hb_subset_input_t *input);
void hb_subset_input_set_flags (hb_subset_input_t *input, unsigned int value);
hb_face_t *hb_subset_or_fail (hb_face_t *source, const hb_subset_input_t *input);
"""
HB_SUBSET_FLAGS_DESUBROUTINIZE = 0x4


@lru_cache(maxsize=1)
def _harfbuzz() -> Any:
    import cffi

    ffi = cffi.FFI()
    ffi.cdef(_HB_CDEF)
    return ffi, ffi.dlopen("libharfbuzz.so.0"), ffi.dlopen("libharfbuzz-subset.so.0")


def _ranges(points: tuple[int, ...]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for point in points:
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1] = (ranges[-1][0], point)
        else:
            ranges.append((point, point))
    return ranges


def subset_font(path: Path, index: int, points: tuple[int, ...]) -> bytes:
    """The face `index` of the font file cut down to `points`, by HarfBuzz-Subset
    (desubroutinised, so each PDF's own subset of it is quick)."""
    ffi, hb, hb_subset = _harfbuzz()
    blob = ffi.gc(hb.hb_blob_create_from_file_or_fail(str(path).encode()), hb.hb_blob_destroy)
    if blob == ffi.NULL:
        raise OSError(f"HarfBuzz cannot read {path}")
    face = ffi.gc(hb.hb_face_create(blob, index), hb.hb_face_destroy)
    request = ffi.gc(hb_subset.hb_subset_input_create_or_fail(), hb_subset.hb_subset_input_destroy)
    unicodes = hb_subset.hb_subset_input_unicode_set(request)
    for first, last in _ranges(points):
        hb.hb_set_add_range(unicodes, first, last)
    hb_subset.hb_subset_input_set_flags(request, HB_SUBSET_FLAGS_DESUBROUTINIZE)
    subset = hb_subset.hb_subset_or_fail(face, request)
    if subset == ffi.NULL:
        raise OSError(f"HarfBuzz could not subset {path}")
    subset = ffi.gc(subset, hb.hb_face_destroy)
    data_blob = ffi.gc(hb.hb_face_reference_blob(subset), hb.hb_blob_destroy)
    length = ffi.new("unsigned int *")
    data = hb.hb_blob_get_data(data_blob, length)
    return bytes(ffi.buffer(data, length[0]))


def _compact_file(face: Face, directory: Path) -> Path | None:
    """The compact copy of `face` in `directory`, built if missing; None when it cannot be."""
    source = _find(face.source_file)
    if source is None:
        logger.warning("PDF fonts: %s not found; the full font is used", face.source_file)
        return None
    stat = source.stat()
    key = f"{CHARSET_VERSION}:{source}:{stat.st_size}:{stat.st_mtime_ns}:{face.source_family}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    name = f"{face.family.replace(' ', '')}-{face.weight}-{digest}.otf"
    target = directory / name
    if target.exists():
        return target
    try:
        data = subset_font(source, _face_index(source, face.source_family), charset())
    except (OSError, LookupError, ImportError) as exc:
        logger.warning("PDF fonts: no compact copy of %s (%s); the full font is used", source, exc)
        return None
    directory.mkdir(parents=True, exist_ok=True)
    # Another process may build the same file at the same time: write aside, then rename.
    handle, temporary = tempfile.mkstemp(dir=directory, suffix=".part")
    with os.fdopen(handle, "wb") as file:
        file.write(data)
    os.chmod(temporary, 0o644)  # a font: readable by the other processes
    os.replace(temporary, target)
    return target


def font_faces_css(directory: Path) -> str:
    rules = []
    for face in FACES:
        path = _compact_file(face, directory)
        if path is not None:
            rules.append(
                f'@font-face {{ font-family: "{face.family}"; font-weight: {face.weight}; '
                f'src: url("{path.as_uri()}"); }}'
            )
    return "\n".join(rules)
