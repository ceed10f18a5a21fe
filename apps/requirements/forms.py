from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# A year holds at most 366 days; no industry asks more hours than this.
MAX_HOURS = Decimal(300)


def _hours(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal(0),
        max_value=MAX_HOURS,
        max_digits=5,
        decimal_places=1,
    )


class RequirementForm(forms.Form):
    public = _hours(gettext_lazy("Public subject hours"))
    professional = _hours(gettext_lazy("Professional subject hours"))
    total = _hours(gettext_lazy("Total hours"))
    basis = forms.CharField(
        label=gettext_lazy("Basis"),
        max_length=100,
        help_text=gettext_lazy("Who requires it, as the reasons quote it, e.g. 市卫生健康委规定."),
    )

    def clean_basis(self) -> str:
        return " ".join(self.cleaned_data["basis"].split())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        public, professional, total = (data.get(k) for k in ("public", "professional", "total"))
        if public is None or professional is None or total is None:
            return data
        if total <= 0:
            self.add_error("total", _("Total hours: a requirement of 0 hours is no requirement."))
        elif public + professional > total:
            self.add_error(
                "total",
                _(
                    "Total hours: public (%(public)s) plus professional (%(professional)s) "
                    "exceed the total %(total)s."
                )
                % {"public": public, "professional": professional, "total": total},
            )
        elif public + professional < total:
            # The engine assesses each subject on its own: a total above the two subjects'
            # sum would be a third, unassigned figure that no year could be checked against.
            self.add_error(
                "total",
                _(
                    "Total hours: the total must be public plus professional "
                    "(%(sum)s); each subject is assessed on its own."
                )
                % {"sum": public + professional},
            )
        return data
