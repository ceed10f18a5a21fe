from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Also the navigation label (apps/portal/context_processors.py), so it is translated here.
NAV_LABEL = _("Public course")


class PublicCourseConfig(AppConfig):
    name = "apps.publiccourse"
    verbose_name = NAV_LABEL
