from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Role
from apps.filings import navigation as filings_nav
from apps.jobs import labels as jobs_labels
from apps.publiccourse.apps import NAV_LABEL as PUBLIC_COURSE
from apps.requirements.apps import NAV_LABEL as REQUIREMENTS
from apps.verification import labels as verification_labels

StrOrPromise = str | Promise

# (label, URL name, roles): the navigation bar of each role, in one place.
NAVIGATION: list[tuple[StrOrPromise, str, set[str]]] = [
    (_("Home"), "home", set(Role.values)),
    (_("My hours"), "credits:my_ledger", {Role.TRAINEE}),
    (_("Claim hours"), "credits:claim_new", {Role.TRAINEE}),
    (_("My claims"), "credits:claim_mine", {Role.TRAINEE}),
    (_("Claims to screen"), "credits:claim_queue", {Role.UNIT_ADMIN}),
    (_("Our people's hours"), "credits:people_hours", {Role.UNIT_ADMIN}),
    (_("Claims to review"), "credits:claim_queue", {Role.DISTRICT_OFFICER, Role.CITY_OFFICER}),
    (
        _("Professionals"),
        "people:list",
        {Role.DISTRICT_OFFICER, Role.CITY_OFFICER, Role.UNIT_ADMIN},
    ),
    (_("Hours and compliance"), "credits:people_hours", {Role.DISTRICT_OFFICER, Role.CITY_OFFICER}),
    (_("Units"), "units:list", {Role.DISTRICT_OFFICER, Role.CITY_OFFICER}),
    (_("Organisers"), "bases:list", set(Role.values)),
    (_("ID number access log"), "people:access_log", {Role.DISTRICT_OFFICER, Role.CITY_OFFICER}),
    (PUBLIC_COURSE, "publiccourse:topics", {Role.DISTRICT_OFFICER, Role.CITY_OFFICER}),
    (verification_labels.VERIFICATIONS, "verification:list", {Role.DISTRICT_OFFICER}),
    (verification_labels.REVIEW_QUEUE, "verification:review_queue", {Role.CITY_OFFICER}),
    (verification_labels.MINE, "verification:mine", {Role.TRAINEE}),
    (
        _("Compliance reports"),
        "reports:dashboard",
        {Role.DISTRICT_OFFICER, Role.CITY_OFFICER, Role.UNIT_ADMIN},
    ),
    (REQUIREMENTS, "requirements:list", {Role.CITY_OFFICER}),
    (_("Administration"), "admin:index", {Role.CITY_OFFICER}),
    # apps.filings
    (filings_nav.PLANS, "filings:plan_list", {Role.ORGANISER_STAFF}),
    (filings_nav.PLAN_FILINGS, "filings:queue", {Role.CITY_OFFICER}),
    # apps.jobs: everyone's own background jobs
    (jobs_labels.MY_JOBS, "jobs:list", set(Role.values)),
]


@lru_cache(maxsize=128)
def _url(name: str, prefix: str, urlconf: str) -> str:
    return reverse(name, urlconf=urlconf)


def nav_url(name: str) -> str:
    """`reverse(name)` of a URL without arguments, worked out once per process (and per
    script prefix and URLconf): the navigation bar of every page needs a dozen."""
    return _url(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


def navigation(request: HttpRequest) -> dict[str, object]:
    """The menu of the signed-in user's role (`nav_items`, and `nav_html`: the menu bar
    rendered) and the start of the breadcrumb trail."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    # Worked out afresh in development, where templates change under a running server.
    menu = _menu.__wrapped__ if settings.DEBUG else _menu
    items, html = menu(user.role, current, get_language(), get_script_prefix(), get_urlconf() or "")
    return {
        "nav_items": items,
        "nav_html": html,
        "breadcrumbs": _breadcrumbs(user.role, request.path, items),
    }


@lru_cache(maxsize=512)
def _menu(
    role: str, current: str, language: str | None, prefix: str, urlconf: str
) -> tuple[list[dict[str, object]], SafeString]:
    """A role's menu with the current page marked, and the menu bar rendered
    (portal/_nav.html): the same for every user of the role on the same page, so worked out
    once per process, role, page and language rather than on every request. (The arguments
    after `current` are the cache's key: what the labels and URLs depend on.)"""
    items = [
        {"label": str(label), "url": nav_url(name), "active": current == name}
        for label, name, roles in NAVIGATION
        if role in roles
    ]
    return items, mark_safe(render_to_string("portal/_nav.html", {"nav_items": items}))  # noqa: S308 (our template's escaped output)


# Officers' and unit administrators' pages lie several levels deep (a person, their ledger, an
# entry); theirs show a trail. A professional's pages are one level under the menu.
BREADCRUMB_ROLES = {Role.UNIT_ADMIN, Role.DISTRICT_OFFICER, Role.CITY_OFFICER}


def _breadcrumbs(
    role: str, path: str, items: Sequence[Mapping[str, object]]
) -> dict[str, object] | None:
    """The trail's start: the home page, then the menu section the page lies in (the item
    whose address is the longest prefix of this one), linked unless it is this very page.
    A page adds its own steps after these (templates/_crumb.html). None: no trail."""
    home = reverse("home")
    if role not in BREADCRUMB_ROLES or path == home:
        return None
    sections = [item for item in items if item["url"] != home and path.startswith(str(item["url"]))]
    section = max(sections, key=lambda item: len(str(item["url"])), default=None)
    return {
        "home": home,
        "section": section,
        "section_is_here": section is not None and section["url"] == path,
    }
