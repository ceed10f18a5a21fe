from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.access import PortalRequest, allow, allow_all_roles
from apps.accounts.forms import StaffLoginForm
from apps.accounts.models import Role, User
from apps.accounts.staff_logins import (
    IssuedLoginCode,
    staff_login_code_issue,
    staff_login_open,
    staff_login_suspend,
    staff_logins_of,
)
from apps.bases.forms import AuthorityForm
from apps.bases.models import Organiser
from apps.bases.selectors import authorities_visible_to, organisers_visible_to
from apps.bases.services import authority_save, organiser_set_active
from hefei_cpe.history import history_entries


@allow_all_roles
def organiser_list(request: PortalRequest) -> HttpResponse:
    """The published list of organisers: the city-level bases (Attachment 1) and the industry
    authorities. The city also sees inactive ones, and keeps the list."""
    organisers = list(organisers_visible_to(user=request.user))
    return render(
        request,
        "bases/organiser_list.html",
        {
            "bases": [o for o in organisers if not o.is_authority],
            "authorities": [o for o in organisers if o.is_authority],
        },
    )


def _authority_form(request: PortalRequest, authority: Organiser | None) -> HttpResponse:
    initial = (
        {"name": authority.name, "industry": authority.industry_id, "phone": authority.phone}
        if authority
        else None
    )
    form = AuthorityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = authority_save(user=request.user, authority=authority, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": saved.name})
            return redirect("bases:list")
    return render(request, "bases/authority_form.html", {"form": form, "authority": authority})


@allow(Role.CITY_OFFICER)
def authority_new(request: PortalRequest) -> HttpResponse:
    """Add an industry authority (行业主管部门) to the reference list."""
    return _authority_form(request, None)


@allow(Role.CITY_OFFICER)
def authority_edit(request: PortalRequest, pk: int) -> HttpResponse:
    """Correct an authority's name, industry or phone; a training base is not edited here."""
    authority = get_object_or_404(authorities_visible_to(user=request.user), pk=pk)
    return _authority_form(request, authority)


@allow(Role.CITY_OFFICER)
@require_POST
def organiser_toggle(request: PortalRequest, pk: int) -> HttpResponse:
    organiser = get_object_or_404(organisers_visible_to(user=request.user), pk=pk)
    organiser_set_active(organiser=organiser, active=not organiser.is_active)
    if organiser.is_active:
        messages.success(request, _("%(name)s is active again.") % {"name": organiser.name})
    else:
        messages.success(
            request,
            _("%(name)s is deactivated; its history is kept.") % {"name": organiser.name},
        )
    return redirect("bases:list")


@allow(Role.CITY_OFFICER)
def organiser_history(request: PortalRequest, pk: int) -> HttpResponse:
    """修改记录 of an organiser: who added, corrected or deactivated it, and when."""
    organiser = get_object_or_404(organisers_visible_to(user=request.user), pk=pk)
    return render(
        request,
        "history.html",
        {
            "subject": organiser.name,
            "back_url": reverse("bases:list"),
            "entries": history_entries(organiser),
        },
    )


def _organiser(request: PortalRequest, pk: int) -> Organiser:
    return get_object_or_404(organisers_visible_to(user=request.user), pk=pk)


def _staff_login(organiser: Organiser, user_pk: int) -> User:
    """A staff login of this organiser; another organiser's login is 404 here."""
    return get_object_or_404(User, pk=user_pk, role=Role.ORGANISER_STAFF, organiser=organiser)


def _issued_page(
    request: PortalRequest, organiser: Organiser, issued: IssuedLoginCode
) -> HttpResponse:
    response = render(
        request,
        "accounts/staff_login_code.html",
        {
            "party": organiser,
            "party_label": _("Organiser"),
            "issued": issued,
            "back_url": reverse("bases:staff", args=[organiser.pk]),
        },
    )
    response["Cache-Control"] = "no-store"  # the clear code is shown once
    return response


@allow(Role.CITY_OFFICER)
def organiser_staff(request: PortalRequest, pk: int) -> HttpResponse:
    """经办人账号: the organiser's staff logins; the city opens one with a one-time code."""
    organiser = _organiser(request, pk)
    form = StaffLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = staff_login_open(
                officer=request.user, organiser=organiser, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _issued_page(request, organiser, issued)
    return render(
        request,
        "bases/organiser_staff.html",
        {"organiser": organiser, "logins": staff_logins_of(organiser=organiser), "form": form},
    )


@allow(Role.CITY_OFFICER)
@require_POST
def organiser_staff_code(request: PortalRequest, pk: int, user_pk: int) -> HttpResponse:
    """A new one-time code for a staff login (to activate it, or to reset its password)."""
    organiser = _organiser(request, pk)
    issued = staff_login_code_issue(officer=request.user, account=_staff_login(organiser, user_pk))
    return _issued_page(request, organiser, issued)


@allow(Role.CITY_OFFICER)
@require_POST
def organiser_staff_suspend(request: PortalRequest, pk: int, user_pk: int) -> HttpResponse:
    organiser = _organiser(request, pk)
    active = request.POST.get("action") == "resume"
    account = staff_login_suspend(
        officer=request.user, account=_staff_login(organiser, user_pk), active=active
    )
    messages.success(
        request,
        (_("%(name)s can sign in again.") if active else _("%(name)s is suspended."))
        % {"name": account.full_name},
    )
    return redirect("bases:staff", pk=organiser.pk)
