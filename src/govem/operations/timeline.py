"""The timeline of a date on ``/operasi/``: each phase's due time, when it ran, and what each
step did — in words (Indonesian, English through the catalogue), not the raw results.

:func:`describe` turns one step's stored outcome into a sentence; a step this module does not
know gets a plain "done"/"failed" with its error, so a step another app registers later still
reads well.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from govem.operations.models import PhaseRun
from govem.operations.phases import steps_for
from govem.operations.texts import said


def _n(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _health(value: dict[str, Any]) -> str:
    troubled = [
        f"{check.get('label')} ({check.get('status')})"
        for check in value.get("checks", [])
        if check.get("status") in {"WARN", "FAIL"}
    ]
    if not troubled:
        return _("Semua pemeriksaan OK.")
    return _("Perlu perhatian: %(checks)s.") % {"checks": ", ".join(troubled)}


def _freshness(value: dict[str, Any]) -> str:
    if not value.get("available", True):
        return _("Laporan kesegaran data belum tersedia.")
    gaps = {
        key: _n((value.get(key) or {}).get("count"))
        for key in ("without_schedule", "without_location", "without_phone", "without_device")
    }
    return _(
        "%(active)s pegawai aktif; %(schedule)s tanpa jadwal, %(location)s tanpa lokasi, "
        "%(phone)s tanpa telepon, %(device)s belum mengikat perangkat."
    ) % {
        "active": _n(value.get("active_employees")),
        "schedule": gaps["without_schedule"],
        "location": gaps["without_location"],
        "phone": gaps["without_phone"],
        "device": gaps["without_device"],
    }


def _unreachable(value: dict[str, Any]) -> str:
    total, working = _n(value.get("total")), _n(value.get("working"))
    if not total:
        return _("Semua %(working)s pegawai yang bekerja dapat dihubungi.") % {"working": working}
    return _(
        "%(total)s dari %(working)s pegawai yang bekerja tidak dapat dihubungi lewat kanal "
        "mana pun."
    ) % {"total": total, "working": working}


def _queued(value: dict[str, Any]) -> str:
    return _("%(queued)s dari %(candidates)s diantre, %(unreachable)s tak terjangkau") % {
        "queued": _n(value.get("queued")),
        "candidates": _n(value.get("candidates")),
        "unreachable": _n(value.get("unreachable")),
    }


def _reminders(value: dict[str, Any]) -> str:
    if "nudges" in value or "checkout" in value:
        return _("belum presensi: %(nudges)s; pulang: %(checkout)s.") % {
            "nudges": _queued(value.get("nudges") or {}),
            "checkout": _queued(value.get("checkout") or {}),
        }
    return _queued(value) + "."


def _days(value: dict[str, Any]) -> str:
    return _("Rekap %(days)s pegawai diperbarui: %(created)s baru, %(updated)s berubah.") % {
        "days": _n(value.get("days") or value.get("employees")),
        "created": _n(value.get("created")),
        "updated": _n(value.get("updated")),
    }


def _settle(value: dict[str, Any]) -> str:
    text = _("Hari selesai untuk %(settled)s pegawai: TK %(tk)s, PSW4 %(psw4)s, TL4 %(tl4)s.") % {
        "settled": _n(value.get("settled")),
        "tk": _n(value.get("tk")),
        "psw4": _n(value.get("psw4")),
        "tl4": _n(value.get("tl4")),
    }
    if _n(value.get("still_open")):
        text += " " + _("%(n)s pegawai masih dalam waktu presensi pulang.") % {
            "n": _n(value.get("still_open"))
        }
    if _n(value.get("not_counted")):
        text += " " + _("%(n)s pegawai belum dihitung.") % {"n": _n(value.get("not_counted"))}
    return text


def _clarifications(value: dict[str, Any]) -> str:
    parts = [
        f"TK {_n(value.get('tk'))}" if "tk" in value else "",
        _("belum presensi masuk %(n)s") % {"n": _n(value.get("no_check_in"))},
        _("belum presensi pulang %(n)s") % {"n": _n(value.get("no_check_out"))},
    ]
    text = _("%(created)s kasus dibuka (%(kinds)s); %(notified)s pemberitahuan dikirim.") % {
        "created": _n(value.get("created")),
        "kinds": ", ".join(part for part in parts if part),
        "notified": _n(value.get("notified")),
    }
    if _n(value.get("resolved")):
        text += " " + _("%(n)s kasus selesai otomatis.") % {"n": _n(value.get("resolved"))}
    return text


def _partitions(value: dict[str, Any]) -> str:
    if not value.get("partitioned"):
        return _("Tabel presensi tanpa partisi (SQLite).")
    text = _("Partisi bulanan presensi tersedia sampai sebelum %(until)s (%(n)s partisi).") % {
        "until": value.get("until", "—"),
        "n": _n(value.get("partitions")),
    }
    if value.get("created"):
        text += " " + _("Dibuat: %(names)s.") % {"names": ", ".join(value["created"])}
    return text


def _draft(value: dict[str, Any]) -> str:
    totals = ", ".join(
        f"{code} {count}" for code, count in (value.get("totals") or {}).items() if count
    )
    return _("Draf laporan %(rows)s baris: %(totals)s.") % {
        "rows": _n(value.get("rows")),
        "totals": totals or "—",
    }


def _backup(value: dict[str, Any]) -> str:
    verified = _("terverifikasi") if value.get("verified") else _("belum terverifikasi")
    text = _("Cadangan %(file)s (%(size)s), %(verified)s.") % {
        "file": value.get("file", ""),
        "size": filesizeformat(_n(value.get("size"))),
        "verified": verified,
    }
    if value.get("day"):
        text += " " + _("Memuat hari %(day)s yang sudah selesai.") % {
            "day": _date_text(value["day"])
        }
    return text


def _readiness(value: dict[str, Any]) -> str:
    return _("Hari berikutnya (%(day)s): %(n)s pegawai terjadwal.") % {
        "day": _date_text(value.get("next_day", "")),
        "n": _n(value.get("next_day_employees")),
    }


def _evaluation(value: dict[str, Any]) -> str:
    today = value.get("today") or {}
    return _(
        "Kendala %(tickets)s, percobaan gagal %(attempts)s, TL %(late)s, PSW %(early)s, "
        "TK %(absent)s."
    ) % {
        "tickets": _n(value.get("tickets_total")),
        "attempts": _n(value.get("failed_attempts_total")),
        "late": _n(today.get("late")),
        "early": _n(today.get("early")),
        "absent": _n(today.get("absent")),
    }


def _date_text(value: str) -> str:
    try:
        return date.fromisoformat(value).strftime("%d-%m-%Y")
    except (TypeError, ValueError):
        return str(value)


DESCRIBERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "health": _health,
    "freshness": _freshness,
    "unreachable": _unreachable,
    "reminders": _reminders,
    "update_days": _days,
    "close_days": _days,
    "settle_days": _settle,
    "clarifications": _clarifications,
    "report_draft": _draft,
    "punch_partitions": _partitions,
    "backup": _backup,
    "readiness": _readiness,
    "evaluation": _evaluation,
}


def describe(name: str, outcome: dict[str, Any]) -> str:
    """One sentence for one step's stored outcome."""
    if not outcome.get("ok"):
        error = said(str(outcome.get("error") or ""))
        return _("Gagal: %(error)s") % {"error": error or _("tanpa keterangan")}
    value = outcome.get("value")
    describer = DESCRIBERS.get(name)
    if describer is None or not isinstance(value, dict):
        return _("Selesai.")
    try:
        return describer(value)
    except (AttributeError, TypeError, ValueError):
        return _("Selesai.")


