from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.access import OFFICERS, PortalRequest, allow
from apps.accounts.forms import StaffLoginForm
from apps.accounts.models import Role, User
from apps.accounts.unit_admins import (
    IssuedLoginCode,
    unit_admin_code_issue,
    unit_admin_create,
    unit_admin_suspend,
    unit_admins_of,
)
from apps.people.forms import UnitForm
from apps.people.models import Unit
from apps.people.selectors import units_visible_to
from apps.people.services import unit_save
from hefei_cpe.history import history_entries

PAGE_SIZE = 50


@allow(*OFFICERS)
def unit_list(request: PortalRequest) -> HttpResponse:
    units = units_visible_to(user=request.user)
    query = request.GET.get("q", "").strip()
    if query:
        units = units.filter(Q(name__icontains=query) | Q(credit_code=query.upper()))
    units = units.annotate(people_count=Count("people")).order_by(
        "jurisdiction__sort_order", "name"
    )
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/unit_list.html", {"page": page, "query": query})


def _unit_form(request: PortalRequest, unit=None) -> HttpResponse:
    form = UnitForm(request.POST or None, instance=unit, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = unit_save(unit=form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": saved.name})
            return redirect("units:list")
    return render(request, "people/unit_form.html", {"form": form, "unit": unit})


@allow(*OFFICERS)
def unit_create(request: PortalRequest) -> HttpResponse:
    return _unit_form(request)


@allow(*OFFICERS)
def unit_edit(request: PortalRequest, pk: int) -> HttpResponse:
    return _unit_form(request, get_object_or_404(units_visible_to(user=request.user), pk=pk))


@allow(*OFFICERS)
def unit_history(request: PortalRequest, pk: int) -> HttpResponse:
    """修改记录 of a unit the officer may see."""
    unit = get_object_or_404(units_visible_to(user=request.user), pk=pk)
    return render(
        request,
        "history.html",
        {
            "subject": unit.name,
            "back_url": reverse("units:edit", args=[unit.pk]),
            "entries": history_entries(unit),
        },
    )


def _unit(request: PortalRequest, pk: int) -> Unit:
    return get_object_or_404(units_visible_to(user=request.user), pk=pk)


def _issued_page(request: PortalRequest, unit: Unit, issued: IssuedLoginCode) -> HttpResponse:
    response = render(
        request,
        "accounts/staff_login_code.html",
        {
            "party": unit,
            "party_label": _("Unit"),
            "issued": issued,
            "back_url": reverse("units:admins", args=[unit.pk]),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@allow(*OFFICERS)
def unit_admins(request: PortalRequest, pk: int) -> HttpResponse:
    """单位管理员: the unit's administrator logins; the officer opens one with a code."""
    unit = _unit(request, pk)
    form = StaffLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = unit_admin_create(officer=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _issued_page(request, unit, issued)
    return render(
        request,
        "people/unit_admins.html",
        {"unit": unit, "admins": unit_admins_of(unit=unit), "form": form},
    )


def _admin(request: PortalRequest, unit: Unit, user_pk: int) -> User:
    return get_object_or_404(User, pk=user_pk, role=Role.UNIT_ADMIN, unit=unit)


@allow(*OFFICERS)
@require_POST
def unit_admin_code(request: PortalRequest, pk: int, user_pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    issued = unit_admin_code_issue(officer=request.user, account=_admin(request, unit, user_pk))
    return _issued_page(request, unit, issued)


@allow(*OFFICERS)
@require_POST
def unit_admin_suspend_view(request: PortalRequest, pk: int, user_pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    active = request.POST.get("action") == "resume"
    account = unit_admin_suspend(
        officer=request.user, account=_admin(request, unit, user_pk), active=active
    )
    messages.success(
        request,
        (_("%(name)s can sign in again.") if active else _("%(name)s is suspended."))
        % {"name": account.full_name},
    )
    return redirect("units:admins", pk=unit.pk)
