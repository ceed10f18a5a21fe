from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.access import PortalRequest, allow, allow_all_roles
from apps.accounts.models import Role
from apps.bases.selectors import bases_visible_to
from apps.bases.services import base_set_active
from hefei_cpe.history import history_entries


@allow_all_roles
def base_list(request: PortalRequest) -> HttpResponse:
    """The published list of city-level bases (Attachment 1). The city also sees inactive ones."""
    bases = bases_visible_to(user=request.user)
    return render(request, "bases/base_list.html", {"bases": bases})


@allow(Role.CITY_OFFICER)
@require_POST
def base_toggle(request: PortalRequest, pk: int) -> HttpResponse:
    base = get_object_or_404(bases_visible_to(user=request.user), pk=pk)
    base_set_active(base=base, active=not base.is_active)
    if base.is_active:
        messages.success(request, _("%(name)s is active again.") % {"name": base.name})
    else:
        messages.success(
            request,
            _("%(name)s is deactivated; its history is kept.") % {"name": base.name},
        )
    return redirect("bases:list")


@allow(Role.CITY_OFFICER)
def base_history(request: PortalRequest, pk: int) -> HttpResponse:
    """修改记录 of a base: who deactivated or corrected it, and when."""
    base = get_object_or_404(bases_visible_to(user=request.user), pk=pk)
    return render(
        request,
        "history.html",
        {
            "subject": base.name,
            "back_url": reverse("bases:list"),
            "entries": history_entries(base),
        },
    )
