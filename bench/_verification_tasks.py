"""A Celery task for bench/verification_batch.py only: renders verification PDFs from in-memory
verifications (no database) in the worker, with the worker's warmed renderer."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="bench.render_verifications")
def render_verifications(count: int, years: int = 5) -> int:
    from bench.verification_pdf import ours, verification

    size = 0
    for _ in range(count):
        size += len(ours(verification(years, False), False))
    return size
