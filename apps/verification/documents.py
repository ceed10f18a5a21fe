"""The 验证登记 as a PDF: rendered once when issued (and once more when the city confirms a
senior one), stored, and served as stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.rules.reasons import fmt
from apps.verification.models import Verification
from hefei_cpe import pdf, signing

sha256 = pdf.sha256

# Layout cost is most of a PDF's rendering time in WeasyPrint: tables have fixed layouts (the
# column widths below, so no cell's content is measured twice) and nothing uses flex (several
# layout passes per box); the same look is built from table cells and an auto margin.
CSS = """
.head { display: table; width: 100%; table-layout: fixed;
  border-bottom: 1.6pt solid #b0161b; padding-bottom: 1.5mm; margin-bottom: 4mm; }
.head .org, .head .code { display: table-cell; vertical-align: bottom; }
.head .org, table.years tr.sum td, .verdict .label, .check .url {
  font-family: "Hefei Sans", "Noto Sans CJK SC"; }
.head .org { font-size: 9pt; color: #b0161b; letter-spacing: 1pt; }
.head .code { font-size: 9pt; text-align: right; }
.head .code b { font-size: 10.5pt; letter-spacing: 1pt; }
.subtitle { text-align: center; font-size: 9pt; color: #444; margin: 0 0 3mm; }
h2 { margin: 3.5mm 0 1.5mm; }
table { table-layout: fixed; }
table.facts th, table.facts td { box-sizing: border-box; padding: 1.2mm 2mm; }
table.facts th { width: 17%; text-align: center; }
table.facts td { width: 33%; }
table.facts td.opinion { font-size: 9pt; line-height: 1.4; }
table.years th, table.years td { text-align: center; font-size: 9.5pt; padding: 1.1mm 1.5mm; }
table.years col.c-year { width: 13%; }
table.years col.c-hours { width: 10.5%; }
table.years col.c-total { width: 8%; }
table.years col.c-made-up { width: 14%; }
table.years col.c-verdict { width: 9%; }
table.years col.c-note { width: 34.5%; }
table.years td.note { text-align: left; font-size: 8pt; color: #333; }
table.years tr.sum td { font-weight: bold; background: #fafafa; }
.verdicts { display: table; table-layout: fixed; width: calc(100% + 8mm); break-inside: avoid;
  border-spacing: 4mm 0; margin: 3mm -4mm 0; }
.verdict { display: table-cell; border: 0.8pt solid #333; padding: 2.5mm 4mm 2mm; }
.verdict p { margin: 0 0 1.2mm; text-indent: 2em; }
.verdict .label { font-weight: bold; text-indent: 0; }
.verdict .pending { color: #8a1c00; }
.signrow { margin-top: 1mm; }
.sign { position: relative; width: 74mm; min-height: 24mm; padding-top: 3mm; margin-left: auto; }
.sign div { margin: 0.6mm 0; position: relative; }
.seal { position: absolute; left: 42mm; top: -4mm; width: 32mm; height: 32mm; opacity: 0.8; }
.check { display: table; width: 100%; table-layout: fixed; margin-top: 3mm;
  border-top: 0.6pt dashed #888; padding-top: 3mm; break-inside: avoid; }
.check .qr, .check .text { display: table-cell; vertical-align: middle; }
.check .qr { width: 28mm; }
.check img { display: block; width: 24mm; height: 24mm; }
.check .text { font-size: 8.5pt; color: #333; }
.check .url { font-size: 8pt; word-break: break-all; }
"""


@dataclass(frozen=True)
class YearLine:
    year: int
    public: str
    professional: str
    total: str
    made_up: str
    verdict: str
    note: str
    backfilled: bool = False


def _h(value: str | Decimal) -> str:
    return fmt(Decimal(value))


def _year_lines(years: list[dict[str, Any]]) -> list[YearLine]:
    lines = []
    for row in years:
        made_up = Decimal(row["made_up_public"]) + Decimal(row["made_up_professional"])
        if row["exempt"]:
            verdict = _("Not assessed")
        elif row["aid_service"]:
            verdict = _("Compliant (aid service)")
        elif row["compliant"]:
            verdict = _("Compliant")
        else:
            verdict = _("Short")
        lines.append(
            YearLine(
                year=row["year"],
                public=_h(row["public"]),
                professional=_h(row["professional"]),
                total=_h(row["total"]),
                made_up=_h(made_up) if made_up else "—",
                verdict=verdict,
                note="；".join(row["reasons"]),
                backfilled=bool(row.get("backfilled")),
            )
        )
    return lines


def _date(moment: datetime | None) -> str:
    if moment is None:
        return ""
    day = timezone.localtime(moment).date()
    return _("%(y)s-%(m)s-%(d)s") % {"y": day.year, "m": day.month, "d": day.day}


def cycle_explanation(*, start: int, end: int, title_year: int | None, cap: int | None) -> str:
    if title_year is None or cap is None:
        return _("Tenure cycle %(start)s–%(end)s as given at issue.") % {"start": start, "end": end}
    text = _(
        "Current title obtained in %(title_year)s: the cycle runs from the year after it to "
        "the year before the application, %(start)s–%(end)s"
    ) % {"title_year": title_year, "start": start, "end": end}
    if start > title_year + 1:
        text += _(", capped to the latest %(cap)s years set by the city for this title level") % {
            "cap": cap
        }
    return text + _(".")


def verification_context(
    *, verification: Verification, check_url: str, reviewed: bool = False
) -> dict[str, Any]:
    return {
        "v": verification,
        "years": _year_lines(verification.years),
        "total": _h(verification.total_hours),
        "public": _h(verification.public_hours),
        "professional": _h(verification.professional_hours),
        "year_count": verification.cycle_end - verification.cycle_start + 1,
        "issued_on": _date(verification.issued_at),
        "reviewed": reviewed,
        "reviewed_on": _date(verification.reviewed_at) if reviewed else "",
        "seal": pdf.seal_data_uri(verification.officer_org),
        "city_seal": pdf.seal_data_uri(verification.reviewer_org) if reviewed else "",
        "qr": pdf.qr_data_uri(check_url),
        "check_url": check_url,
        "derivation": cycle_explanation(
            start=verification.cycle_start,
            end=verification.cycle_end,
            title_year=verification.title_year_used,
            cap=verification.cycle_cap,
        ),
    }


def verification_pdf(
    *, verification: Verification, check_url: str, reviewed: bool = False
) -> bytes:
    """The PDF of an issued verification; with the city's re-review when `reviewed`."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "verification/pdf/verification.html",
            verification_context(verification=verification, check_url=check_url, reviewed=reviewed),
        )
    data = pdf.html_to_pdf(html, css=CSS, pdf_variant=pdf.ACCESSIBLE)
    # Signed by the issuing office; the re-reviewed PDF also by the city (PAdES, incremental:
    # the district's signature stays valid under the city's).
    data = signing.sign_pdf(
        data, signer=verification.officer_org, reason=_("Hour verification"), field="district"
    )
    if reviewed:
        data = signing.sign_pdf(
            data, signer=verification.reviewer_org, reason=_("City re-review"), field="city"
        )
    return data
