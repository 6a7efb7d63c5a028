"""The console's phrases (refusal reasons, flags) in the page's language; contact links."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from django.utils import timezone
from django.utils.translation import gettext as _

from govem.dates import long_date
from govem.notify.wording import greeting
from govem.rules import labels


def reason_label(reason_code: str | None) -> str:
    """The console's phrasing of a refusal reason, in the page's language."""
    return _(labels.reason(reason_code))


def rejection_text(
    reason_code: str, *, distance_m: float | None, location: str | None, accuracy_m: float | None
) -> str:
    """``ditolak: di luar radius, 230 m dari Kantor Diskominfo``."""
    phrase = reason_label(reason_code)
    if reason_code == "outside_geofence" and distance_m is not None and location:
        phrase = _("%(phrase)s, %(d)s m dari %(place)s") % {
            "phrase": phrase,
            "d": f"{distance_m:.0f}",
            "place": location,
        }
    elif reason_code == "accuracy_too_low" and accuracy_m is not None:
        phrase = f"{phrase} (±{accuracy_m:.0f} m)"
    return _("ditolak: %(phrase)s") % {"phrase": phrase}


def flag_labels(flags: list[str] | None) -> list[str]:
    return [_(labels.flag(flag)) for flag in flags or []]


def punch_summary(punch: Any) -> str:
    """One line for the feed: verdict with its reason, in the page's language."""
    if punch.verdict == "rejected":
        return rejection_text(
            punch.reason_code,
            distance_m=punch.distance_m,
            location=punch.location.name if punch.location_id else None,
            accuracy_m=punch.accuracy_m,
        )
    if punch.source == "manual":
        return _("manual: %(note)s") % {"note": (punch.note or "")[:80]}
    if punch.verdict == "flagged":
        return _("ditandai: %(flags)s") % {"flags": ", ".join(flag_labels(punch.flags))}
    return _("diterima")


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
