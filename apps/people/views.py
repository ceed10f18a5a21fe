from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.access import OFFICERS, PortalRequest, allow
from apps.accounts.models import Role
from apps.accounts.services import IssuedCode, activation_code_issue, activation_codes_issue
from apps.jobs.services import job_submit_once
from apps.people import idnumber
from apps.people.forms import PersonForm
from apps.people.importing import (
    import_drafts,
    import_template,
    import_warnings,
    people_import_check,
    people_import_confirm,
    people_import_discard,
)
from apps.people.models import IdNumberAccess, Person, PersonImport
from apps.people.selectors import (
    jurisdictions_visible_to,
    people_search,
    people_visible_to,
    person_get_for_user,
    person_import_get_for_user,
    units_visible_to,
)
from apps.people.services import (
    EDITABLE_FIELDS,
    person_create,
    person_reveal_id_number,
    person_update,
)
from apps.people.tasks import IMPORT_CONFIRM_KIND
from hefei_cpe.history import history_entries
from hefei_cpe.uploads import confirm_in_background
from hefei_cpe.xlsx import CONTENT_TYPE, XlsxWriter

PAGE_SIZE = 50
PREVIEW_ROWS = 200
PROBLEMS_SHOWN = 1000
XLSX = CONTENT_TYPE
BULK_LIMIT = 5000  # activation codes per sheet: a sheet an office can print and hand out

# Who registers people and issues their codes: the officers, and a unit administrator for
# its own unit (the scope limits every list, form and import row to it).
REGISTRARS = (*OFFICERS, Role.UNIT_ADMIN)


def _filtered_people(request: PortalRequest) -> QuerySet[Person]:
    people = people_visible_to(user=request.user).select_related("account")
    people = people_search(people=people, query=request.GET.get("q", ""))
    unit = request.GET.get("unit", "")
    if unit.isdigit():
        people = people.filter(unit_id=int(unit))
    jurisdiction = request.GET.get("jurisdiction", "")
    if jurisdiction.isdigit():
        people = people.filter(unit__jurisdiction_id=int(jurisdiction))
    account = request.GET.get("account", "")
    if account == "none":
        people = people.filter(account__isnull=True)
    elif account == "active":
        people = people.filter(account__isnull=False)
    return people


@allow(*REGISTRARS)
def person_list(request: PortalRequest) -> HttpResponse:
    if request.method == "POST":
        return _search_redirect(request)
    people = _filtered_people(request).order_by("unit_id", "name", "id")  # indexed
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/person_list.html",
        {
            "page": page,
            # The city picks a jurisdiction; a unit is found by typing its name in the search.
            "jurisdictions": jurisdictions_visible_to(user=request.user)
            if request.user.scope.whole_city
            else None,
            "query": request.GET.get("q", ""),
            "jurisdiction_filter": request.GET.get("jurisdiction", ""),
            "unit_filter": units_visible_to(user=request.user)
            .filter(pk=int(request.GET["unit"]))
            .first()
            if request.GET.get("unit", "").isdigit()
            else None,
            "account_filter": request.GET.get("account", ""),
            "querystring": request.GET.urlencode(),
        },
    )


def _search_redirect(request: PortalRequest) -> HttpResponse:
    """The search form posts, so a full ID number never lands in a URL (browser history,
    server logs): an ID number goes straight to its person; other filters come back as GET."""
    query = request.POST.get("q", "").strip()
    try:
        number = idnumber.parse(query).number
    except ValidationError:
        number = None
    if number is not None:
        person = people_search(people=people_visible_to(user=request.user), query=number).first()
        if person is None:
            messages.error(
                request, _("Nobody with this ID number is registered in your jurisdiction.")
            )
            return redirect("people:list")
        return redirect("people:detail", pk=person.pk)
    params = {k: request.POST.get(k, "").strip() for k in ("q", "unit", "jurisdiction", "account")}
    return redirect(
        reverse("people:list") + "?" + urlencode({k: v for k, v in params.items() if v})
    )


