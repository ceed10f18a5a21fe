"""Navigation labels of this app, kept here so their translations live in its catalogue."""

from django.utils.translation import gettext_lazy as _

PLANS = _("Training plans")
PLAN_FILINGS = _("Plan filings")

# The label of apps.people's Jurisdiction.Kind.UNPLACED (added for rosters); kept here so its
# translation ships with this app's catalogue.
UNPLACED_KIND = _("Awaiting placement by the city")
