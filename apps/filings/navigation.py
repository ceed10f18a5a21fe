"""Navigation labels of this app, kept here so their translations live in its catalogue."""

from django.utils.translation import gettext_lazy as _

PLANS = _("Training plans")
PLAN_FILINGS = _("Plan filings")
