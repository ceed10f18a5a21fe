"""Seconds per verification PDF (the 验证登记 with seal, QR and Noto CJK), first and warm.

    .venv/bin/python bench/verification_pdf.py [WARM_RUNS] [--smoke]

No database: the verification is built in memory (a 5-year cycle, and a 10-year one; with and
without the city's re-review block). In one process it times:

- first: the first PDF after start-up (fontconfig set-up, parsing the house style sheets);
- warm: the median of WARM_RUNS (default 20) further PDFs through `documents.verification_pdf`,
  which reuses one `FontConfiguration` and the parsed CSS (hefei_cpe/pdf.py);
- baseline: the same HTML through WeasyPrint's plain path (a new FontConfiguration and the
  style sheets parsed again for every PDF), median of 5;
- floor: rendering the Django template alone (the HTML), so the rest is WeasyPrint;
- render / sign (issue 15): the tagged PDF/UA rendering alone (`pdf.html_to_pdf` with
  `pdf.ACCESSIBLE`) and the PAdES signature alone (`signing.sign_pdf`, ECDSA P-256, the
  office certificate already issued), each the median of WARM_RUNS; the re-reviewed PDF
  carries two signatures (`sign2_s`). The demo signing root lives in a temporary directory.

Each timing also records this process's CPU time (`time.process_time`), which other processes
on a shared machine do not inflate the way they inflate wall time: `warm_cpu_s`, `render_cpu_s`,
`sign_cpu_s`. Figures are printed last, then the RESULT line. Target (issue 13): at most 0.3 s
per PDF warm.
`--smoke`: one warm run and one baseline run per case.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hefei_cpe.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

try:
    from _bench import print_result, size_from_argv
except ModuleNotFoundError:  # imported as bench.verification_pdf by verification_batch.py
    from bench._bench import print_result, size_from_argv

django.setup()

import tempfile  # noqa: E402

from django.conf import settings  # noqa: E402

settings.PDF_SIGNING_DIR = Path(tempfile.mkdtemp(prefix="bench-signing-"))
settings.PDF_SIGNING_DEMO_ROOT = True

from django.template.loader import render_to_string  # noqa: E402
from django.utils import timezone, translation  # noqa: E402
from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402

from apps.verification import codes, documents  # noqa: E402
from apps.verification.models import Verification  # noqa: E402
from hefei_cpe import pdf, signing  # noqa: E402

URL = "https://jxjy.hefei.gov.cn/verifications/check/?code="


def verification(years: int, reviewed: bool) -> Verification:
    end = 2025
    rows = [
        {
            "year": y,
            "public": "30.0",
            "professional": "64.0",
            "total": "94.0",
            "required_public": "30.0",
            "required_professional": "60.0",
            "exempt": False,
            "aid_service": False,
            "made_up_public": "0.0",
            "made_up_professional": "4.0" if y == end - 2 else "0.0",
            "shortfall_public": "0.0",
            "shortfall_professional": "0.0",
            "compliant": True,
            "reasons": ["由 2024 年度同科目超出要求的部分顺延补学：专业科目 4 学时"]
            if y == end - 2
            else [],
        }
        for y in range(end - years + 1, end + 1)
    ]
    now = timezone.now()
    return Verification(
        person_name="高丽",
        id_number_masked="340104********1219",
        unit_name="安徽江淮建设工程有限公司",
        current_title="工程师",
        title_applied="高级工程师",
        title_level="associate_senior",
        application_year=end + 1,
        cycle_start=end - years + 1,
        cycle_end=end,
        total_hours=Decimal(94 * years),
        public_hours=Decimal(30 * years),
        professional_hours=Decimal(64 * years),
        years=rows,
        compliant=True,
        officer_name="蜀山区人社局 李审核",
        officer_org="蜀山区人力资源和社会保障局",
        issued_at=now,
        opinion="经核对学时登记及培训证明，任职周期内各年度公需科目、专业科目学时均达到规定要求，"
        "个别年度专业科目不足部分已按规定由次年超出学时补足。同意予以验证，报市人力资源和社会保障局复核。",
        code=codes.code_new(),
        status=Verification.Status.AWAITING_REVIEW,
        needs_review=True,
        reviewer_name="市人社局 王管理" if reviewed else "",
        reviewer_org="合肥市人力资源和社会保障局" if reviewed else "",
        reviewed_at=now if reviewed else None,
    )


def ours(v: Verification, reviewed: bool) -> bytes:
    return documents.verification_pdf(
        verification=v, check_url=URL + v.code_display, reviewed=reviewed
    )


def html_of(v: Verification, reviewed: bool) -> str:
    with translation.override("zh-hans"):
        return render_to_string(
            "verification/pdf/verification.html",
            documents.verification_context(
                verification=v, check_url=URL + v.code_display, reviewed=reviewed
            ),
        )


def plain(html: str) -> bytes:
    fonts = FontConfiguration()
    sheets = [
        CSS(string=pdf.PAGE_CSS, font_config=fonts),
        CSS(string=documents.CSS, font_config=fonts),
    ]
    data = HTML(string=html).write_pdf(stylesheets=sheets, font_config=fonts)
    assert data is not None
    return data


CPU: dict[str, float] = {}  # median CPU seconds of the last `timed` call, by label


def timed(fn, runs: int, label: str = "") -> tuple[float, int]:
    """Median wall seconds and the size of the result; the median CPU seconds of this process
    (unaffected by other processes on a shared machine) go to CPU[label]."""
    seconds, cpu, size = [], [], 0
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        size = len(fn())
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    if label:
        CPU[label] = statistics.median(cpu)
    return statistics.median(seconds), size


def main() -> None:
    warm_runs, smoke = size_from_argv(full=20, smoke=1, what="warm runs")
    baseline_runs = 1 if smoke else 5
    cases = [(5, False), (5, True), (10, False)]
    first_v = verification(5, False)
    start = time.perf_counter()
    first_size = len(ours(first_v, False))
    first = time.perf_counter() - start
    rows = []
    for years, reviewed in cases:
        v = verification(years, reviewed)
        html = html_of(v, reviewed)
        warm, size = timed(
            lambda v=v, r=reviewed: ours(v, r), warm_runs, f"warm{years}{'r' if reviewed else ''}"
        )
        base, _ = timed(lambda h=html: plain(h), baseline_runs)
        floor, _ = timed(lambda v=v, r=reviewed: html_of(v, r).encode(), warm_runs)
        label = f"{years}-year cycle" + (", with re-review" if reviewed else "")
        rows.append((label, warm, base, floor, size))
    print()
    print(f"first PDF in the process: {first:.3f} s ({first_size / 1024:.0f} KiB)")
    print(f"{'case':34} {'warm s/PDF':>11} {'baseline':>9} {'HTML only':>10} {'size KiB':>9}")
    for label, warm, base, floor, size in rows:
        print(f"{label:34} {warm:11.3f} {base:9.3f} {floor:10.4f} {size / 1024:9.0f}")
    print("warm = documents.verification_pdf, shared FontConfiguration and parsed CSS (median)")
    print(
        f"baseline = new FontConfiguration and CSS parsed for every PDF (median of {baseline_runs})"
    )
    (_, warm5, base5, html5, size5), (_, warm5r, _, _, _), (_, warm10, _, _, _) = rows
    v = verification(5, False)
    html = html_of(v, False)
    render, _ = timed(
        lambda: pdf.html_to_pdf(html, css=documents.CSS, pdf_variant=pdf.ACCESSIBLE),
        warm_runs,
        "render",
    )
    unsigned = pdf.html_to_pdf(html, css=documents.CSS, pdf_variant=pdf.ACCESSIBLE)
    office = "合肥市蜀山区人力资源和社会保障局"
    signing.sign_pdf(unsigned, signer=office, reason="学时验证", field="district")  # issue cert
    sign, _ = timed(
        lambda: signing.sign_pdf(unsigned, signer=office, reason="学时验证", field="district"),
        warm_runs,
        "sign",
    )
    once = signing.sign_pdf(unsigned, signer=office, reason="学时验证", field="district")
    city = "合肥市人力资源和社会保障局"
    signing.sign_pdf(once, signer=city, reason="市级复核", field="city")
    sign2, _ = timed(
        lambda: signing.sign_pdf(once, signer=city, reason="市级复核", field="city"), warm_runs
    )
    validate, _ = timed(lambda: signing.validate_pdf(once), warm_runs)
    print(
        f"tagged PDF/UA render {render:.3f} s, PAdES signature {sign:.3f} s "
        f"(second signature {sign2:.3f} s), validation {validate:.3f} s (medians)"
    )
    print(
        f"CPU of this process (medians): whole 5-year PDF {CPU['warm5']:.3f} s, render "
        f"{CPU['render']:.3f} s, signature {CPU['sign']:.3f} s"
    )
    print_result(
        render_s=render,
        sign_s=sign,
        sign2_s=sign2,
        validate_s=validate,
        first_s=first,
        warm_s=warm5,
        warm_reviewed_s=warm5r,
        warm_10y_s=warm10,
        baseline_s=base5,
        ratio=base5 / warm5,
        html_s=html5,
        size_kib=size5 / 1024,
        warm_cpu_s=CPU["warm5"],
        render_cpu_s=CPU["render"],
        sign_cpu_s=CPU["sign"],
    )


if __name__ == "__main__":
    main()
