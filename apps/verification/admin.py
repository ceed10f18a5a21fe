from __future__ import annotations

from django.contrib import admin

from apps.verification.models import Verification
from hefei_cpe.admin import ReadOnlyAdmin


@admin.register(Verification)
class VerificationAdmin(ReadOnlyAdmin):
    """Read only: verifications are issued, re-reviewed and revoked through the portal's pages."""

    list_display = [
        "issued_at",
        "person_name",
        "id_number_masked",
        "title_applied",
        "application_year",
        "total_hours",
        "status",
        "officer_org",
    ]
    list_filter = ["status", "title_level", "application_year", "jurisdiction"]
    search_fields = ["person_name", "code", "officer_org"]
    date_hierarchy = "issued_at"
    exclude = ["person", "officer", "reviewed_by", "revoked_by"]
