"""The hefei_cpe project package: settings, URLs and the technical helpers that know no app."""

import os

# openpyxl parses workbook parts with lxml whenever lxml is importable (pyHanko pulls it in), and
# then an entity declaration is silently ignored instead of refused. Pin it to defusedxml, which
# refuses any DTD entity, so a hostile workbook gets the same answer on every machine. This runs
# before anything imports openpyxl: every entry point (manage.py, wsgi, celery, pytest) imports
# this package first.
os.environ.setdefault("OPENPYXL_LXML", "False")

# The Celery app is loaded with Django, so `shared_task` tasks bind to it.
from hefei_cpe.celery import app as celery_app

__all__ = ("celery_app",)
