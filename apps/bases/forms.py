from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.people.models import Industry


class AuthorityForm(forms.Form):
    """An industry authority of the city's reference list; `authority_save` checks it."""

    name = forms.CharField(
        label=_("Name of the authority"),
        max_length=100,
        help_text=_("As the department is officially called, e.g. 合肥市卫生健康委员会."),
    )
    industry = forms.ModelChoiceField(
        label=_("Industry it supervises"), queryset=Industry.objects.all()
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
