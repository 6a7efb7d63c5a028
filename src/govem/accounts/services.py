"""Login and API tokens. Lockout is django-axes' (per NIP and per IP, in the database)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from axes.exceptions import AxesBackendPermissionDenied
from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from govem.accounts.models import ApiToken
from govem.accounts.tokens import lookup
from govem.errors import DomainError
from govem.people.models import Device, Employee


def lockout_error() -> DomainError:
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    return DomainError(
        "too_many_attempts",
        ngettext(
            "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(minutes)d menit.",
            "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(minutes)d menit.",
            minutes,
        )
        % {"minutes": minutes},
        status=429,
        details={"retry_after_s": minutes * 60},
    )


def check_credentials(*, request: HttpRequest, login: str, password: str) -> Any:
    """The user for a NIP (or non-ASN number) and password, or a refusal.

    Refusals: ``invalid_credentials`` (401) and ``too_many_attempts`` (429).
    """
    try:
        user = authenticate(request, username=login.strip(), password=password)
    except AxesBackendPermissionDenied as exc:
        raise lockout_error() from exc
    if getattr(request, "axes_locked_out", False):
        raise lockout_error()
    if user is None or not user.is_active:
        raise DomainError(
            "invalid_credentials", _("NIP atau kata sandi salah."), status=401, details={}
        )
    return user


def employee_of(user: Any) -> Employee | None:
    try:
        employee = user.employee
    except Employee.DoesNotExist:
        return None
    return employee if employee is not None and employee.active else None


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(*, user: Any, device: Device | None) -> tuple[str, ApiToken]:
    raw = "gvm_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        device=device,
        token_hash=hash_token(raw),
        expires_at=timezone.now() + timedelta(days=settings.GOVEM["TOKEN_TTL_DAYS"]),
    )
    return raw, token


def token_for(raw: str) -> ApiToken | None:
    """The live token for a raw bearer value (not revoked, not expired, user active)."""
    if not raw or len(raw) > 200:
        return None

    token = lookup(hash_token(raw), timezone.now())
    if token is None or not token.user.is_active:
        return None
    return token


def revoke_token(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