@dataclass(frozen=True)
class StepLine:
    name: str
    label: str
    ok: bool
    text: str
    seconds: float


@dataclass(frozen=True)
class PhaseLine:
    phase: str
    label: str
    due_at: datetime | None
    run: PhaseRun | None
    steps: tuple[StepLine, ...]

    @property
    def due_other_day(self) -> bool:
        return (
            self.due_at is not None
            and self.run is not None
            and (timezone.localdate(self.due_at) != self.run.date)
        )


def _seconds(value: Any) -> float:
    try:
        return float(value or 0)
    except (TypeError, ValueError):
        return 0.0


def phase_line(phase: str, label: str, run: PhaseRun | None) -> PhaseLine:
    """The phase's steps in the order they run (PostgreSQL's jsonb keeps no key order)."""

    order = {step.name: index for index, step in enumerate(steps_for(phase))}
    results = sorted(
        run.step_results if run is not None else [],
        key=lambda step: order.get(str(step["name"]), len(order)),
    )
    steps = tuple(
        StepLine(
            name=str(step["name"]),
            label=str(step.get("label") or step["name"]),
            ok=bool(step.get("ok")),
            text=describe(str(step["name"]), step),
            seconds=_seconds(step.get("seconds")),
        )
        for step in results
    )
    return PhaseLine(phase, label, run.due_at if run else None, run, steps)
