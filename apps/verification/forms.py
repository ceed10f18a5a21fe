from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.people.models import Person
from apps.verification import codes
from apps.verification.models import OPINION_MAX_LENGTH
from apps.verification.services import EARLIEST_YEAR, NEXT_LEVEL, opinion_check


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

    @classmethod
    def initial_for(cls, person: Person) -> dict[str, Any]:
        year = timezone.localdate().year
        initial: dict[str, Any] = {
            "application_year": year,
            "title_level": NEXT_LEVEL.get(person.title_level, Person.TitleLevel.INTERMEDIATE),
        }
        return initial

    def clean_application_year(self) -> int:
        year: int = self.cleaned_data["application_year"]
        this_year = timezone.localdate().year
        if not EARLIEST_YEAR < year <= this_year + 1:
            raise ValidationError(
                _("The application year must be between %(a)s and %(b)s.")
                % {"a": EARLIEST_YEAR + 1, "b": this_year + 1}
            )
        return year


class OpinionForm(forms.Form):
    """The officer's opinion (审核意见), written when issuing or recording a refusal."""

    opinion = forms.CharField(
        label=_("Verification opinion"),
        error_messages={
            "required": _("Write the verification opinion: why the hours are verified or refused.")
        },
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": OPINION_MAX_LENGTH}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opinion"].help_text = gettext(
            "Why the hours are verified or refused, in a few sentences (at most %(limit)d "
            "characters). Printed on the PDF and shown at the city's re-review; not on the "
            "public check page."
        ) % {"limit": OPINION_MAX_LENGTH}

    def clean_opinion(self) -> str:
        opinion: str = self.cleaned_data["opinion"]
        problem = opinion_check(opinion)
        if problem:
            raise ValidationError(problem)
        return opinion


class TitleYearForm(forms.Form):
    year = forms.IntegerField(label=_("Corrected year of the current title"))
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=300,
        help_text=_("For example: the title certificate No. … shows 2019."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BackfillForm(forms.Form):
    year = forms.IntegerField(label=_("Year"))
    public_hours = forms.DecimalField(
        label=_("Public hours"), min_value=0, max_digits=4, decimal_places=1
    )
    professional_hours = forms.DecimalField(
        label=_("Professional hours"), min_value=0, max_digits=4, decimal_places=1
    )
    booklet_number = forms.CharField(label=_("Booklet number"), max_length=50, required=False)
    scan = forms.FileField(
        label=_("Scan of the booklet page"),
        help_text=_("PDF, JPEG or PNG, as on claims."),
    )


class CycleSettingForm(forms.Form):
    title_level = forms.ChoiceField(
        label=_("Title level applied for"), choices=Person.TitleLevel.choices
    )
    years = forms.IntegerField(label=_("Latest years verified"), min_value=1, max_value=15)
    reason = forms.CharField(label=_("Reason"), max_length=300)


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
