"""The electronic booklet: the whole ledger as a PDF, in the order of the paper
《专业技术人员继续教育证书》 (cover, holder, yearly registrations with the reviewer on each entry,
yearly totals). Fonts: Noto CJK from Debian's fonts-noto-cjk (SIL Open Font License)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from apps.credits.selectors import Ledger

_fonts: FontConfiguration | None = None


def _font_config() -> FontConfiguration:
    # Building the font configuration scans the system fonts; do it once per process.
    global _fonts
    if _fonts is None:
        _fonts = FontConfiguration()
    return _fonts


def booklet_pdf(*, ledger: Ledger) -> bytes:
    years = sorted(ledger.years, key=lambda y: y.year)
    html = render_to_string(
        "credits/booklet.html",
        {
            "ledger": ledger,
            "person": ledger.person,
            "years": [y for y in years if y.rows or not y.is_current],
            "printed_at": timezone.localtime(),
        },
    )
    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf(font_config=_font_config())
