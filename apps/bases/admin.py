from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from apps.bases.models import Organiser
from apps.bases.resources import TrainingBaseResource
from apps.bases.services import organiser_set_active
from hefei_cpe.sheets import UnreadableFile


@admin.register(Organiser)
class OrganiserAdmin(ImportExportModelAdmin):
    resource_classes = [TrainingBaseResource]
    list_display = [
        "name",
        "kind",
        "industry",
        "phone",
        "notice_rows",
        "is_active",
        "deactivated_at",
    ]
    list_filter = ["kind", "is_active"]
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
        return False  # deactivate instead: an organiser never loses its history

    @admin.action(description=_("Deactivate the selected organisers"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Organiser]) -> None:
        for organiser in queryset.filter(is_active=True):
            organiser_set_active(organiser=organiser, active=False)
        messages.success(request, _("The selected organisers are deactivated."))

    @admin.action(description=_("Reactivate the selected organisers"))
    def reactivate(self, request: HttpRequest, queryset: QuerySet[Organiser]) -> None:
        for organiser in queryset.filter(is_active=False):
            organiser_set_active(organiser=organiser, active=True)
        messages.success(request, _("The selected organisers are active again."))
