from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    name = "apps.verification"
    verbose_name = _("Hour verification")
