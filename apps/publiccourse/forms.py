from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.publiccourse.models import PublicTopic


class TopicForm(forms.ModelForm):
    class Meta:
        model = PublicTopic
        fields = ["year", "title", "sort_order", "is_active"]
        help_texts = {
            "title": _("As the provincial platform names it; 《》 and quotes may be left out."),
            "sort_order": _("Topics of a year are listed in this order."),
            "is_active": _("A closed topic keeps its results but accepts no more imports."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].widget = forms.NumberInput(attrs={"min": 1990, "max": 2100})
        self.fields["title"].widget.attrs["size"] = 60
        if self.instance.pk:
            del self.fields["year"]  # a topic belongs to its year
            if self.instance.results.exists():
                self.fields["title"].disabled = True
                self.fields["title"].help_text = _(
                    "Results of this topic are imported already; it cannot be renamed."
                )
        else:
            del self.fields["is_active"]
            self.fields["sort_order"].required = False
            self.fields["sort_order"].initial = None  # empty: after the year's last topic

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not 1990 <= year <= 2100:
            raise forms.ValidationError(_("Give a year between 1990 and 2100."))
        return year

    def validate_unique(self) -> None:
        """Uniqueness is the service's to say (it also matches titles written differently)."""


class ResultsImportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year of the exam"), coerce=int)
    file = forms.FileField(
        label=_("Results file"),
        help_text=_("Excel (.xlsx) or CSV, with the columns 身份证号码, 姓名, 专题, 考试结果."),
    )
    skip_unknown = forms.BooleanField(
        label=_("Skip people not registered in the portal"),
        required=False,
        help_text=_(
            "Without this, a row of someone the portal does not know stops the import: the "
            "portal cannot credit a person who is not registered with their unit."
        ),
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)
        year_field.choices = [(y, str(y)) for y in years]
