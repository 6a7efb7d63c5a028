from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from govem.rules.nip import NipError, parse_nip

_PHONE = re.compile(r"\+62[1-9][0-9]{6,12}")


def validate_nip(value: str) -> None:
    """The structure shared by PNS and PPPK numbers; ``Employee.clean`` adds the PNS month."""
    try:
        parse_nip(value, pppk=True)
    except NipError as exc:
        raise ValidationError(str(exc), code="invalid_nip") from exc


def validate_phone(value: str) -> None:
    if value and not _PHONE.fullmatch(value):
        raise ValidationError(
            _("Nomor telepon harus berformat +62… (contoh +6281234567890)."), code="invalid_phone"
        )


def normalise_phone(value: str) -> str:
    """08xx / 62xx / +62xx with spaces or dashes → +62xx (the stored form)."""
    digits = re.sub(r"[\s\-().]", "", value or "")
    if digits.startswith("0"):
        digits = "+62" + digits[1:]
    elif digits.startswith("62"):
        digits = "+" + digits
    return digits
