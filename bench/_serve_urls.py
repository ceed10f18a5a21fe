"""The portal's URLs plus `/bench/hello/`: a view that does nothing, through the same middleware
(sessions, CSRF, CSP, WhiteNoise …), the ceiling the ledger page is compared with."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from apps.accounts.access import public
from hefei_cpe.urls import urlpatterns as portal


@public
def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello, world", content_type="text/plain")


urlpatterns = [path("bench/hello/", hello), *portal]
