from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The edge that puts the apps together for a person: home pages, navigation and the
    electronic booklet (ledger and verifications). Nothing imports it."""

    name = "apps.portal"
    verbose_name = _("Portal")
