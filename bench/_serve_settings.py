"""Settings for the benchmarks that start gunicorn or Celery workers: the project's own, plus a
hello-world URL (bench/_serve_urls.py) and, for the PDF benchmark, a Redis result backend so the
benchmark can wait for its chunks. Nothing here is used by the portal."""

import os

from hefei_cpe.settings import *  # noqa: F403

ROOT_URLCONF = "bench._serve_urls"
CELERY_RESULT_BACKEND = os.environ.get("BENCH_RESULT_BACKEND") or None
CELERY_TASK_IGNORE_RESULT = False
# A queue of its own, so no other worker on the same Redis takes the benchmark's tasks.
CELERY_TASK_DEFAULT_QUEUE = "bench"
