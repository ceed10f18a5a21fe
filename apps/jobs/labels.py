from django.utils.translation import gettext_lazy as _

MY_JOBS = _("My jobs")
