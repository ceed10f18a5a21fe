from django.urls import path

from apps.requirements import views

app_name = "requirements"
urlpatterns = [
    path("", views.requirement_list, name="list"),
    path("<int:pk>/edit/", views.requirement_edit, name="edit"),
    path("<int:pk>/reset/", views.requirement_reset_view, name="reset"),
    path("<int:pk>/history/", views.requirement_history, name="history"),
]
