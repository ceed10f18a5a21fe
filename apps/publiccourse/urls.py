from django.urls import path

from apps.publiccourse import views

app_name = "publiccourse"
urlpatterns = [
    path("", views.topic_list, name="topics"),
    path("topics/new/", views.topic_create_view, name="topic_create"),
    path("topics/<int:pk>/", views.topic_edit, name="topic_edit"),
    path("import/", views.results_import_view, name="import"),
    path("import/template.xlsx", views.results_import_template, name="import_template"),
    path("imports/", views.batch_list, name="batches"),
    path("imports/<int:pk>/", views.batch_detail, name="batch"),
    path("imports/<int:pk>/confirm/", views.batch_confirm_view, name="batch_confirm"),
    path("imports/<int:pk>/cancel/", views.batch_cancel_view, name="batch_cancel"),
]
