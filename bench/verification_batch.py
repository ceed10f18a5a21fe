"""A batch of verification PDFs: in the request (today's loop), by one Celery worker, by two.

    .venv/bin/python bench/verification_batch.py [--smoke] [--pdfs N] [--chunk C]

Renders N (default 200) 验证登记 PDFs (5-year cycle, seal, QR, Noto CJK; built in memory as in
bench/verification_pdf.py, no database) three ways:

- in_request: one process renders them one after another, as a view's loop would, from a cold
  start (the first PDF pays fontconfig and the parsed style sheets);
- one worker / two workers: `celery -A hefei_cpe worker` processes (concurrency 1, then 2)
  started and warmed beforehand (every worker process renders one throw-away PDF at start,
  hefei_cpe/celery.py), fed N/C tasks of C PDFs (default 10) through Redis (broker database 4,
  results database 3), timed from the first send to the last result;
- per_pdf: the median of single warm renders in this process.

Needs Redis at 127.0.0.1:6379. `--smoke`: 10 PDFs in chunks of 5.
Prints RESULT per_pdf_s=… one_worker_s=… two_workers_s=… in_request_s=…
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BROKER = "redis://127.0.0.1:6379/4"
RESULTS = "redis://127.0.0.1:6379/3"
ENV = {
    "DJANGO_SETTINGS_MODULE": "bench._serve_settings",
    "DEBUG": "1",
    "CELERY_BROKER_URL": BROKER,
    "BENCH_RESULT_BACKEND": RESULTS,
    "LOG_LEVEL": "ERROR",
}
os.environ.update(ENV)
os.environ.pop("REDIS_URL", None)
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from bench._verification_tasks import render_verifications  # noqa: E402
from bench.verification_pdf import ours, verification  # noqa: E402


def in_request(n: int) -> float:
    """A fresh process renders n PDFs in a loop (cold start included)."""
    code = (
        "import sys, time; sys.argv=['x']; start=time.perf_counter();\n"
        "from bench.verification_pdf import ours, verification\n"
        f"for _ in range({n}): ours(verification(5, False), False)\n"
        "print(time.perf_counter()-start)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def with_workers(n: int, chunk: int, concurrency: int) -> float:
    import redis

    redis.Redis.from_url(BROKER).flushdb()
    redis.Redis.from_url(RESULTS).flushdb()
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "hefei_cpe",
            "worker",
            "--include",
            "bench._verification_tasks",
            f"--concurrency={concurrency}",
            "--pool=prefork",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--prefetch-multiplier=1",
            "-l",
            "error",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        # Wait until every process is up and warm: one tiny task per process answered.
        warm = [render_verifications.delay(1) for _ in range(concurrency * 2)]
        for result in warm:
            result.get(timeout=300)
        start = time.perf_counter()
        sizes = [render_verifications.delay(min(chunk, n - i)) for i in range(0, n, chunk)]
        total = sum(result.get(timeout=1800) for result in sizes)
        elapsed = time.perf_counter() - start
        assert total > 0
        return elapsed
    finally:
        worker.terminate()
        worker.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--pdfs", type=int, default=200)
    parser.add_argument("--chunk", type=int, default=10)
    args = parser.parse_args()
    n, chunk = (10, 5) if args.smoke else (args.pdfs, args.chunk)

    ours(verification(5, False), False)  # warm this process
    singles = []
    for _ in range(5 if args.smoke else 15):
        start = time.perf_counter()
        ours(verification(5, False), False)
        singles.append(time.perf_counter() - start)
    per_pdf = statistics.median(singles)
    loop = in_request(n)
    one = with_workers(n, chunk, 1)
    two = with_workers(n, chunk, 2)
    print(f"{n} PDFs, chunks of {chunk}, {os.cpu_count()} cores")
    print(f"warm single PDF (median)       {per_pdf:8.3f} s")
    print(f"in-request loop (cold start)   {loop:8.2f} s   {loop / n:.3f} s/PDF")
    print(f"one worker process             {one:8.2f} s   {one / n:.3f} s/PDF")
    print(f"two worker processes           {two:8.2f} s   {two / n:.3f} s/PDF")
    print(
        f"RESULT per_pdf_s={per_pdf:.3f} one_worker_s={one:.2f} two_workers_s={two:.2f} "
        f"in_request_s={loop:.2f}"
    )


if __name__ == "__main__":
    main()
