from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps import rules
from apps.accounts.access import PortalRequest, allow
from apps.accounts.models import Role
from apps.people.models import Industry
from apps.requirements.forms import RequirementForm
from apps.requirements.models import IndustryRequirement
from apps.requirements.selectors import industries_with_requirements
from apps.requirements.services import requirement_reset, requirement_set
from hefei_cpe.history import history_entries


def _requirement_of(industry: Industry) -> IndustryRequirement | None:
    try:
        return industry.requirement
    except IndustryRequirement.DoesNotExist:
        return None


@allow(Role.CITY_OFFICER)
def requirement_list(request: PortalRequest) -> HttpResponse:
    """Every industry with the requirement that applies to its people this year and since 2016."""
    table = rules.DEFAULT_TABLE
    rows = []
    for industry in industries_with_requirements():
        own = _requirement_of(industry)
        in_force = own is not None and own.in_force
        applied = own if in_force else table.default_requirement
        rows.append(
            {
                "industry": industry,
                "own": own,
                "in_force": in_force,
                "public": applied.public,  # type: ignore[union-attr]
                "professional": applied.professional,  # type: ignore[union-attr]
                "total": applied.total,  # type: ignore[union-attr]
            }
        )
    return render(
        request,
        "requirements/requirement_list.html",
        {
            "rows": rows,
            "default": table.default_requirement,
            "early": table.early_requirement,
            "early_before": table.early_before,
        },
    )


@allow(Role.CITY_OFFICER)
def requirement_edit(request: PortalRequest, pk: int) -> HttpResponse:
    industry = get_object_or_404(Industry, pk=pk)
    own = _requirement_of(industry)
    default = rules.DEFAULT_TABLE.default_requirement
    if own is not None and own.in_force:
        initial = {
            "public": own.public,
            "professional": own.professional,
            "total": own.total,
            "basis": own.basis,
        }
    else:
        initial = {
            "public": default.public,
            "professional": default.professional,
            "total": default.total,
            "basis": own.basis if own is not None else "",
        }
    form = RequirementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        requirement_set(
            industry=industry,
            public=data["public"],
            professional=data["professional"],
            basis=data["basis"],
            user=request.user,
        )
        messages.success(
            request,
            _(
                "%(industry)s: from now on public ≥ %(public)s, professional ≥ %(professional)s "
                "hours a year (from 2016); its people's totals are being recalculated."
            )
            % {
                "industry": industry.name,
                "public": data["public"],
                "professional": data["professional"],
            },
        )
        return redirect("requirements:list")
    return render(
        request,
        "requirements/requirement_form.html",
        {"industry": industry, "form": form, "own": own, "default": default},
    )


@allow(Role.CITY_OFFICER)
@require_POST
def requirement_reset_view(request: PortalRequest, pk: int) -> HttpResponse:
    industry = get_object_or_404(Industry, pk=pk)
    requirement_reset(industry=industry, user=request.user)
    messages.success(
        request,
        _("%(industry)s follows the notice's default requirement again.")
        % {"industry": industry.name},
    )
    return redirect("requirements:list")


@allow(Role.CITY_OFFICER)
def requirement_history(request: PortalRequest, pk: int) -> HttpResponse:
    """修改记录 of an industry's requirement: who set or withdrew which figures, and when."""
    industry = get_object_or_404(Industry, pk=pk)
    own = _requirement_of(industry)
    return render(
        request,
        "history.html",
        {
            "subject": _("the requirement of %(industry)s") % {"industry": industry.name},
            "back_url": reverse("requirements:list"),
            "entries": history_entries(own) if own is not None else [],
        },
    )
