"""The electronic booklet: the whole ledger as a PDF, in the order of the paper
《专业技术人员继续教育证书》: cover, holder, the yearly registrations with the reviewer on each
entry and the year's total, then the hour verifications (学时验证登记) issued for title
applications. Rendered with the shared helpers of `hefei_cpe.pdf` (Noto CJK, SIL OFL)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from apps.credits.selectors import Ledger
from hefei_cpe import pdf, signing

BOOKLET_SIGNER = "合肥市人力资源和社会保障局"
BOOKLET_CSS = (Path(__file__).parent / "booklet.css").read_text()


def booklet_pdf(*, ledger: Ledger, verifications: Sequence[Any] = ()) -> bytes:
    years = sorted(ledger.years, key=lambda y: y.year)
    html = render_to_string(
        "portal/booklet.html",
        {
            "ledger": ledger,
            "person": ledger.person,
            "years": [y for y in years if y.rows or not y.is_current],
            "verifications": verifications,
            "printed_at": timezone.localtime(),
        },
    )
    data = pdf.html_to_pdf(html, css=BOOKLET_CSS, pdf_variant=pdf.ACCESSIBLE)
    # Signed by the city bureau that keeps the ledger, under the city signing root.
    return signing.sign_pdf(data, signer=BOOKLET_SIGNER, reason="继续教育证书", field="booklet")
