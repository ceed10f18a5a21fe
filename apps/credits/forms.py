"""The claim form: common fields plus the parameters of the chosen Attachment 3 kind."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.credits.claims import FIRST_CLAIM_YEAR
from apps.credits.evidence import MAX_BYTES, MAX_FILES
from apps.rules.table import ITEM_NUMBER_FIELDS

FieldMaker = Callable[[], forms.Field]


def _hours(label: Any, help_text: Any = "") -> FieldMaker:
    return lambda: forms.DecimalField(
        label=label,
        help_text=help_text,
        min_value=Decimal("0.1"),
        max_value=Decimal("2000"),
        decimal_places=1,
    )


def _count(
    label: Any, help_text: Any = "", minimum: int = 1, maximum: int = 100_000_000
) -> FieldMaker:
    return lambda: forms.IntegerField(
        label=label, help_text=help_text, min_value=minimum, max_value=maximum
    )


def _text(label: Any, help_text: Any = "") -> FieldMaker:
    return lambda: forms.CharField(label=label, help_text=help_text, max_length=100)


def _choice(label: Any, choices: list[tuple[str, Any]]) -> FieldMaker:
    return lambda: forms.ChoiceField(label=label, choices=choices)


_RANK = _count(_("Rank"), _("1 = first place; ranks beyond those credited earn no hours."))
_AWARD_RANK = _count(
    _("Your rank among the award's winners"),
    _(
        "1 = first. The award credits the lower of its grade's hours and your rank's hours; "
        "ranks beyond the third earn no hours."
    ),
)


def _number(label: Any, help_text: Any) -> FieldMaker:
    """An item's own number: required on claims, so the same item is never credited twice."""
    return lambda: forms.CharField(label=label, help_text=help_text, max_length=100)


_PATENT_NO = _number(
    _("Patent number"), _("As on the patent certificate, e.g. ZL 2021 1 0123456.7.")
)
_AWARD_NO = _number(_("Award certificate number"), _("As on the award certificate."))
_GRADE = _choice(
    _("Award grade"), [("1", _("First prize")), ("2", _("Second prize")), ("3", _("Third prize"))]
)
_PAPER_CHARS = _count(
    _("Characters of the paper you presented"),
    _("0 if you attended without a paper."),
    minimum=0,
)
_LEVEL3 = [("national", _("National")), ("provincial", _("Provincial")), ("city", _("City"))]

