from django.urls import path

from apps.bases import views

app_name = "bases"
urlpatterns = [
    path("", views.base_list, name="list"),
    path("<int:pk>/toggle/", views.base_toggle, name="toggle"),
    path("<int:pk>/history/", views.base_history, name="history"),
]
