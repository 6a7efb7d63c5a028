"""Web login and logout for the employee page (same credentials check and lockout as the API)."""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from govem.accounts import audit
from govem.accounts.ip import client_ip
from govem.accounts.onetime import must_change_password
from govem.accounts.roles import STAFF_ROLES, has_role
from govem.accounts.services import check_credentials, employee_of, lockout_error
from govem.errors import DomainError
from govem.people.services import bind_device

DEVICE_COOKIE = "govem_device"
DEVICE_SESSION_KEY = "govem_device_id"
CHANGE_SESSION_KEY = "govem_password_change_user"
_DEVICE_ID = re.compile(r"^[A-Za-z0-9_\-:.]{8,128}$")


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes hook: our views already answer a lockout themselves, keep their answer."""
    if original_response is not None and original_response.status_code == 429:
        return original_response
    error = lockout_error()
    return JsonResponse(error.as_body(), status=error.status)


def device_id_of(request: HttpRequest) -> tuple[str, bool]:
    """The browser's device id: from localStorage (hidden field), else a cookie we set.

    Returns the id and whether the cookie must be (re)set.
    """
    posted = request.POST.get("device_id", "").strip()
    if _DEVICE_ID.match(posted):
        return posted, request.COOKIES.get(DEVICE_COOKIE) != posted
    cookie = request.COOKIES.get(DEVICE_COOKIE, "")
    if _DEVICE_ID.match(cookie):
        return cookie, False
    return "web-" + secrets.token_urlsafe(24), True


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.method == "GET" and request.user.is_authenticated:
        return HttpResponseRedirect(_next_url(request))
    context: dict[str, Any] = {"next": _next_url(request), "login": "", "error": None}
    if request.method == "GET":
        return render(request, "accounts/login.html", context)

    login_value = request.POST.get("login", "").strip()[:32]
    password = request.POST.get("password", "")[:256]
    context["login"] = login_value
    device_id, set_cookie = device_id_of(request)
    try:
        if not login_value or not password:
            raise DomainError(
                "invalid_input",
                _("Isi NIP dan kata sandi."),
                status=422,
                details={"field": "login"},
            )
        user = check_credentials(request=request, login=login_value, password=password)
        if must_change_password(user):
            # An operator's temporary password: nothing opens before the user's own one.
            request.session[CHANGE_SESSION_KEY] = user.pk
            return remember_device(
                request, HttpResponseRedirect(reverse("accounts:new-password")), device_id
            )
        response = sign_in(request, user, device_id, context["next"])
    except DomainError as error:
        context["error"] = error
        response = render(request, "accounts/login.html", context, status=error.status)
    return remember_device(request, response, device_id if set_cookie else "")


def sign_in(request: HttpRequest, user: Any, device_id: str, next_url: str) -> HttpResponse:
    """Bind the employee's device (staff are not bound) and open the session."""
    employee = employee_of(user)
    if employee is not None and not has_role(user, *STAFF_ROLES):
        with audit.acting_as(user, ip=client_ip(request)):
            bind_device(
                employee=employee,
                device_id=device_id,
                label=request.META.get("HTTP_USER_AGENT", "")[:200],
            )
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[DEVICE_SESSION_KEY] = device_id
    return HttpResponseRedirect(next_url)


def remember_device(request: HttpRequest, response: HttpResponse, device_id: str) -> HttpResponse:
    if device_id:
        response.set_cookie(
            DEVICE_COOKIE,
            device_id,
            max_age=10 * 365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return HttpResponseRedirect("/masuk/")
