from django.urls import path

from apps.bases import views

app_name = "bases"
urlpatterns = [
    path("", views.organiser_list, name="list"),
    path("authorities/new/", views.authority_new, name="authority_new"),
    path("authorities/<int:pk>/edit/", views.authority_edit, name="authority_edit"),
    path("<int:pk>/toggle/", views.organiser_toggle, name="toggle"),
    path("<int:pk>/history/", views.organiser_history, name="history"),
    path("<int:pk>/staff/", views.organiser_staff, name="staff"),
    path("<int:pk>/staff/<int:user_pk>/code/", views.organiser_staff_code, name="staff_code"),
    path(
        "<int:pk>/staff/<int:user_pk>/suspend/",
        views.organiser_staff_suspend,
        name="staff_suspend",
    ),
]
