from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.access import OFFICERS, PortalRequest, allow
from apps.people.forms import UnitForm
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
