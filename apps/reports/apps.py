from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "apps.reports"
    verbose_name = _("Compliance reports")

    def ready(self) -> None:
        # Keeps the summaries current after every write that changes hours (see summaries.py).
        from apps.reports import summaries

        summaries.connect()
