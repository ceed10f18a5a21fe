"""Plans and rosters in the city's admin: to look at and export, never to edit (the city
acknowledges and returns plans on its own pages, rosters change only through the organiser)."""

from __future__ import annotations

from django.contrib import admin
from import_export.admin import ExportMixin

from apps.filings.models import Plan, RosterRow, RosterUpload
from apps.filings.resources import RosterRowExportResource
from hefei_cpe.admin import ReadOnlyAdmin


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["title", "organiser", "industry", "start_date", "end_date", "status"]
    list_filter = ["status", "mode", "industry"]
    search_fields = ["title", "organiser__name"]
    date_hierarchy = "start_date"
    list_select_related = ["organiser", "industry"]


@admin.register(RosterUpload)
class RosterUploadAdmin(ReadOnlyAdmin):
    list_display = ["plan", "filename", "uploaded_at", "row_count", "status", "credited_count"]
    list_filter = ["status"]
    exclude = ["payload"]
    list_select_related = ["plan"]


@admin.register(RosterRow)
class RosterRowAdmin(ExportMixin, ReadOnlyAdmin):
    resource_classes = [RosterRowExportResource]
    list_display = ["plan", "number", "name", "unit_name", "hours", "result"]
    list_filter = ["passed"]
    search_fields = ["name", "unit_name", "plan__title"]
    list_select_related = ["plan"]
    raw_id_fields = ["plan", "upload", "person"]
