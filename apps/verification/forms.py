from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.people.models import Person
from apps.verification import codes
from apps.verification.services import NEXT_LEVEL, cycle_validate, default_cycle


class VerificationForm(forms.Form):
    application_year = forms.IntegerField(label=_("Application year"))
    title_level = forms.ChoiceField(
        label=_("Title level applied for"), choices=Person.TitleLevel.choices
    )
    title_applied = forms.CharField(
        label=_("Title applied for"),
        max_length=50,
        help_text=_("For example 高级教师 or 副主任医师."),
    )
    cycle_start = forms.IntegerField(
        label=_("Tenure cycle from"),
        help_text=_("Default: the year after the current title was obtained."),
    )
    cycle_end = forms.IntegerField(
        label=_("Tenure cycle to"), help_text=_("Default: the year before the application.")
    )

    @classmethod
    def initial_for(cls, person: Person) -> dict[str, Any]:
        year = timezone.localdate().year
        initial: dict[str, Any] = {
            "application_year": year,
            "title_level": NEXT_LEVEL.get(person.title_level, Person.TitleLevel.INTERMEDIATE),
        }
        cycle = default_cycle(person=person, application_year=year)
        if cycle is not None:
            initial["cycle_start"], initial["cycle_end"] = cycle
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        years = [data.get(k) for k in ("application_year", "cycle_start", "cycle_end")]
        if all(isinstance(y, int) for y in years):
            application_year, start, end = years
            assert application_year is not None and start is not None and end is not None
            try:
                cycle_validate(application_year=application_year, cycle_start=start, cycle_end=end)
            except ValidationError as exc:
                for field, errors in exc.error_dict.items():
                    for error in errors:
                        self.add_error(field, error)
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class CheckForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("16 letters and digits, as printed under the QR code; dashes may be left out."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_code(self) -> str:
        code = codes.code_normalise(self.cleaned_data["code"])
        if code is None:
            raise ValidationError(
                _("A verification code has 16 letters and digits, like ABCD-EFGH-JKMN-PQRS.")
            )
        return code