@allow(*REGISTRARS)
def person_create_view(request: PortalRequest) -> HttpResponse:
    form = PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person = person_create(
                id_number=form.cleaned_data["id_number"],
                **{field: form.cleaned_data[field] for field in EDITABLE_FIELDS},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": person.name})
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": None})


@allow(*REGISTRARS)
def person_detail(request: PortalRequest, pk: int) -> HttpResponse:
    person = person_get_for_user(user=request.user, pk=pk)
    account = getattr(person, "account", None)  # None when no account is open yet
    open_code = person.activation_codes.filter(
        used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).first()
    return render(
        request,
        "people/person_detail.html",
        {"person": person, "account": account, "open_code": open_code},
    )


@allow(*REGISTRARS)
def person_history(request: PortalRequest, pk: int) -> HttpResponse:
    """修改记录: who changed what on this person, and when, before → after."""
    person = person_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "history.html",
        {
            "subject": person.name,
            "back_url": reverse("people:detail", args=[person.pk]),
            "entries": history_entries(person),
        },
    )


@allow(*REGISTRARS)
def person_edit(request: PortalRequest, pk: int) -> HttpResponse:
    person = person_get_for_user(user=request.user, pk=pk)
    form = PersonForm(request.POST or None, instance=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person_update(person=person, **{f: form.cleaned_data[f] for f in EDITABLE_FIELDS})
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("The details of %(name)s are saved.") % {"name": person.name}
            )
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person})


@allow(*OFFICERS)
@require_POST
def person_id_number(request: PortalRequest, pk: int) -> HttpResponse:
    """Open the full ID number; the opening is logged (who, whom, when)."""
    person = person_get_for_user(user=request.user, pk=pk)
    number = person_reveal_id_number(
        officer=request.user, person=person, ip_address=request.META.get("REMOTE_ADDR")
    )
    response = render(request, "people/person_id_number.html", {"person": person, "number": number})
    response["Cache-Control"] = "no-store"
    return response


@allow(*REGISTRARS)
@require_POST
def person_issue_code(request: PortalRequest, pk: int) -> HttpResponse:
    person = person_get_for_user(user=request.user, pk=pk)
    issued = activation_code_issue(officer=request.user, person=person)
    response = render(request, "people/activation_code.html", {"person": person, "issued": issued})
    response["Cache-Control"] = "no-store"
    return response


@allow(*REGISTRARS)
@require_POST
def people_issue_codes(request: PortalRequest) -> HttpResponse:
    """Bulk: codes for the ticked people, or for everyone in the filter who has no account,
    as an Excel sheet to print and hand out."""
    if request.POST.get("scope") == "filter_without_account":
        people = list(_filtered_people(request).filter(account__isnull=True)[: BULK_LIMIT + 1])
        if len(people) > BULK_LIMIT:
            messages.error(
                request,
                _("More than %(limit)d people match; narrow the filter (e.g. by unit) first.")
                % {"limit": BULK_LIMIT},
            )
            return redirect(reverse("people:list") + "?" + request.GET.urlencode())
    else:
        raw_ids = request.POST.getlist("person")
        if not raw_ids or not all(raw.isdigit() for raw in raw_ids):
            messages.error(request, _("Select at least one professional."))
            return redirect("people:list")
        ids = {int(raw) for raw in raw_ids}
        people = list(people_visible_to(user=request.user).filter(pk__in=ids))
        if len(people) != len(ids):
            messages.error(request, _("Some selected professionals are not in your jurisdiction."))
            return redirect("people:list")
    if not people:
        messages.error(request, _("Nobody in this selection needs an activation code."))
        return redirect("people:list")
    issued = activation_codes_issue(officer=request.user, people=people)
    return _codes_workbook(issued)


