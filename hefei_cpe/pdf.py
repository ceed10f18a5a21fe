"""PDF helpers shared by every printable document of the portal (verifications, the booklet).

    from hefei_cpe import pdf

    html = render_to_string("verification/pdf/verification.html", {...,
        "seal": pdf.seal_data_uri("合肥市蜀山区人力资源和社会保障局"),
        "qr": pdf.qr_data_uri("https://…/check/?code=…")})
    data: bytes = pdf.html_to_pdf(html)                       # the house style sheet
    data: bytes = pdf.html_to_pdf(html, css=EXTRA_CSS)        # plus a sheet of your own

- `html_to_pdf(html, *, css=None, base_url=None) -> bytes`: WeasyPrint with one shared
  `FontConfiguration` and the parsed house style (`PAGE_CSS`, A4, Noto CJK) reused across calls;
  `css` strings are parsed once and cached too. The font is found through fontconfig: Debian's
  fonts-noto-cjk (SIL Open Font License 1.1), installed by scripts/_setup.sh.
- `seal_svg(organisation, *, caption=SEAL_CAPTION) -> str` / `seal_data_uri(...)`: a red round
  electronic seal drawn as SVG (organisation name around the arc, a star, the caption
  "电子印章" at the bottom). It is the system's electronic mark, not a legal seal.
- `qr_svg(text) -> str` / `qr_data_uri(text)`: a QR code (segno, error correction M).
- `sha256(data) -> str`.
- `warm_up()`: one throw-away PDF, so fonts and the house style are ready; every Celery
  worker process calls it at start (hefei_cpe/celery.py).

Subsetting the embedded fonts is done by HarfBuzz (Debian's libharfbuzz-subset0, installed by
scripts/_setup.sh); without it WeasyPrint falls back to fontTools, several times slower. It
subsets compact copies of the Noto CJK faces (GB 2312 and punctuation, hefei_cpe/pdf_fonts.py,
built once per machine under PDF_FONT_DIR), which is much quicker than subsetting the full
65,000-glyph collections; rarer characters fall back to the full fonts.

Images go in as `data:` URIs, so no network is ever fetched while rendering; the only files
read are the compact fonts, once per process when their `@font-face` rules are parsed.
"""

from __future__ import annotations

import base64
import hashlib
import io
import math
from functools import lru_cache
from html import escape
from pathlib import Path

import segno
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from hefei_cpe import pdf_fonts

SEAL_RED = "#d7261e"
SEAL_CAPTION = "电子印章"

# The house style of printed documents: A4, Chinese serif body, sans headings. "Hefei Serif" and
# "Hefei Sans" are compact copies of Noto CJK (hefei_cpe/pdf_fonts.py, declared by
# `font_faces()`); a character they lack comes from the full Noto family named after them.
PAGE_CSS = """
@page { size: A4; margin: 18mm 18mm 20mm 18mm;
  @bottom-center { content: counter(page) " / " counter(pages);
    font: 8pt "Hefei Sans", "Noto Sans CJK SC"; color: #666; } }
html { font-family: "Hefei Serif", "Noto Serif CJK SC", serif; font-size: 10.5pt; color: #111;
  line-height: 1.55; }
h1, h2, h3, th, .sans { font-family: "Hefei Sans", "Noto Sans CJK SC", sans-serif; }
h1 { font-size: 20pt; text-align: center; letter-spacing: 6pt; margin: 0 0 2mm; }
h2 { font-size: 12pt; margin: 6mm 0 2mm; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.6pt solid #333; padding: 1.6mm 2mm; vertical-align: middle; }
th { background: #f1f1f1; font-weight: bold; font-size: 9.5pt; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.mono { font-family: "Hefei Sans", "Noto Sans CJK SC", sans-serif; letter-spacing: 0.5pt; }
b, strong { font-family: "Hefei Sans", "Noto Sans CJK SC", sans-serif; }
.muted { color: #555; font-size: 9pt; }
"""


@lru_cache(maxsize=1)
def font_config() -> FontConfiguration:
    """One font configuration for the process: fontconfig lookups are done once."""
    return FontConfiguration()


@lru_cache(maxsize=32)
def stylesheet(css: str) -> CSS:
    """A parsed style sheet, cached by its text."""
    return CSS(string=css, font_config=font_config())


