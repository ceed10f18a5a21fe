from django.urls import path

from apps.portal import views

app_name = "portal"
urlpatterns = [
    path("ledger/booklet.pdf", views.my_booklet, name="my_booklet"),
    path("ledger/people/<int:pk>/booklet.pdf", views.person_booklet, name="person_booklet"),
]
