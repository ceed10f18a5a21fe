from django.urls import path

from apps.filings import views

app_name = "filings"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("new/", views.plan_new, name="plan_new"),
    path("queue/", views.plan_queue, name="queue"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/history/", views.plan_history, name="plan_history"),
    path("<int:pk>/withdraw/", views.plan_withdraw_view, name="plan_withdraw"),
    path("<int:pk>/acknowledge/", views.plan_acknowledge_view, name="plan_acknowledge"),
    path("<int:pk>/return/", views.plan_return_view, name="plan_return"),
    path("<int:pk>/roster/", views.roster_upload, name="roster_upload"),
    path("<int:pk>/roster.xlsx", views.roster_export_view, name="roster_export"),
    path("uploads/<int:pk>/", views.roster_preview, name="roster_preview"),
    path("uploads/<int:pk>/confirm/", views.roster_confirm_view, name="roster_confirm"),
]
