from django.urls import path

from apps.credits import views

app_name = "credits"
urlpatterns = [
    path("ledger/", views.my_ledger, name="my_ledger"),
    path("ledger/people/<int:pk>/", views.person_ledger, name="person_ledger"),
    path("ledger/people/", views.people_hours_view, name="people_hours"),
    path("ledger/unit/", views.unit_people, name="unit_people"),
    path("ledger/entries/<int:pk>/reverse/", views.entry_reverse_view, name="entry_reverse"),
    path("claims/new/", views.claim_new, name="claim_new"),
    path("claims/new/<slug:kind>/", views.claim_create, name="claim_create"),
    path("claims/new/<slug:kind>/preview/", views.claim_preview_view, name="claim_preview"),
    path("claims/mine/", views.claim_mine, name="claim_mine"),
    path("claims/review/", views.claim_queue, name="claim_queue"),
    path("claims/review/approve/", views.claim_approve_bulk, name="claim_approve_bulk"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/correct/", views.claim_correct, name="claim_correct"),
    path("claims/<int:pk>/withdraw/", views.claim_withdraw_view, name="claim_withdraw"),
    path("claims/<int:pk>/review/", views.claim_review, name="claim_review"),
    path("claims/<int:pk>/evidence/<int:evidence_pk>/", views.evidence_file, name="evidence_file"),
]
