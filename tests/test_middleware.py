"""govem.middleware's session and message middleware answer as Django's own: the same
cookies and ``Vary`` whatever a view does with the session or messages — they only skip
building what a request never uses (a bearer-token API call uses neither)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.middleware import MessageMiddleware as DjangoMessages
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessions
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.utils.functional import empty

from govem.middleware import MessageMiddleware, SessionMiddleware

pytestmark = pytest.mark.django_db


def answer(middleware: list[Any], view: Any, cookies: dict[str, str]) -> dict[str, Any]:
    handler = view
    for layer in reversed(middleware):
        handler = layer(handler)
    request = RequestFactory().get("/")
    request.COOKIES.update(cookies)
    response = handler(request)
    return {
        "vary": response.get("Vary"),
        "cookies": {
            name: (bool(morsel.value), morsel["max-age"], morsel["path"], morsel["samesite"])
            for name, morsel in response.cookies.items()
        },
    }


def session_view(use: str) -> Any:
    def view(request: HttpRequest) -> HttpResponse:
        if use == "read":
            request.session.get("seen")
        elif use == "write":
            request.session["seen"] = 1
        elif use == "flush":
            request.session.flush()
        return HttpResponse("ok")

    return view


@pytest.mark.parametrize("use", ["none", "read", "write", "flush"])
@pytest.mark.parametrize("cookie", [None, "short", "k" * 32])
def test_the_session_answers_as_djangos(use: str, cookie: str | None) -> None:
    cookies = {settings.SESSION_COOKIE_NAME: cookie} if cookie else {}
    ours = answer([SessionMiddleware], session_view(use), cookies)
    assert ours == answer([DjangoSessions], session_view(use), cookies)
    if cookie is None and use in ("none", "read"):
        assert ours == {"vary": None if use == "none" else "Cookie", "cookies": {}}


@pytest.mark.parametrize("add", [False, True])
def test_messages_answer_as_djangos(add: bool) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        if add:
            messages.success(request, "Tersimpan.")
        return HttpResponse("ok")

    ours = answer([SessionMiddleware, MessageMiddleware], view, {})
    assert ours == answer([DjangoSessions, DjangoMessages], view, {})
    assert bool(ours["cookies"]) is add


def test_an_api_call_with_a_token_gets_no_cookie(phone: Any) -> None:
    phone.client.cookies.clear()  # the phone app keeps its token, not the login's cookies
    response = phone.get("/api/v1/me")
    assert response.status_code == 200
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    # The session store was never built for it (the work this middleware saves).
    assert response.wsgi_request.session._wrapped is empty  # type: ignore[attr-defined]
