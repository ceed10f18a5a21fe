"""The Celery application: background work on workers through Redis.

    celery -A hefei_cpe worker -l info        # a worker (any number, on any machine)
    celery -A hefei_cpe beat -l info          # the schedule (exactly one in the whole city)

Configuration comes from Django settings (`CELERY_*`, see the block in settings.py). Tasks live
in `apps/<app>/tasks.py` and are found automatically. With REDIS_URL unset, tasks run eagerly
in the process that enqueues them (the quick-start demo needs no broker).

Each worker process warms the PDF renderer once at start (fontconfig, the parsed house style),
so the first PDF of a batch costs what every later one does.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_process_init
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hefei_cpe.settings")

_PROJECT = str(Path(__file__).resolve().parent.parent)
app = Celery("hefei_cpe")
# Celery's Django fix-up puts the current directory first on sys.path; run from inside an
# app's folder (scripts/messages.sh does) that would make `apps` that folder's apps.py. The
# project directory is what belongs there.
if sys.path and sys.path[0] == os.getcwd() and os.getcwd() != _PROJECT:
    sys.path.pop(0)
if _PROJECT not in sys.path:
    sys.path.insert(0, _PROJECT)
app.config_from_object(settings, namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # The year totals of everyone, rebuilt from the ledger at 02:30 Asia/Shanghai.
    "credits-person-years-nightly": {
        "task": "credits.person_years_refresh_all",
        "schedule": crontab(hour=2, minute=30),
    },
    # The compliance reports' summaries rebuilt in full after the year totals (03:30).
    "reports-summaries-refresh-nightly": {
        "task": "reports.summaries_refresh",
        "schedule": crontab(hour=3, minute=30),
    },
    # Jobs whose enqueue failed while the broker was down are sent again once it is back.
    "jobs-requeue-stranded": {
        "task": "jobs.requeue_stranded",
        "schedule": 60.0,
    },
    # Finished jobs' files are kept JOBS_KEEP_DAYS days.
    "jobs-purge-old": {
        "task": "jobs.purge_old",
        "schedule": crontab(hour=3, minute=15),
    },
}


@worker_process_init.connect
def _warm_pdf_renderer(**_: object) -> None:
    from hefei_cpe import pdf

    pdf.warm_up()
