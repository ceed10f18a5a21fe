"""hefei_cpe.pagecache: a whole page served from the cache only to the same user at the same
address with the same content key, with a fresh, working CSRF token each time; never for a
POST, an error, a page with messages, or a page its view marked."""

from __future__ import annotations

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from apps.accounts.models import Role
from hefei_cpe.pagecache import not_cached, page_cached, page_in_frame
from tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


def request_for(user, path="/ledger/", method="get"):
    request = getattr(RequestFactory(), method)(path)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


class Renders:
    def __init__(self, status=200, mark=False):
        self.count = 0
        self.status = status
        self.mark = mark

    def __call__(self, request):
        def render():
            self.count += 1
            token = get_token(request)
            html = (
                f'<p>{self.count}</p><input type="hidden" name="csrfmiddlewaretoken" '
                f'value="{token}">'
            )
            response = HttpResponse(html, status=self.status)
            return not_cached(response) if self.mark else response

        return render


def test_an_identical_request_is_served_from_the_cache_with_its_own_token(person):
    user = make_user(Role.TRAINEE, person=person)
    renders = Renders()
    first_request, second_request = request_for(user), request_for(user)
    first = page_cached(first_request, ["v1"], renders(first_request))
    second = page_cached(second_request, ["v1"], renders(second_request))
    assert renders.count == 1
    assert b"<p>1</p>" in first.content and b"<p>1</p>" in second.content
    (token_1,) = TOKEN.findall(first.content.decode())
    (token_2,) = TOKEN.findall(second.content.decode())
    assert token_1 != token_2 and "\x00" not in second.content.decode()


def test_another_key_user_address_or_language_renders_afresh(person, other_person):
    user = make_user(Role.TRAINEE, person=person)
    other = make_user(Role.TRAINEE, person=other_person)
    renders = Renders()
    for request, key in (
        (request_for(user), ["v1"]),
        (request_for(user), ["v2"]),
        (request_for(other), ["v1"]),
        (request_for(user, "/ledger/?year=2024"), ["v1"]),
    ):
        page_cached(request, key, renders(request))
    assert renders.count == 4
    with translation.override("en"):
        request = request_for(user)
        page_cached(request, ["v1"], renders(request))
    assert renders.count == 5


@pytest.mark.parametrize("case", ["post", "error", "marked", "messages", "off"])
def test_pages_that_are_never_kept(person, settings, case):
    user = make_user(Role.TRAINEE, person=person)
    renders = Renders(status=404 if case == "error" else 200, mark=case == "marked")
    if case == "off":
        settings.PAGE_CACHE_SECONDS = 0
    for _ in range(2):
        request = request_for(user, method="post" if case == "post" else "get")
        if case == "messages":
            messages.success(request, "已保存")
        page_cached(request, ["v1"], renders(request))
    assert renders.count == 2


def test_the_cached_ledger_pages_token_signs_out(person):
    """The second, cached, page's token passes Django's CSRF check on the sign-out form."""
    user = make_user(Role.TRAINEE, person=person)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="apps.accounts.backends.PortalBackend")
    url = reverse("credits:my_ledger")
    first = client.get(url).content.decode()
    second = client.get(url).content.decode()
    assert TOKEN.findall(first) != TOKEN.findall(second)
    assert TOKEN.sub("", first) == TOKEN.sub("", second)
    token = TOKEN.search(second).group(1)
    response = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.get(url).status_code == 302  # signed out: back to the sign-in page


def test_two_trainees_at_the_same_address_see_their_own_ledgers(person):
    other_person = make_person(unit=person.unit, name="赵六")
    users = {
        person.name: make_user(Role.TRAINEE, person=person),
        "赵六": make_user(Role.TRAINEE, person=other_person),
    }
    url = reverse("credits:my_ledger")
    for _ in range(2):  # the second round is served from the cache
        for name, user in users.items():
            client = Client()
            client.force_login(user, backend="apps.accounts.backends.PortalBackend")
            page = client.get(url).content.decode()
            other_name = next(n for n in users if n != name)
            assert name in page and other_name not in page


class Frame:
    """A page of a frame (with a form, so a CSRF token) and an inside: counts the renderings."""

    def __init__(self, request):
        self.request = request
        self.frames = 0
        self.insides = 0

    def frame(self, inside):
        self.frames += 1
        token = get_token(self.request)
        return HttpResponse(
            f'<h1>{self.frames}</h1><input type="hidden" name="csrfmiddlewaretoken" '
            f'value="{token}"><main>{inside}</main>'
        )

    def inside(self):
        self.insides += 1
        return f"<p>figures {self.insides}</p>"


def test_a_kept_frame_gets_a_new_inside_and_its_own_token(person):
    user = make_user(Role.TRAINEE, person=person)
    pages = []
    for _ in range(3):
        request = request_for(user)
        renders = Frame(request)
        pages.append((page_in_frame(request, ["f1"], renders.frame, renders.inside), renders))
    assert [r.frames for _, r in pages] == [1, 0, 0]  # the frame once, then from the cache
    assert [r.insides for _, r in pages] == [1, 1, 1]  # the inside every time
    html = [response.content.decode() for response, _ in pages]
    assert all("<h1>1</h1>" in h and "<main><p>figures 1</p></main>" in h for h in html)
    tokens = [TOKEN.findall(h)[0] for h in html]
    assert len(set(tokens)) == 3 and all("\x00" not in h for h in html)


@pytest.mark.parametrize("case", ["other key", "messages", "off"])
def test_a_frame_is_rendered_again(person, settings, case):
    user = make_user(Role.TRAINEE, person=person)
    if case == "off":
        settings.PAGE_CACHE_SECONDS = 0
    frames = 0
    for key in (["f1"], ["f2"] if case == "other key" else ["f1"]):
        request = request_for(user)
        if case == "messages":
            messages.success(request, "已保存")
        renders = Frame(request)
        response = page_in_frame(request, key, renders.frame, renders.inside)
        frames += renders.frames
        assert "<main><p>figures 1</p></main>" in response.content.decode()
    assert frames == 2


def test_nothing_is_kept_in_development(person, settings):
    settings.DEBUG = True
    user = make_user(Role.TRAINEE, person=person)
    renders = Renders()
    for _ in range(2):
        request = request_for(user)
        page_cached(request, ["v1"], renders(request))
    assert renders.count == 2