@lru_cache(maxsize=1)
def font_faces() -> CSS | None:
    """The `@font-face` rules of the compact CJK faces (built under PDF_FONT_DIR on first
    use), parsed once per process; None if none could be built (the full fonts are used)."""
    from django.conf import settings

    css = pdf_fonts.font_faces_css(Path(settings.PDF_FONT_DIR))
    return stylesheet(css) if css else None


# Tagged, accessible output (PDF/UA-1: structure tree, language, title, alternative texts).
ACCESSIBLE = "pdf/ua-1"


def html_to_pdf(
    html: str,
    *,
    css: str | None = None,
    base_url: str | None = None,
    pdf_variant: str | None = None,
) -> bytes:
    """`pdf_variant=pdf.ACCESSIBLE` writes tagged PDF/UA-1 (the page needs `lang` and a
    `<title>`, images an `alt`)."""
    faces = font_faces()
    sheets = [*([faces] if faces else []), stylesheet(PAGE_CSS)]
    if css:
        sheets.append(stylesheet(css))
    options: dict[str, object] = {}
    if pdf_variant:
        options = {"pdf_variant": pdf_variant, "pdf_tags": True}
    data = HTML(string=html, base_url=base_url).write_pdf(
        stylesheets=sheets, font_config=font_config(), **options
    )
    assert data is not None  # no target given: WeasyPrint returns the bytes
    return data


def warm_up(*extra_css: str) -> None:
    """Pays the start-up costs once per process (fontconfig, the parsed house style and any
    extra sheets, the CJK fonts loaded and subset once): Celery calls it in every worker
    process, so the first PDF of a batch is as fast as the rest."""
    html_to_pdf('<p class="sans">合肥 <b>学时</b></p>')
    for css in extra_css:
        stylesheet(css)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _star(cx: float, cy: float, outer: float) -> str:
    inner = outer * 0.382
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = math.radians(-90 + i * 36)
        points.append(f"{cx + radius * math.cos(angle):.2f},{cy + radius * math.sin(angle):.2f}")
    return " ".join(points)


@lru_cache(maxsize=256)
def seal_svg(organisation: str, *, caption: str = SEAL_CAPTION) -> str:
    """A round red seal: the organisation's name clockwise along the upper arc, a five-pointed
    star in the middle, the caption across the bottom. Characters are placed one by one (no
    textPath), so any SVG renderer draws it the same."""
    size, c = 200, 100.0
    chars = list(organisation.strip()) or ["?"]
    n = len(chars)
    # The name spans up to 250° of the circle, centred on the top; long names get smaller
    # characters, sized so that neighbours on the arc do not touch.
    span = min(250.0, 24.0 * (n - 1)) if n > 1 else 0.0
    step = math.radians(span / (n - 1)) * 0.9 if n > 1 else 1.0
    font = min(24.0, 86.0 * step / (1 + step))
    baseline = 86.0 - font  # radius of the characters' baseline; their tops face outward
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'width="{size}" height="{size}">',
        f'<circle cx="{c}" cy="{c}" r="93" fill="none" stroke="{SEAL_RED}" stroke-width="6"/>',
        f'<polygon points="{_star(c, c, 27)}" fill="{SEAL_RED}"/>',
    ]
    for i, char in enumerate(chars):
        angle = -span / 2 + (span / (n - 1) * i if n > 1 else 0.0)
        rad = math.radians(angle)
        x = c + baseline * math.sin(rad)
        y = c - baseline * math.cos(rad)
        parts.append(
            f'<text x="0" y="0" transform="translate({x:.2f} {y:.2f}) rotate({angle:.2f})" '
            f'font-family="Hefei Sans, Noto Sans CJK SC" font-weight="bold" font-size="{font:.1f}" '
            f'fill="{SEAL_RED}" text-anchor="middle">{escape(char)}</text>'
        )
    parts.append(
        f'<text x="{c}" y="158" font-family="Hefei Sans, Noto Sans CJK SC" font-weight="bold" '
        f'font-size="17" fill="{SEAL_RED}" text-anchor="middle">{escape(caption)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def seal_data_uri(organisation: str, *, caption: str = SEAL_CAPTION) -> str:
    return _data_uri(seal_svg(organisation, caption=caption))


def qr_svg(text: str) -> str:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(
        buffer, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, nl=False
    )
    return buffer.getvalue().decode()


def qr_data_uri(text: str) -> str:
    return _data_uri(qr_svg(text))
