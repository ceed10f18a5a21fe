from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from apps.bases.models import TrainingBase
from apps.bases.resources import TrainingBaseResource
from apps.bases.services import base_set_active
from hefei_cpe.sheets import UnreadableFile


@admin.register(TrainingBase)
class TrainingBaseAdmin(ImportExportModelAdmin):
    resource_classes = [TrainingBaseResource]
    list_display = ["name", "phone", "notice_rows", "is_active", "deactivated_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "phone"]
    readonly_fields = ["deactivated_at", "created_at"]
    actions = ["deactivate", "reactivate"]

    def add_data_read_fail_error_to_form(self, form: Any, e: Exception) -> None:
        """A file the one reader refused says why, in Chinese, not the exception's name."""
        if isinstance(e, UnreadableFile):
            form.add_error("import_file", e.message)
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # deactivate instead: a base never loses its history

    @admin.action(description=_("Deactivate the selected bases"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[TrainingBase]) -> None:
        for base in queryset.filter(is_active=True):
            base_set_active(base=base, active=False)
        messages.success(request, _("The selected bases are deactivated."))

    @admin.action(description=_("Reactivate the selected bases"))
    def reactivate(self, request: HttpRequest, queryset: QuerySet[TrainingBase]) -> None:
        for base in queryset.filter(is_active=False):
            base_set_active(base=base, active=True)
        messages.success(request, _("The selected bases are active again."))
