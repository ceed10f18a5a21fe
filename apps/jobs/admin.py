from django.contrib import admin
from django.http import HttpRequest

from apps.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("label", "owner", "status", "done", "total", "created_at", "finished_at")
    list_filter = ("status", "kind")
    search_fields = ("label",)
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
