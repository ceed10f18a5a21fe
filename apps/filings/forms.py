from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.bases.models import Organiser
from apps.filings.models import Plan
from apps.filings.services import earliest_start
from apps.people.models import Industry


class PlanForm(forms.Form):
    """The fields an organiser files; the 15-day rule itself is `plan_file`'s to apply. An
    industry authority's plan is of the industry it supervises: the field is fixed to it."""

    title = forms.CharField(label=_("Training title"), max_length=200)
    industry = forms.ModelChoiceField(
        label=_("Industry"), queryset=Industry.objects.all(), empty_label=None
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=Plan.Mode.choices)
    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(label=_("End date"), widget=forms.DateInput(attrs={"type": "date"}))
    planned_hours = forms.DecimalField(
        label=_("Planned hours"),
        max_digits=6,
        decimal_places=1,
        min_value=0.1,
        max_value=1000,
        help_text=_("Hours with at most one decimal place, e.g. 24 or 17.5."),
    )
    place = forms.CharField(
        label=_("Place or platform"),
        max_length=200,
        help_text=_("The address of a face-to-face training, the platform of an online one."),
    )

    def __init__(self, *args: Any, organiser: Organiser | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organiser is not None and organiser.is_authority:
            industry = self.fields["industry"]
            industry.initial = organiser.industry_id
            industry.disabled = True
            industry.help_text = _(
                "An industry authority files plans of the industry it supervises."
            )
        earliest = earliest_start()
        self.fields["start_date"].help_text = _(
            "Plans are filed at least 15 calendar days ahead: the earliest start today is %(date)s."
        ) % {"date": earliest.isoformat()}
        self.fields["start_date"].widget.attrs["min"] = earliest.isoformat()


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("Why the plan is returned"), max_length=300)
