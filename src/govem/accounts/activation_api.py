"""``POST /api/v1/auth/activate`` and ``POST /api/v1/auth/reset``: the phone app's way to a
first password and back from a forgotten one (the same services as the web pages)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from govem.accounts import onetime
from govem.accounts.api import TokenOut, token_response
from govem.accounts.ip import client_ip
from govem.schemas import ErrorOut

# No control characters (govem.accounts.onetime refuses them after trimming).
LOGIN_PATTERN = r"^[^\x00-\x1f]+$"

router = Router(tags=["auth"])


class ActivateIn(Schema):
    nip: str = Field(
        ...,
        min_length=1,
        max_length=32,
        pattern=LOGIN_PATTERN,
        description="NIP atau nomor induk non-ASN",
    )
    code: str = Field(
        ...,
        min_length=1,
        max_length=64,
        description="kode dari lembar aktivasi, kode 6 angka dari pesan, atau kata sandi "
        "sementara dari operator",
    )
    new_password: str = Field(..., min_length=1, max_length=256)
    device_id: str = Field(
        ..., min_length=8, max_length=128, description="ID unik perangkat, tetap per instalasi"
    )
    device_label: str = Field("", max_length=200)


class ResetIn(Schema):
    nip: str = Field(..., min_length=1, max_length=32, pattern=LOGIN_PATTERN)


class ResetOut(Schema):
    status: str
    message: str
    expires_in_s: int


@router.post(
    "/auth/activate",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Aktivasi akun / kata sandi baru dengan kode sekali pakai, lalu dapatkan token",
)
def activate(request: HttpRequest, payload: ActivateIn) -> Any:
    user = onetime.redeem(
        login=payload.nip,
        code=payload.code,
        new_password=payload.new_password,
        ip=client_ip(request),
    )
    return token_response(
        request, user, device_id=payload.device_id, device_label=payload.device_label
    )


@router.post(
    "/auth/reset",
    auth=None,
    response={202: ResetOut, 422: ErrorOut, 429: ErrorOut},
    summary="Minta kode atur ulang kata sandi lewat email/WhatsApp pegawai",
)
def request_reset(request: HttpRequest, payload: ResetIn) -> Any:
    onetime.request_reset(login=payload.nip, ip=client_ip(request))
    minutes = int(onetime.reset_minutes())
    return Status(
        202,
        {
            "status": "accepted",
            "message": (
                "Bila NIP terdaftar dengan email atau nomor WhatsApp, kode 6 angka dikirim ke "
                f"sana (berlaku {minutes} menit). Pakai kode itu di POST /api/v1/auth/activate."
            ),
            "expires_in_s": minutes * 60,
        },
    )
