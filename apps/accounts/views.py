from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from apps.accounts.access import allow_all_roles, public
from apps.accounts.forms import ActivationForm, PortalAuthenticationForm, StaffActivationForm
from hefei_cpe.ratelimit import client_address, rate_limit_hit

login = public(
    auth_views.LoginView.as_view(
        template_name="accounts/login.html",
        authentication_form=PortalAuthenticationForm,
        redirect_authenticated_user=True,
    )
)
logout = public(auth_views.LogoutView.as_view())
password_change = allow_all_roles(
    auth_views.PasswordChangeView.as_view(
        template_name="accounts/password_change.html",
        success_url=reverse_lazy("accounts:password_change_done"),
    )
)
password_change_done = allow_all_roles(
    auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
)


@public
def activate(request: HttpRequest) -> HttpResponse:
    """A professional opens (or resets) their account with the code from their officer."""
    if request.user.is_authenticated:
        return redirect("home")
    if request.method == "POST" and not rate_limit_hit(
        scope="activation",
        key=client_address(request),
        limit=settings.ACTIVATION_ATTEMPT_LIMIT,
        window=settings.ACTIVATION_WINDOW_SECONDS,
    ):
        minutes = -(-settings.ACTIVATION_WINDOW_SECONDS // 60)
        response = render(
            request,
            "accounts/activate.html",
            {"form": ActivationForm(), "too_many": True, "minutes": minutes},
            status=429,
        )
        response["Retry-After"] = str(settings.ACTIVATION_WINDOW_SECONDS)
        return response
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        messages.success(
            request, _("Your account is ready. Sign in with your ID number and new password.")
        )
        return redirect("accounts:login")
    return render(request, "accounts/activate.html", {"form": form})


@public
def activate_login(request: HttpRequest) -> HttpResponse:
    """Staff activation: a unit administrator or an organiser's staff member opens (or resets)
    their login with the code from the office that opened it (the district, the city)."""
    if request.user.is_authenticated:
        return redirect("home")
    if request.method == "POST" and not rate_limit_hit(
        scope="activation",
        key=client_address(request),
        limit=settings.ACTIVATION_ATTEMPT_LIMIT,
        window=settings.ACTIVATION_WINDOW_SECONDS,
    ):
        minutes = -(-settings.ACTIVATION_WINDOW_SECONDS // 60)
        response = render(
            request,
            "accounts/activate.html",
            {"form": StaffActivationForm(), "too_many": True, "minutes": minutes, "staff": True},
            status=429,
        )
        response["Retry-After"] = str(settings.ACTIVATION_WINDOW_SECONDS)
        return response
    form = StaffActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        messages.success(
            request, _("Your login is ready. Sign in with your login name and new password.")
        )
        return redirect("accounts:login")
    return render(request, "accounts/activate.html", {"form": form, "staff": True})
