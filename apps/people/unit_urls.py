from django.urls import path

from apps.people import unit_views

app_name = "units"
urlpatterns = [
    path("", unit_views.unit_list, name="list"),
    path("new/", unit_views.unit_create, name="create"),
    path("<int:pk>/edit/", unit_views.unit_edit, name="edit"),
    path("<int:pk>/history/", unit_views.unit_history, name="history"),
    path("<int:pk>/administrators/", unit_views.unit_admins, name="admins"),
    path(
        "<int:pk>/administrators/<int:user_pk>/code/",
        unit_views.unit_admin_code,
        name="admin_code",
    ),
    path(
        "<int:pk>/administrators/<int:user_pk>/suspend/",
        unit_views.unit_admin_suspend_view,
        name="admin_suspend",
    ),
]
