from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from govem.accounts import audit
from govem.accounts.ip import client_ip
from govem.accounts.onetime import must_change_password
from govem.accounts.services import check_credentials, employee_of, issue_token, revoke_token
from govem.errors import DomainError
from govem.people.queries import employee_json
from govem.people.services import bind_device
from govem.schemas import ErrorOut

router = Router(tags=["auth"])


class TokenIn(Schema):
    nip: str = Field(
        ..., min_length=1, max_length=32, description="NIP (18 digit) atau nomor induk non-ASN"
    )
    password: str = Field(..., min_length=1, max_length=256)
    device_id: str = Field(
        ..., min_length=8, max_length=128, description="ID unik perangkat, tetap per instalasi"
    )
    device_label: str = Field("", max_length=200)


class TokenOut(Schema):
    token: str
    token_type: str
    expires_at: str
    employee: dict[str, Any] | None


@router.post(
    "/auth/token",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Masuk dan dapatkan token Bearer",
)
def create_token(request: HttpRequest, payload: TokenIn) -> Any:
    user = check_credentials(request=request, login=payload.nip, password=payload.password)
    if must_change_password(user):
        raise DomainError(
            "password_change_required",
            _(
                "Kata sandi sementara dari operator harus diganti dulu: kirim POST "
                "/api/v1/auth/activate dengan kata sandi sementara sebagai kode."
            ),
            status=403,
        )
    return token_response(
        request, user, device_id=payload.device_id, device_label=payload.device_label
    )


def token_response(request: HttpRequest, user: Any, *, device_id: str, device_label: str) -> Any:
    """Bind the employee's device and issue a token (login and activation answer alike)."""
    employee = employee_of(user)
    device = None
    if employee is not None:
        with audit.acting_as(user, ip=client_ip(request)):
            device = bind_device(
                employee=employee,
                device_id=device_id,
                label=device_label or request.META.get("HTTP_USER_AGENT", ""),
            )
    raw, token = issue_token(user=user, device=device)
    # The API's equivalent of django.contrib.auth.login(): records last_login, and lets
    # django-axes forget the earlier failures (AXES_RESET_ON_SUCCESS), as the web login does.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    return Status(
        200,
        {
            "token": raw,
            "token_type": "Bearer",
            "expires_at": timezone.localtime(token.expires_at).isoformat(),
            "employee": employee_json(employee) if employee else None,
        },
    )


@router.delete("/auth/token", response={204: None}, summary="Cabut token yang sedang dipakai")
def delete_token(request: HttpRequest) -> Any:
    token = getattr(request, "api_token", None)
    if token is None:
        raise DomainError("unauthorized", _("Token tidak valid."), status=401)
    revoke_token(token=token)
    return Status(204, None)
