"""A day's explanation in the reader's language, built when the page is drawn.

The day ledger stores its explanation in Indonesian (:func:`govem.rules.daystatus.classify`
writes it on every check-in; the hot path stays as it is). A page in another language does
not show that text: it builds the explanation from the day's stored facts — codes, minutes,
check-in and check-out, deduction, the rule row — through the catalogue. In Indonesian the
stored text is shown unchanged (it also names the absence and any izin, which are data).
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from govem.l10n import number
from govem.rules.bands import EARLY_CODES, LATE_CODES, PRESENT, TK

_DAY_OFF = {"L", "CB"}


def _hm(moment: Any, zone: str) -> str:
    return str(moment.astimezone(ZoneInfo(zone)).strftime("%H:%M"))


def explanation(day: Any) -> str:
    """The explanation of one stored day (a DayRecord) in the active language."""
    language = (translation.get_language() or "id").split("-")[0]
    if language == "id":
        return str(day.explanation or "")
    codes = list(day.codes or [])
    zone = day.time_zone or "Asia/Jakarta"
    first_in = _hm(day.first_in, zone) if day.first_in else None
    last_out = _hm(day.last_out, zone) if day.last_out else None
    punches = []
    if first_in:
        punches.append(_("presensi masuk %(time)s") % {"time": first_in})
    if last_out:
        punches.append(_("presensi pulang %(time)s") % {"time": last_out})
    noted = ("; " + _("tercatat %(punches)s") % {"punches": ", ".join(punches)}) if punches else ""

    if not day.counted:
        return _("Belum dihitung: sebelum tanggal mulai penghitungan%(noted)s.") % {"noted": noted}
    if not day.workday or (codes and codes[0] in _DAY_OFF):
        worked = (
            (" " + _("(bekerja, tidak dihitung%(noted)s)") % {"noted": noted}) if punches else ""
        )
        return _("Libur (%(code)s)%(worked)s.") % {
            "code": " ".join(codes) or "L",
            "worked": worked,
        }
    if not codes:
        if not punches:
            return _("Belum ada presensi hari ini.")
        return _("Masuk %(time)s; belum presensi pulang.") % {"time": first_in or "—"}
    rule = _rule_text(day)
    if codes == [TK]:
        return (
            _("Tidak masuk tanpa keterangan (TK): tidak ada presensi masuk maupun pulang.")
            + " "
            + rule
        )
    timed = set(LATE_CODES) | set(EARLY_CODES) | {PRESENT}
    if not set(codes) <= timed:
        return (
            _("Ketidakhadiran disetujui (%(code)s)%(noted)s.")
            % {"code": " ".join(codes), "noted": noted}
            + " "
            + rule
        )
    late = next((code for code in codes if code in LATE_CODES), None)
    early = next((code for code in codes if code in EARLY_CODES), None)
    if first_in is None:
        in_text = _("tidak presensi masuk → %(code)s") % {"code": late or "TL4"}
    elif late:
        in_text = _("masuk %(time)s (terlambat %(minutes)s menit → %(code)s)") % {
            "time": first_in,
            "minutes": number(day.late_minutes),
            "code": late,
        }
    else:
        in_text = _("masuk %(time)s (tepat waktu)") % {"time": first_in}
    if last_out is None:
        out_text = (
            _("tidak presensi pulang → %(code)s") % {"code": early}
            if early
            else _("belum presensi pulang")
        )
    elif early:
        out_text = _("pulang %(time)s (lebih awal %(minutes)s menit → %(code)s)") % {
            "time": last_out,
            "minutes": number(day.early_minutes),
            "code": early,
        }
    else:
        out_text = _("pulang %(time)s (tepat waktu)") % {"time": last_out}
    text = f"{in_text}, {out_text}. {rule}"
    return text[0].upper() + text[1:]


def _rule_text(day: Any) -> str:
    rule_set = getattr(day, "rule_set", None) if day.rule_set_id else None
    code = rule_set.code if rule_set is not None else pgettext("aturan", "bawaan")
    pct = number(day.deduction_pct, 3).rstrip("0").rstrip(".,") or "0"
    return _("Aturan %(rule)s: potongan %(pct)s %%.") % {"rule": code, "pct": pct}
