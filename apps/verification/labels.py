"""Navigation labels of this app, kept here so they live in this app's catalogue."""

from django.utils.translation import gettext_lazy as _

VERIFICATIONS = _("Hour verifications")
REVIEW_QUEUE = _("Senior title re-review")
MINE = _("My verifications")
