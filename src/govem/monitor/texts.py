"""Indonesian phrases for what the console shows: refusal reasons, flags, contact links."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from django.utils import timezone

from govem.dates import long_date
from govem.notify.wording import greeting

REASONS = {
    "outside_geofence": "di luar radius",
    "accuracy_too_low": "akurasi GPS terlalu rendah",
    "mock_location": "lokasi palsu terdeteksi",
    "device_not_allowed": "perangkat lain (ikatan belum dilepas)",
    "outside_window": "di luar jam presensi",
    "already_checked_in": "sudah presensi masuk",
    "no_location": "belum ada lokasi kerja",
}

FLAGS = {
    "borderline_location": "di tepi radius",
    "clock_skew": "jam ponsel berbeda",
    "new_device": "perangkat baru",
    "mock_location": "lokasi palsu dilaporkan",
    "manual": "manual",
}


def rejection_text(
    reason_code: str, *, distance_m: float | None, location: str | None, accuracy_m: float | None
) -> str:
    """``ditolak: di luar radius, 230 m dari Kantor Diskominfo``."""
    phrase = REASONS.get(reason_code, reason_code or "alasan tidak diketahui")
    if reason_code == "outside_geofence" and distance_m is not None and location:
        phrase = f"{phrase}, {distance_m:.0f} m dari {location}"
    elif reason_code == "accuracy_too_low" and accuracy_m is not None:
        phrase = f"{phrase} (±{accuracy_m:.0f} m)"
    return f"ditolak: {phrase}"


def flag_labels(flags: list[str] | None) -> list[str]:
    return [FLAGS.get(flag, flag) for flag in flags or []]


def punch_summary(punch: Any) -> str:
    """One line for the feed: verdict with its reason in Indonesian."""
    if punch.verdict == "rejected":
        return rejection_text(
            punch.reason_code,
            distance_m=punch.distance_m,
            location=punch.location.name if punch.location_id else None,
            accuracy_m=punch.accuracy_m,
        )
    if punch.source == "manual":
        return "manual: " + (punch.note or "")[:80]
    if punch.verdict == "flagged":
        return "ditandai: " + ", ".join(flag_labels(punch.flags))
    return "diterima"


def wa_number(phone: str) -> str:
    """+6281234567890 → 6281234567890 (wa.me wants digits with the country code)."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits


def whatsapp_link(*, phone: str, name: str, day: date) -> str:
    """A wa.me link with a prefilled, URL-encoded Indonesian message ("" without a phone)."""
    number = wa_number(phone)
    if not number:
        return ""
    addressee = name if name.endswith(".") else f"{name}."
    message = (
        f"{greeting(timezone.now())} Bapak/Ibu {addressee} Kami dari Tim IT Govem. "
        "Sampai saat ini belum ada "
        f"presensi masuk Anda untuk {long_date(day)}. Apakah ada kendala? "
        "Silakan balas pesan ini atau laporkan melalui menu Lapor Kendala. Terima kasih."
    )
    return f"https://wa.me/{number}?text={quote(message, safe='')}"


def tel_link(phone: str) -> str:
    number = wa_number(phone)
    return f"tel:+{number}" if number else ""
