from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.accounts.services import account_activate


class PortalAuthenticationForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Resident ID number or login name"),
        max_length=40,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The ID number (or login name) and password do not match. After several failed "
            "attempts the account is locked for a while."
        ),
    }


class ActivationForm(forms.Form):
    id_number = forms.CharField(label=_("Resident ID number"), max_length=40)
    code = forms.CharField(
        label=_("Activation code"),
        max_length=20,
        help_text=_("The one-time code your district office gave you, e.g. K7P3-M9XQ-2RTA."),
    )
    password1 = forms.CharField(
        label=_("New password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("New password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    user: User | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        if data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
            return data
        try:
            self.user = account_activate(
                id_number=data["id_number"], code=data["code"], password=data["password1"]
            )
        except ValidationError as exc:
            self.add_error(None, exc)
        return data


class StaffLoginForm(forms.Form):
    """A staff login opened by an office (a unit's administrator, an organiser's staff);
    `staff_login_open` checks it and names the field of every problem."""

    full_name = forms.CharField(label=_("Full name"), max_length=50)
    username = forms.CharField(
        label=_("Login name"),
        max_length=40,
        help_text=_("3–40 lower-case letters, digits, '.', '_' or '-', starting with a letter."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)


class StaffActivationForm(ActivationForm):
    """The holder of a staff login (a unit administrator, an organiser's staff member) opens
    it with the login name and the code from the office that opened it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["id_number"]
        self.fields["username"] = forms.CharField(label=_("Login name"), max_length=40)
        self.fields["code"].help_text = _(
            "The one-time code from the office that opened your login, e.g. K7P3-M9XQ-2RTA."
        )
        self.order_fields(["username", "code", "password1", "password2"])

    def clean(self) -> dict[str, Any]:
        data = forms.Form.clean(self) or {}
        if self.errors:
            return data
        if data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
            return data
        from apps.accounts.staff_logins import staff_login_activate

        try:
            self.user = staff_login_activate(
                username=data["username"], code=data["code"], password=data["password1"]
            )
        except ValidationError as exc:
            self.add_error(None, exc)
        return data
