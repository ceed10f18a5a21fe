"""The ledger in the city's admin: to look at, never to touch (entries are evidence, and the
database refuses changes anyway; corrections go through the officers' pages)."""

from __future__ import annotations

from django.contrib import admin

from apps.credits.models import Claim, LedgerEntry, PersonYear
from hefei_cpe.admin import ReadOnlyAdmin


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["recorded_at", "person", "year", "kind", "subject", "hours", "source"]
    list_filter = ["year", "source", "subject", "kind"]
    list_select_related = ["person"]
    raw_id_fields = ["person", "reverses", "recorded_by"]
    show_full_result_count = False  # a million rows: no COUNT(*) on every page
    date_hierarchy = "recorded_at"


@admin.register(PersonYear)
class PersonYearAdmin(ReadOnlyAdmin):
    list_display = ["person", "year", "public", "professional", "total", "compliant"]
    list_filter = ["year", "compliant", "exempt"]
    list_select_related = ["person"]
    raw_id_fields = ["person"]
    show_full_result_count = False


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ["submitted_at", "person", "year", "kind", "title", "status", "reviewer_org"]
    list_filter = ["status", "kind", "year"]
    list_select_related = ["person"]
    raw_id_fields = ["person", "entry", "reviewed_by"]
    show_full_result_count = False