# kind -> parameter name -> field; kinds without parameters credit a fixed number of hours.
PARAMETERS: dict[str, dict[str, FieldMaker]] = {
    "public_course": {"topic": _text(_("Course topic"))},
    "computer_training": {"module": _text(_("Module"))},
    "computer_exam": {"module": _text(_("Module"))},
    "language_training": {"language": _text(_("Language"))},
    "language_exam": {"language": _text(_("Language"))},
    "ministry_training": {
        "hours": _hours(_("Recognised hours")),
        "days": _count(_("Days of training"), _("More than 20 days credits 120 hours.")),
    },
    "organized_training": {"hours": _hours(_("Hours recognised by the organiser"))},
    "base_training": {"hours": _hours(_("Hours approved on the filed plan"))},
    "degree_course": {"courses": _count(_("Courses passed"), maximum=100)},
    "self_study": {
        "hours": _hours(_("Assessed hours"), _("All self-study of a year counts up to 36 hours.")),
        "subject": _choice(
            _("Subject"),
            [("professional", _("Professional subjects")), ("public", _("Public subjects"))],
        ),
    },
    "national_conference": {"paper_chars": _PAPER_CHARS},
    "provincial_conference": {"paper_chars": _PAPER_CHARS},
    "research_project": {
        "level": _choice(_("Project level"), _LEVEL3),
        "role": _choice(_("Group"), [("main", _("Main project")), ("sub", _("Sub-project"))]),
        "rank": _RANK,
        "project_no": _number(
            _("Project number"),
            _("As in the project's approval document; a project is credited once a year."),
        ),
    },
    "book": {"chars": _count(_("Characters written by you"))},
    "paper": {
        "journal": _choice(
            _("Journal level"), [("national", _("National")), ("provincial", _("Provincial"))]
        ),
        "chars": _count(_("Characters")),
        "indexed": lambda: forms.BooleanField(
            label=_("Indexed by an international index (SCI, EI, SSCI …)"), required=False
        ),
        "paper_id": _text(
            _("Paper identifier"),
            _("DOI, or journal, issue and pages: the same paper is credited only once."),
        ),
    },
    "aid_service": {},
    "qualification_cert": {
        "cert_no": _number(
            _("Certificate number"),
            _("As on the certificate (管理号 or 证书编号); a certificate is credited once."),
        )
    },
    "teacher_training": {},
    "key_teacher": {
        "hours": _choice(_("Hours"), [("40", "40"), ("72", "72"), ("120", "120")]),
    },
    "principal_training": {},
    "invention_patent": {"rank": _RANK, "patent_no": _PATENT_NO},
    "utility_patent": {"rank": _RANK, "patent_no": _PATENT_NO},
    "provincial_award": {"grade": _GRADE, "rank": _AWARD_RANK, "award_no": _AWARD_NO},
    "city_award": {"grade": _GRADE, "rank": _AWARD_RANK, "award_no": _AWARD_NO},
    "new_technology": {
        "level": _choice(
            _("Level"),
            [
                ("international", _("International level")),
                ("national", _("Advanced in China")),
                ("provincial", _("Advanced in the province")),
            ],
        ),
        "rank": _RANK,
        "item_no": _number(
            _("Item number"),
            _("As in the industry authority's approval of the item; an item is credited once."),
        ),
    },
    "medical_credit": {
        "credits": lambda: forms.DecimalField(
            label=_("Credits"), min_value=Decimal("0.1"), max_value=Decimal(500), decimal_places=1
        )
    },
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


def _years() -> list[tuple[int, int]]:
    current = timezone.localdate().year
    return [(year, year) for year in range(current, FIRST_CLAIM_YEAR - 1, -1)]


class ClaimForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year of the activity"), coerce=int, choices=_years)
    title = forms.CharField(
        label=_("Name of the activity"),
        max_length=200,
        help_text=_("E.g. the paper's title, the project's name, the training's name."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args: Any,
        kind: str,
        with_files: bool = True,
        files_required: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.parameter_names = list(PARAMETERS[kind])
        for name, make in PARAMETERS[kind].items():
            self.fields[name] = make()
        if with_files:
            self.fields["evidence"] = MultipleFileField(
                label=_("Evidence"),
                help_text=_(
                    "PDF, JPEG or PNG; up to %(count)d files of %(size)d MB each: certificates, "
                    "the paper's pages, the award document …"
                )
                % {"count": MAX_FILES, "size": MAX_BYTES // (1024 * 1024)},
                required=files_required,
            )
            # Sent with the claim: the professional vouches for it (本人承诺信息属实).
            self.fields["attested"] = forms.BooleanField(
                label=_("I promise that the information is true (本人承诺信息属实)."),
                error_messages={
                    "required": _("Confirm that the information is true (本人承诺信息属实).")
                },
            )

    def params(self) -> dict[str, Any]:
        """The engine's parameters from cleaned data (JSON-safe)."""
        params: dict[str, Any] = {}
        for name in self.parameter_names:
            value = self.cleaned_data[name]
            if isinstance(value, Decimal):
                value = float(value) if value != value.to_integral() else int(value)
            elif name in ("grade", "hours") and isinstance(value, str):
                value = int(value)
            elif name in ITEM_NUMBER_FIELDS.values() and isinstance(value, str):
                value = value.strip()
            params[name] = value
        return params


class ReviewForm(forms.Form):
    opinion = forms.CharField(
        label=_("Review opinion"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting or returning; shown to the professional."),
    )


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the correction"), max_length=300)


# --- the filters of the officers' and unit administrators' lists -------------------------------

NO_TITLE_LEVEL = "none"


class PeopleHoursForm(forms.Form):
    """The filters of the people-with-hours list (GET). A value that is not one of the choices
    is an error on its field, never a 500; the list then shows everyone."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    q = forms.CharField(label=_("Name or full ID number"), required=False, max_length=60)
    # Typed, not picked from a list: a district has thousands of units, the city ~50,000.
    # A unit's name or part of it, its unified social credit code, or its id (from links).
    unit = forms.CharField(
        label=_("Unit"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Unit name or unified social credit code")}),
    )
    title_level = forms.ChoiceField(label=_("Title level"), required=False)
    industry: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Industry"), queryset=None, required=False, empty_label=_("All industries")
    )
    compliance = forms.ChoiceField(
        label=_("Compliance"),
        required=False,
        choices=[("", _("All")), ("compliant", _("Compliant")), ("short", _("Short"))],
    )

    # Up to this many units in scope, their names are offered as the field's suggestions.
    SUGGESTED_UNITS = 200

    def __init__(self, *args: Any, units: Any, industries: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from apps.people.models import Person

        current = timezone.localdate().year
        fields = cast(dict[str, Any], self.fields)  # typed per field below, not as Field
        fields["year"].choices = [
            (year, str(year)) for year in range(current, FIRST_CLAIM_YEAR - 1, -1)
        ]
        self.units = units
        self.unit_label = ""  # the unit filtered by, as the page names it
        names = list(units.values_list("name", flat=True)[: self.SUGGESTED_UNITS + 1])
        self.unit_suggestions = names if len(names) <= self.SUGGESTED_UNITS else []
        if self.unit_suggestions:
            fields["unit"].widget.attrs["list"] = "unit-suggestions"
        fields["industry"].queryset = industries
        fields["title_level"].choices = [
            ("", _("All title levels")),
            *Person.TitleLevel.choices,
            (NO_TITLE_LEVEL, _("No title level")),
        ]

    def clean_year(self) -> int:
        return self.cleaned_data.get("year") or timezone.localdate().year

    def clean_unit(self) -> tuple[int | None, str]:
        """(unit id, "") for one unit — an id or a credit code, or a name that only one unit
        in scope bears — or (None, text) for every unit in scope whose name contains the text;
        (None, "") for all units. Only units the user reaches are found: another district's
        unit is "not found", as an unknown one."""
        text = " ".join(self.cleaned_data.get("unit", "").split())
        if not text:
            return None, ""
        units = self.units
        if text.isdigit() and len(text) < 18:
            unit = units.filter(pk=int(text)).first()
        elif len(text) == 18 and text.isalnum():
            unit = units.filter(credit_code=text.upper()).first()
        else:
            unit = units.filter(name=text).first()
            if unit is None:
                if not units.filter(name__icontains=text).exists():
                    raise forms.ValidationError(
                        _("No unit you answer for has “%(text)s” in its name."),
                        params={"text": text},
                    )
                self.unit_label = text
                return None, text
        if unit is None:
            raise forms.ValidationError(_("No unit you answer for has this number or code."))
        self.unit_label = unit.name
        return unit.pk, ""


class ClaimQueueForm(forms.Form):
    """The filters of the claims queue (GET): kind, unit, submitted from … to."""

    kind = forms.ChoiceField(label=_("Activity"), required=False)
    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Unit"), queryset=None, required=False, empty_label=_("All units")
    )
    submitted_from = forms.DateField(
        label=_("Submitted from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    submitted_to = forms.DateField(
        label=_("Submitted until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, kinds: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = cast(dict[str, Any], self.fields)
        fields["kind"].choices = [("", _("All kinds")), *kinds]
        fields["unit"].queryset = units

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("submitted_from"), data.get("submitted_to")
        if start and end and start > end:
            self.add_error(
                "submitted_to", _("The end date is before the start date; swap the two dates.")
            )
        return data
