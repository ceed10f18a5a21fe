from django.urls import path

from apps.people import unit_views

app_name = "units"
urlpatterns = [
    path("", unit_views.unit_list, name="list"),
    path("new/", unit_views.unit_create, name="create"),
    path("<int:pk>/edit/", unit_views.unit_edit, name="edit"),
    path("<int:pk>/history/", unit_views.unit_history, name="history"),
]
