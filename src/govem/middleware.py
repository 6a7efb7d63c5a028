"""Django's page middleware, without its per-request work where a request does not use it.

Measured on the check-in (``benchmarks/profile_hot.py --cpu``): django-csp composed the same
Content-Security-Policy text for every response (6 % of an API check-in's CPU), and the
session and message middleware built a session store and a message storage for every
request, which a bearer-token API call never reads. These subclasses keep the answers as
they were — the same header bytes, the same cookies, the same ``Vary`` — and skip only work
whose result nobody looks at:

- :class:`CSPMiddleware`: the policy text is built once per process (and again when a test
  changes the settings) while neither the request nor the response changes it: no nonce was
  asked for, no ``@csp_update`` / ``@csp_replace`` / ``@csp`` decorator set its own parts.
  Otherwise django-csp builds it as before.
- :class:`SessionMiddleware`: a request without a session cookie gets a store built on its
  first use; a response whose request never used it is left as Django leaves it then
  (nothing to save, no cookie, no ``Vary: Cookie``). A request with the cookie goes the
  ordinary way, so an empty or invalid cookie is still deleted.
- :class:`MessageMiddleware`: the message storage is built on its first use; unused, there
  is nothing to store, as Django's own ``update()`` finds.
"""

from __future__ import annotations

from typing import Any

from csp import middleware as csp_middleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware as DjangoMessageMiddleware
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.functional import SimpleLazyObject, empty

# report_only -> the policy text built from the settings alone (no nonce, no per-response parts)
_POLICIES: dict[bool, str] = {}
_POLICY_SETTINGS = ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")


@receiver(setting_changed)
def _forget_policies(*, setting: str, **kwargs: Any) -> None:
    if setting in _POLICY_SETTINGS:
        _POLICIES.clear()


def settings_policy(report_only: bool) -> str:
    """django-csp's policy for these settings with no nonce and no per-response parts,
    built once: ``build_policy()`` gives the same text every time within a process."""
    policy = _POLICIES.get(report_only)
    if policy is None:
        policy = _POLICIES[report_only] = build_policy(report_only=report_only)
    return policy


def _build(parts: csp_middleware.PolicyParts, report_only: bool) -> str:
    if parts.config is None and parts.update is None and parts.replace is None and not parts.nonce:
        return settings_policy(report_only)
    return build_policy(
        config=parts.config,
        update=parts.update,
        replace=parts.replace,
        nonce=parts.nonce,
        report_only=report_only,
    )


class CSPMiddleware(csp_middleware.CSPMiddleware):
    """django-csp's middleware with the settings' policy text built once (module docstring)."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        # django-csp 4.0's process_response, with build_policy(**asdict(parts)) replaced by
        # _build(parts): the same text, composed only when something in this request or
        # response changes it.
        if response.status_code in (500, 404) and settings.DEBUG:
            return response
        for report_only, header, exempt, setting in (
            (False, csp_middleware.HEADER, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (
                True,
                csp_middleware.HEADER_REPORT_ONLY,
                "_csp_exempt_ro",
                "CONTENT_SECURITY_POLICY_REPORT_ONLY",
            ),
        ):
            parts = self.get_policy_parts(
                request=request, response=response, report_only=report_only
            )
            policy = _build(parts, report_only)
            if not policy:
                continue
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if (
                header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(tuple(prefixes))
            ):
                response[header] = policy
        # As django-csp: a nonce asked for after the header is written is an error.
        if getattr(request, "_csp_nonce", None) is None:
            request.csp_nonce = csp_middleware.CheckableLazyObject(  # type: ignore[attr-defined]
                self._csp_nonce_post_response
            )
        return response


def _unused(request: HttpRequest, name: str) -> bool:
    value = request.__dict__.get(name)
    return isinstance(value, SimpleLazyObject) and value._wrapped is empty


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware; without a session cookie the store is built on first use."""

    def process_request(self, request: HttpRequest) -> None:
        if settings.SESSION_SAVE_EVERY_REQUEST or settings.SESSION_COOKIE_NAME in request.COOKIES:
            super().process_request(request)
            return
        store = self.SessionStore
        request.session = SimpleLazyObject(lambda: store(None))  # type: ignore[assignment]

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if _unused(request, "session"):
            return response  # no cookie came, none was read or written: nothing to send
        return super().process_response(request, response)


class MessageMiddleware(DjangoMessageMiddleware):
    """Django's message middleware; the storage is built on first use."""

    def process_request(self, request: HttpRequest) -> None:
        request._messages = SimpleLazyObject(lambda: default_storage(request))  # type: ignore[attr-defined]

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if _unused(request, "_messages"):
            return response  # never read nor added to: update() would store nothing
        return super().process_response(request, response)
