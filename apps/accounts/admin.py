from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import ActivationCode, Role, User
from hefei_cpe.admin import ReadOnlyAdmin


class StaffCreationForm(forms.ModelForm):
    """City officers create staff logins here; professionals activate their own accounts."""

    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput)

    class Meta:
        model = User
        fields = ["username", "full_name", "role", "organiser", "jurisdiction", "phone"]

    def clean_role(self) -> str:
        role = self.cleaned_data["role"]
        if role == Role.TRAINEE:
            raise forms.ValidationError(
                _("Professionals open their accounts with an activation code from their officer.")
            )
        return role

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password1"])
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = StaffCreationForm
    list_display = [
        "username",
        "full_name",
        "role",
        "jurisdiction",
        "organiser",
        "is_active",
        "last_login",
    ]
    list_filter = ["role", "is_active", "jurisdiction"]
    list_select_related = ["jurisdiction", "organiser", "person"]
    search_fields = ["username", "full_name"]
    ordering = ["role", "username"]
    filter_horizontal = []
    readonly_fields = ["person", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["username", "password", "full_name", "phone"]}),
        (_("Role"), {"fields": ["role", "person", "organiser", "jurisdiction", "is_active"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "fields": [
                    "username",
                    "full_name",
                    "role",
                    "organiser",
                    "jurisdiction",
                    "phone",
                    "password1",
                ]
            },
        ),
    ]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # deactivate a login instead: reviews keep naming their reviewer


@admin.register(ActivationCode)
class ActivationCodeAdmin(ReadOnlyAdmin):
    list_display = ["person", "issued_by", "issued_at", "expires_at", "used_at", "revoked_at"]
    list_select_related = ["person", "issued_by"]
    search_fields = ["person__name"]
    exclude = ["code_hash"]
