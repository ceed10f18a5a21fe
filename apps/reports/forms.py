"""The report's query string: year, years of the trend, filters, order and the seek position.

Every field is optional; a bad value is reported by field name (in Chinese) and the page shows
no figures rather than figures for something else.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.people.models import Person
from apps.reports.selectors import SORTS, GroupFilter, PeopleFilter
from apps.reports.summaries import report_years

STATUS_CHOICES = [
    ("short", _("Short")),
    ("compliant", _("Compliant")),
    ("all", _("Everyone")),
]
SORT_CHOICES = [
    ("shortfall", _("Largest shortfall first")),
    ("hours", _("Fewest hours first")),
    ("registered", _("Order of registration")),
]
assert {key for key, _label in SORT_CHOICES} == set(SORTS)


def default_year() -> int:
    """The last finished year (the current one is still in progress)."""
    years = report_years()
    last_finished = timezone.localdate().year - 1
    return last_finished if last_finished in years else years[-1]


class ReportQueryForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    from_year = forms.TypedChoiceField(label=_("Trend from"), coerce=int, required=False)
    jurisdiction = forms.IntegerField(label=_("Jurisdiction"), required=False, min_value=1)
    industry = forms.IntegerField(label=_("Industry"), required=False, min_value=1)
    unit = forms.IntegerField(label=_("Unit"), required=False, min_value=1)
    title_level = forms.ChoiceField(label=_("Title level"), required=False)
    status = forms.ChoiceField(label=_("Who"), choices=STATUS_CHOICES, required=False)
    sort = forms.ChoiceField(label=_("Order"), choices=SORT_CHOICES, required=False)
    scope = forms.ChoiceField(
        label=_("Units"),
        choices=[("", _("In the city's scope")), ("out", _("Provincial and ministerial"))],
        required=False,
    )
    after = forms.RegexField(
        label=_("Page"), regex=r"^-?\d{1,7}(\.\d)?(\.\d{1,12})?$", required=False, max_length=40
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = [(y, str(y)) for y in report_years()]
        cast(forms.ChoiceField, self.fields["year"]).choices = years
        cast(forms.ChoiceField, self.fields["from_year"]).choices = years
        cast(forms.ChoiceField, self.fields["title_level"]).choices = [
            ("", _("All title levels")),
            *Person.TitleLevel.choices,
            ("none", _("No title level")),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year = data.get("year") or default_year()
        from_year = data.get("from_year") or report_years()[0]
        if from_year > year:
            self.add_error("from_year", _("The trend cannot start after the chosen year."))
        data["year"] = year
        data["from_year"] = from_year
        return data

    @property
    def years(self) -> list[int]:
        return list(range(self.cleaned_data["from_year"], self.cleaned_data["year"] + 1))

    def _title_level(self) -> str | None:
        level = self.cleaned_data.get("title_level") or None
        return "" if level == "none" else level

    def group_filter(self) -> GroupFilter:
        return GroupFilter(
            industry_id=self.cleaned_data.get("industry"), title_level=self._title_level()
        )

    def people_filter(self) -> PeopleFilter:
        return PeopleFilter(
            year=self.cleaned_data["year"],
            industry_id=self.cleaned_data.get("industry"),
            title_level=self._title_level(),
            unit_id=self.cleaned_data.get("unit"),
            status=self.cleaned_data.get("status") or "short",
            out_of_scope=self.cleaned_data.get("scope") == "out",
            sort=self.cleaned_data.get("sort") or "shortfall",
        )