def _codes_workbook(issued: list[IssuedCode]) -> HttpResponse:
    writer = XlsxWriter(title=_("Activation codes"), widths=(12, 22, 30, 18, 14))
    writer.heading(
        [
            _("Name"),
            _("Resident ID number"),
            _("Unit"),
            _("Activation code"),
            _("Valid until"),
        ]
    )
    for item in issued:
        writer.row(
            [
                item.person.name,
                item.person.id_number_masked,
                item.person.unit.name,
                item.code,
                timezone.localtime(item.expires_at).strftime("%Y-%m-%d"),
            ]
        )
    response = HttpResponse(writer.getvalue(), content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="activation-codes-{stamp}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


@allow(*OFFICERS)
def access_log(request: PortalRequest) -> HttpResponse:
    """Who opened whose ID number, for the people this officer may see."""
    visible = people_visible_to(user=request.user)
    entries = (
        IdNumberAccess.objects.filter(person__in=visible)
        .select_related("officer", "person")
        .order_by("-accessed_at", "-id")
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/access_log.html", {"page": page})


@allow(*REGISTRARS)
def people_import_view(request: PortalRequest) -> HttpResponse:
    """Register many professionals from one sheet: checked whole, then previewed, then
    confirmed; with any problem nothing is kept and every problem is listed."""
    report = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose the Excel file to import."))
            return redirect("people:import")
        report = people_import_check(officer=request.user, file=upload, filename=upload.name or "")
        if report.upload is not None:
            return redirect("people:import_preview", pk=report.upload.pk)
    return render(
        request,
        "people/person_import.html",
        {
            "report": report,
            "problems": report.problems[:PROBLEMS_SHOWN] if report else [],
            "problems_hidden": max(len(report.problems) - PROBLEMS_SHOWN, 0) if report else 0,
        },
    )


@allow(*REGISTRARS)
def people_import_preview(request: PortalRequest, pk: int) -> HttpResponse:
    upload = person_import_get_for_user(user=request.user, pk=pk)
    drafts = import_drafts(upload)[:PREVIEW_ROWS]
    return render(
        request,
        "people/person_import_preview.html",
        {
            "upload": upload,
            "rows": [
                {"row": d.row, "name": d.name, "id_masked": idnumber.mask(d.id_number)}
                for d in drafts
            ],
            "rows_hidden": max(upload.row_count - PREVIEW_ROWS, 0),
            "warnings": import_warnings(upload),
            "awaiting": upload.status == PersonImport.Status.CHECKED,
        },
    )


@allow(*REGISTRARS)
@require_POST
def people_import_confirm_view(request: PortalRequest, pk: int) -> HttpResponse:
    upload = person_import_get_for_user(user=request.user, pk=pk)
    if confirm_in_background(upload.row_count):
        return _confirm_by_job(request, upload)
    try:
        upload = people_import_confirm(upload=upload, officer=request.user)
    except ValidationError as exc:
        for message in exc.messages[:20]:
            messages.error(request, message)
        return redirect("people:import")
    messages.success(
        request,
        _("%(created)d professionals registered, %(unchanged)d already registered.")
        % {"created": upload.created_count, "unchanged": upload.unchanged_count},
    )
    return redirect("people:list")


def _confirm_by_job(request: PortalRequest, upload: PersonImport) -> HttpResponse:
    """A large import is written by a background job; the officer watches its progress."""
    with transaction.atomic():
        upload = PersonImport.objects.select_for_update().get(pk=upload.pk)
        if upload.status != PersonImport.Status.CHECKED:
            messages.error(
                request,
                _("This upload is no longer awaiting confirmation; upload the file again."),
            )
            return redirect("people:import")
        job, new = job_submit_once(
            owner=request.user,
            kind=IMPORT_CONFIRM_KIND,
            label=_("Import professionals: %(file)s (%(rows)d rows)")
            % {"file": upload.filename, "rows": upload.row_count},
            params={"upload": upload.pk},
            total=upload.row_count,
        )
    if not new:
        messages.info(request, _("This upload is being confirmed already."))
    return redirect("jobs:detail", pk=job.pk)


@allow(*REGISTRARS)
@require_POST
def people_import_discard_view(request: PortalRequest, pk: int) -> HttpResponse:
    upload = person_import_get_for_user(user=request.user, pk=pk)
    people_import_discard(upload=upload)
    messages.success(request, _("The preview is discarded; nothing was imported."))
    return redirect("people:import")


@allow(*REGISTRARS)
def people_import_template(request: PortalRequest) -> HttpResponse:
    response = HttpResponse(import_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="people-import-template.xlsx"'
    return response
