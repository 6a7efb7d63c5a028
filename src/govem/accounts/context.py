from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from govem.accounts.navigation import menu_for
from govem.accounts.roles import role_names


def govem_context(request: HttpRequest) -> dict[str, Any]:
    return {
        "govem_regency": settings.GOVEM["REGENCY_NAME"],
        "govem_roles": role_names(getattr(request, "user", None)),
        # Lazy: pages rendered without the base layout (downloads, fragments) count nothing.
        "govem_menu": SimpleLazyObject(lambda: menu_for(request)),
        "govem_shell": shell_texts(),
    }


def shell_texts() -> dict[str, Any]:
    """The words of shell.js: the app's own validation messages and confirmation buttons."""
    return {
        "required": _("Isian ini wajib diisi."),
        "type_mismatch": _("Format isian ini tidak sesuai."),
        "too_short": _("Isian ini terlalu pendek."),
        "too_long": _("Isian ini terlalu panjang."),
        "range_underflow": _("Nilai ini terlalu kecil."),
        "range_overflow": _("Nilai ini terlalu besar."),
        "bad_input": _("Isian ini tidak valid."),
        "pattern": _("Format isian ini tidak sesuai."),
        "file_required": _("Pilih berkas lebih dulu."),
        "invalid_summary": _("Periksa isian yang ditandai merah."),
        "confirm": _("Ya, lanjutkan"),
        "cancel": _("Batal"),
        "menu_open": _("Tutup menu"),
        "menu_closed": _("Menu"),
        "table": _("Tabel"),
    }
