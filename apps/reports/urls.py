from django.urls import path

from apps.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("units/", views.units, name="units"),
    path("people/", views.people, name="people"),
    path("export/<slug:table>.xlsx", views.export_table, name="export"),
]
