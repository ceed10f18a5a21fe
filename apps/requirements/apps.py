from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

NAV_LABEL = _("Industry requirements")


class RequirementsConfig(AppConfig):
    name = "apps.requirements"
    verbose_name = NAV_LABEL

    def ready(self) -> None:
        from apps.requirements import signals  # noqa: F401
