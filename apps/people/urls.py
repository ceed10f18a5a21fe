from django.urls import path

from apps.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create_view, name="create"),
    path("activation-codes/", views.people_issue_codes, name="issue_codes"),
    path("import/", views.people_import_view, name="import"),
    path("import/<int:pk>/", views.people_import_preview, name="import_preview"),
    path("import/<int:pk>/confirm/", views.people_import_confirm_view, name="import_confirm"),
    path("import/<int:pk>/discard/", views.people_import_discard_view, name="import_discard"),
    path("import/template.xlsx", views.people_import_template, name="import_template"),
    path("id-number-log/", views.access_log, name="access_log"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/history/", views.person_history, name="history"),
    path("<int:pk>/id-number/", views.person_id_number, name="id_number"),
    path("<int:pk>/activation-code/", views.person_issue_code, name="issue_code"),
]
