from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.people import creditcode, idnumber
from apps.people.models import Person, Unit
from apps.people.permissions import may_place_units_anywhere
from apps.people.selectors import jurisdictions_visible_to, units_visible_to
from apps.people.services import EDITABLE_FIELDS


class PersonForm(forms.ModelForm):
    """Create or correct a professional. The unit list holds the officer's jurisdiction only."""

    id_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=40,
        help_text=_("18 characters; full-width digits and a lower-case x are accepted."),
    )

    class Meta:
        model = Person
        fields = list(EDITABLE_FIELDS)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units_visible_to(user=user).filter(is_active=True)
        if user.scope.unit_id is not None:  # a unit administrator registers into its unit
            unit_field.initial = user.scope.unit_id
            unit_field.empty_label = None
        if self.instance.pk:
            del self.fields["id_number"]  # the number of a registered person never changes
        else:
            self.order_fields(["name", "id_number"])

    def clean_id_number(self) -> str:
        # Whether the number is already registered is person_create()'s to say.
        return idnumber.parse(self.cleaned_data["id_number"]).number


class UnitForm(forms.ModelForm):
    """Register or correct an employer. A district officer registers units of their own
    jurisdiction only; the city may place a unit anywhere."""

    class Meta:
        model = Unit
        fields = ["name", "credit_code", "jurisdiction", "affiliation", "is_active"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        jurisdiction_field = self.fields["jurisdiction"]
        assert isinstance(jurisdiction_field, forms.ModelChoiceField)
        jurisdiction_field.queryset = jurisdictions_visible_to(user=user)
        self.fields["credit_code"].help_text = _("18 characters per GB 32100-2015; optional.")
        if not may_place_units_anywhere(user.scope):
            self.fields["jurisdiction"].initial = user.scope.jurisdiction_id

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_credit_code(self) -> str:
        raw = self.cleaned_data.get("credit_code", "")
        return creditcode.parse(raw) if raw.strip() else ""
