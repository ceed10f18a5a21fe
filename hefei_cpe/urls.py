from django.contrib import admin
from django.urls import include, path

from apps.portal import favicon, health
from apps.portal import views as portal_views

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("accounts/", include("apps.accounts.urls")),
    path("people/", include("apps.people.urls")),
    path("units/", include("apps.people.unit_urls")),
    path("organisers/", include("apps.bases.urls")),
    path("requirements/", include("apps.requirements.urls")),
    path("", include("apps.credits.urls")),
    path("public-course/", include("apps.publiccourse.urls")),
    path("verifications/", include("apps.verification.urls")),
    path("plans/", include("apps.filings.urls")),
    path("reports/", include("apps.reports.urls")),
    path("", include("apps.portal.urls")),
    path("jobs/", include("apps.jobs.urls")),
    path("healthz/", health.healthz, name="healthz"),
    path("favicon.ico", favicon.favicon, name="favicon"),
    path("admin/", admin.site.urls),
]
