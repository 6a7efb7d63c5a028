"""The words for a punch's verdict, flags and refusal reasons: one table per vocabulary.

Every screen that names a verdict, a flag or a reason reads it here: the employee's page and
its script, the console's feed and review, the day's evaluation, the models' choices. The
texts are Indonesian msgids, marked with :func:`gettext_noop` so that ``makemessages`` puts
them in the catalogue; the caller translates them where they are shown (``gettext``).

A flag or a reason has two phrasings: the console's, short and for staff, and the
employee's, which says what happens next.
"""

from __future__ import annotations

from dataclasses import dataclass

from govem.rules.texts import gettext_noop


@dataclass(frozen=True, slots=True)
class Phrase:
    console: str  # the monitoring console and the staff's pages
    employee: str  # the employee's own check-in page


def _same(text: str) -> Phrase:
    return Phrase(text, text)


VERDICTS = {
    "accepted": gettext_noop("Diterima"),
    "flagged": gettext_noop("Ditandai"),
    "rejected": gettext_noop("Ditolak"),
}

FLAGS = {
    "borderline_location": Phrase(
        gettext_noop("di tepi radius"), gettext_noop("di tepi radius, akan ditinjau")
    ),
    "clock_skew": Phrase(
        gettext_noop("jam ponsel berbeda"), gettext_noop("jam ponsel berbeda dengan jam server")
    ),
    "new_device": _same(gettext_noop("perangkat baru")),
    "mock_location": _same(gettext_noop("lokasi palsu dilaporkan")),
    "manual": Phrase(gettext_noop("manual"), gettext_noop("dicatat manual")),
}

REASONS = {
    "outside_geofence": _same(gettext_noop("di luar radius")),
    "accuracy_too_low": _same(gettext_noop("akurasi GPS terlalu rendah")),
    "mock_location": _same(gettext_noop("lokasi palsu terdeteksi")),
    "device_not_allowed": Phrase(
        gettext_noop("perangkat lain (ikatan belum dilepas)"),
        gettext_noop("perangkat tidak diizinkan"),
    ),
    "outside_window": _same(gettext_noop("di luar jam presensi")),
    "already_checked_in": _same(gettext_noop("sudah presensi masuk")),
    "no_location": _same(gettext_noop("belum ada lokasi kerja")),
    "invalid_input": _same(gettext_noop("data tidak valid")),
}

UNKNOWN_REASON = gettext_noop("alasan tidak diketahui")


def verdict(code: str) -> str:
    """The verdict's msgid; an unknown code as it is."""
    return VERDICTS.get(code, code)


def flag(code: str, *, employee: bool = False) -> str:
    """A flag's msgid, the console's (or the employee's) phrasing; an unknown code as it is."""
    phrase = FLAGS.get(code)
    if phrase is None:
        return code
    return phrase.employee if employee else phrase.console


def reason(code: str | None, *, employee: bool = False) -> str:
    """A refusal reason's msgid; an unknown code as it is, none at all as "unknown reason"."""
    if not code:
        return UNKNOWN_REASON
    phrase = REASONS.get(code)
    if phrase is None:
        return code
    return phrase.employee if employee else phrase.console
