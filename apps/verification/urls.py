from django.urls import path

from apps.verification import views

app_name = "verification"
urlpatterns = [
    path("", views.verification_list, name="list"),
    path("check/", views.verification_check, name="check"),
    path("mine/", views.verification_mine, name="mine"),
    path("re-review/", views.verification_review_queue, name="review_queue"),
    path("download/", views.verification_zip, name="zip"),
    path("settings/", views.cycle_settings_view, name="cycle_settings"),
    path("people/<int:person_pk>/", views.verification_start, name="start"),
    path("people/<int:person_pk>/title-year/", views.title_year_correct_view, name="title_year"),
    path("people/<int:person_pk>/backfill/", views.backfill_create_view, name="backfill"),
    path("backfills/<int:pk>/scan/", views.backfill_scan_view, name="backfill_scan"),
    path("<int:pk>/", views.verification_detail, name="detail"),
    path("<int:pk>/pdf/", views.verification_pdf, name="pdf"),
    path("<int:pk>/confirm/", views.verification_confirm_view, name="confirm"),
    path("<int:pk>/return/", views.verification_return_view, name="return"),
    path("<int:pk>/revoke/", views.verification_revoke_view, name="revoke"),
]
