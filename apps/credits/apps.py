from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditsConfig(AppConfig):
    name = "apps.credits"
    verbose_name = _("Hour ledger")

    def ready(self) -> None:
        from apps.credits import receivers  # noqa: F401
