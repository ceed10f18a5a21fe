from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from apps.people.models import IdNumberAccess, Industry, Jurisdiction, Person, Unit
from apps.people.services import EDITABLE_FIELDS, person_update
from hefei_cpe.admin import ReadOnlyAdmin


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "sort_order"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "jurisdiction", "affiliation", "credit_code", "is_active"]
    list_filter = ["jurisdiction", "affiliation", "is_active"]
    list_select_related = ["jurisdiction"]
    search_fields = ["name", "credit_code"]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """Read-mostly: people are created and corrected through the officers' pages, which
    validate the ID number; here the number is only ever shown masked."""

    list_display = [
        "name",
        "id_number_masked",
        "gender",
        "unit",
        "title",
        "title_level",
        "industry",
    ]
    list_filter = ["title_level", "industry", "unit__jurisdiction"]
    list_select_related = ["unit", "industry"]
    search_fields = ["name", "unit__name"]
    readonly_fields = ["id_number_masked", "gender", "birth_date", "created_at", "updated_at"]
    fields = [
        "id_number_masked",
        "gender",
        "birth_date",
        *EDITABLE_FIELDS,
        "created_at",
        "updated_at",
    ]
    autocomplete_fields = ["unit"]

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        person_update(person=obj, **{field: getattr(obj, field) for field in EDITABLE_FIELDS})

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(IdNumberAccess)
class IdNumberAccessAdmin(ReadOnlyAdmin):
    list_display = ["accessed_at", "officer", "person", "purpose", "detail", "ip_address"]
    list_select_related = ["officer", "person"]
    date_hierarchy = "accessed_at"
    search_fields = ["officer__username", "officer__full_name", "person__name"]
