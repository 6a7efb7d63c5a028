"""The employee page: home (clock, position, map, Masuk/Pulang), punch endpoint, history, PWA."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from pydantic import ValidationError

from govem.accounts.services import employee_of
from govem.accounts.tokens import employee_lookup
from govem.accounts.views import DEVICE_COOKIE, DEVICE_SESSION_KEY
from govem.attendance.api import PunchIn, attempt_from
from govem.attendance.models import Punch
from govem.attendance.queries import local_today, me_json, punches_between
from govem.attendance.services import known_from, record_punch
from govem.errors import error_body
from govem.rules import labels
from govem.rules.schedule import DaySchedule, early_minutes, late_minutes, zone_label

HISTORY_DAYS = 30
MAX_BODY_BYTES = 16 * 1024


def _reason_label(code: str | None) -> str | None:
    """The employee's phrasing of a refusal reason (the code itself when unknown)."""
    return _(labels.reason(code, employee=True)) if code else code


TIME_KEYS = ("start", "end", "check_in_opens", "check_out_closes")
KINDS = {"in": pgettext_lazy("presensi", "Masuk"), "out": pgettext_lazy("presensi", "Pulang")}


def _labels() -> dict[str, Any]:
    """Indonesian words the page's script needs (translated here, one source of text)."""
    return {
        "verdicts": {key: _(value) for key, value in labels.VERDICTS.items()},
        "flags": {key: _(value.employee) for key, value in labels.FLAGS.items()},
        "kinds": {key: str(value) for key, value in KINDS.items()},
        "text": {
            "receipt_title": _("Bukti presensi %(kind)s"),
            "refused_title": _("Presensi %(kind)s ditolak"),
            "time": _("Waktu"),
            "location": _("Lokasi"),
            "distance": _("Jarak"),
            "status": _("Status"),
            "receipt": _("Kode bukti"),
            "late": _("Terlambat %(n)s menit"),
            "early": _("Pulang lebih awal %(n)s menit"),
            "on_time": _("Tepat waktu"),
            "state_none": _("Belum presensi masuk"),
            "state_in": _("Sudah masuk %(time)s"),
            "state_out": _("Sudah pulang %(time)s"),
            "confirm_early": _(
                "Jam pulang Anda %(end)s. Jika pulang sekarang, Anda pulang lebih awal "
                "%(n)s menit (PSW). Tetap presensi pulang?"
            ),
            "confirm_again": _(
                "Anda sudah presensi pulang pukul %(time)s. Jika presensi pulang lagi, yang "
                "terakhir yang berlaku. Lanjutkan?"
            ),
            "confirm_yes": _("Ya, presensi pulang"),
            "map_loading": _("Memuat peta…"),
            "inside": _("%(d)s m ke %(name)s — di dalam radius %(r)s m"),
            "outside": _("%(d)s m ke %(name)s — di luar radius %(r)s m"),
            "inside_polygon": _("di dalam area %(name)s"),
            "outside_polygon": _("%(d)s m ke batas area %(name)s"),
            "no_location": _("belum ada lokasi kerja"),
            "searching": _("mencari lokasi…"),
            "locating": _("Mengambil lokasi terbaru…"),
            "sending": _("Mengirim…"),
            "clock_device": _("Jam perangkat — server belum terjangkau"),
            "clock_server": _("Waktu server (yang berlaku)"),
            "you": _("Posisi Anda"),
            "denied": _(
                "Izin lokasi ditolak. Buka pengaturan situs di peramban (ikon gembok di "
                "sebelah alamat), izinkan Lokasi untuk Govem, lalu muat ulang halaman."
            ),
            "unavailable": _(
                "Lokasi tidak tersedia. Aktifkan GPS/Lokasi di ponsel dengan mode akurasi "
                "tinggi, lalu coba lagi."
            ),
            "timeout": _(
                "Lokasi belum didapat (waktu habis). Pastikan GPS aktif, pindah ke dekat "
                "jendela atau tempat terbuka, lalu coba lagi."
            ),
            "unsupported": _("Peramban ini tidak mendukung lokasi. Gunakan Chrome atau Firefox."),
            "insecure": _(
                "Lokasi hanya bisa dipakai lewat sambungan aman (https). Hubungi Tim IT."
            ),
            "poor": _(
                "Akurasi lokasi rendah (±%(a)s m, batas %(max)s m). Aktifkan mode akurasi "
                "tinggi, keluar ke tempat terbuka dan tunggu sebentar sampai akurasi membaik."
            ),
            "network": _(
                "Tidak dapat menghubungi server. Periksa koneksi internet lalu tekan tombol "
                "lagi; presensi yang sama tidak akan tercatat dua kali."
            ),
            "session": _("Sesi Anda berakhir. Silakan masuk lagi."),
            "login": _("Masuk lagi"),
            "server_error": _("Server sedang bermasalah (%(status)s). Coba lagi sebentar lagi."),
        },
    }


def _no_employee(request: HttpRequest) -> HttpResponse:
    return render(request, "attendance/no_employee.html", status=200)


def _checked_in(today: dict[str, Any]) -> bool:
    return any(p["kind"] == "in" and p["verdict"] != "rejected" for p in today["punches"])


@never_cache
@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    employee = employee_of(request.user)
    if employee is None:
        return _no_employee(request)
    me = me_json(employee)
    today = me["today"]
    schedule = _schedule(today)
    shown = [_timed(p, schedule) for p in today["punches"] if p["verdict"] != "rejected"]
    state = _day_state(shown)
    page = {
        "locations": me["locations"],
        "time_zone": today["time_zone"],
        "zone_label": today["zone_label"],
        "tiles": settings.GOVEM["MAP_TILE_URL"],
        "attribution": settings.GOVEM["MAP_ATTRIBUTION"],
        "accuracy_max_m": settings.GOVEM["ACCURACY_MAX_M"],
        "punch_url": reverse("attendance:punch"),
        "login_url": settings.LOGIN_URL,
        "time_url": "/api/v1/time",
        "leaflet_js": static("leaflet/leaflet.js"),
        "leaflet_css": static("leaflet/leaflet.css"),
        "end": today["end"],
        "last_out": state["out_time"],
        "labels": _labels(),
        "last": shown[0] if shown else None,
    }
    context = {
        "employee": employee,
        "unit": me["unit"],
        "today": today,
        "today_date": date.fromisoformat(today["date"]),
        "times": {key: _hm(today[key]) for key in TIME_KEYS},
        "zone_label": today["zone_label"],
        "locations_count": len(me["locations"]),
        "today_punches": [_display(p) for p in today["punches"]],
        "checked_in": _checked_in(today),
        "state": state,
        "page": page,
        "last": _display(shown[0]) if shown else None,
    }
    return render(request, "attendance/home.html", context)


def _schedule(today: dict[str, Any]) -> DaySchedule | None:
    """Today's schedule back from its JSON (no second read of the plan)."""
    if not today["workday"] or not today["start"]:
        return None
    return DaySchedule(
        local_date=date.fromisoformat(today["date"]),
        time_zone=today["time_zone"],
        start=datetime.fromisoformat(today["start"]),
        end=datetime.fromisoformat(today["end"]),
        check_in_opens=datetime.fromisoformat(today["check_in_opens"]),
        check_out_closes=datetime.fromisoformat(today["check_out_closes"]),
    )


def _timed(punch: dict[str, Any], schedule: DaySchedule | None) -> dict[str, Any]:
    """The punch with the late/early minutes its receipt showed (same rules as the service)."""
    at = datetime.fromisoformat(punch["server_time"])
    if schedule is None:
        return {**punch, "late_minutes": None, "early_minutes": None}
    if punch["kind"] == "in":
        return {**punch, "late_minutes": late_minutes(schedule, at), "early_minutes": None}
    return {**punch, "late_minutes": None, "early_minutes": early_minutes(schedule, at)}


def _day_state(shown: list[dict[str, Any]]) -> dict[str, Any]:
    """belum masuk / sudah masuk 07:21 / sudah pulang 16:02 (first in counts, last out counts)."""
    ins = [p for p in shown if p["kind"] == "in"]
    outs = [p for p in shown if p["kind"] == "out"]
    first_in = ins[-1] if ins else None  # punches come newest first
    last_out = outs[0] if outs else None
    code = "out" if last_out else "in" if first_in else "none"
    return {
        "code": code,
        "in_time": first_in["server_time"][11:16] if first_in else None,
        "out_time": last_out["server_time"][11:16] if last_out else None,
        "late": first_in["late_minutes"] if first_in else None,
        "early": last_out["early_minutes"] if last_out else None,
    }


def _hm(iso: str | None) -> str:
    return iso[11:16] if iso else "–"


def _display(punch: dict[str, Any]) -> dict[str, Any]:
    """A punch (``punch_json`` shape) with its Indonesian words, for the templates."""
    return {
        **punch,
        "kind_label": KINDS.get(punch["kind"], punch["kind"]),
        "verdict_label": _(labels.verdict(punch["verdict"])),
        "flag_labels": [_(labels.flag(flag, employee=True)) for flag in punch.get("flags") or []],
        "reason_label": _reason_label(punch.get("reason_code")),
        "time": punch["server_time"][11:19],
    }


def _invalid(message: str, fields: list[dict[str, str]]) -> JsonResponse:
    return JsonResponse(error_body("invalid_input", message, {"fields": fields}), status=422)


def _employee_with_context(user: Any) -> tuple[Any, list[Any]]:
    employee, extra = employee_lookup(user)
    if employee is None or not employee.active:
        return None, [None, None, None]
    return employee, extra


@never_cache
@require_POST
def punch(request: HttpRequest) -> HttpResponse:
    """The page's check-in/out: session + CSRF; same validation, service and answer as the API."""
    if not request.user.is_authenticated:
        return JsonResponse(
            error_body("unauthorized", _("Sesi berakhir. Silakan masuk lagi.")), status=401
        )
    # The employee, unit, active binding and context generation in one statement.
    employee, (generation, bound_pk, bound_key) = _employee_with_context(request.user)
    if employee is None:
        return JsonResponse(
            error_body("not_an_employee", _("Akun ini tidak terhubung dengan data pegawai aktif.")),
            status=403,
        )
    if len(request.body) > MAX_BODY_BYTES:
        return JsonResponse(
            error_body("payload_too_large", _("Permintaan terlalu besar.")), status=413
        )
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError, RecursionError):
        return _invalid(
            _("Data tidak valid: body."), [{"field": "body", "problem": "invalid JSON"}]
        )
    try:
        payload = PunchIn.model_validate(data)
    except ValidationError as exc:
        fields = [
            {
                "field": ".".join(str(part) for part in error.get("loc", ())) or "body",
                "problem": error.get("msg", ""),
            }
            for error in exc.errors()
        ]
        names = ", ".join(item["field"] for item in fields)
        return _invalid(_("Data tidak valid: %(names)s.") % {"names": names}, fields)
    device_id = request.session.get(DEVICE_SESSION_KEY) or request.COOKIES.get(DEVICE_COOKIE, "")
    outcome = record_punch(
        employee=employee,
        attempt=attempt_from(request, payload, device_id=str(device_id)[:128], source="app"),
        known=known_from(employee, generation, bound_pk, bound_key),
    )
    return JsonResponse(outcome.body, status=outcome.status)


@never_cache
@login_required
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    employee = employee_of(request.user)
    if employee is None:
        return _no_employee(request)
    today, zone = local_today(employee)
    start = today - timedelta(days=HISTORY_DAYS - 1)
    days: dict[Any, list[dict[str, Any]]] = {}
    for item in punches_between(employee, start, today):
        days.setdefault(item.local_date, []).append(_history_row(item))
    context = {
        "employee": employee,
        "start": start,
        "today": today,
        "zone_label": zone_label(zone),
        "days": list(days.items()),
        "history_days": HISTORY_DAYS,
    }
    return render(request, "attendance/history.html", context)


def _history_row(item: Punch) -> dict[str, Any]:
    local = item.server_time.astimezone(ZoneInfo(item.time_zone))
    return {
        "id": item.pk,
        "kind": item.kind,
        "kind_label": KINDS.get(item.kind, item.kind),
        "verdict": item.verdict,
        "verdict_label": _(labels.verdict(item.verdict)),
        "flag_labels": [_(labels.flag(flag, employee=True)) for flag in item.flags or []],
        "reason_label": _reason_label(item.reason_code) or "",
        "time": local.strftime("%H:%M:%S"),
        "zone_label": zone_label(item.time_zone),
        "location": item.location.name if item.location else "",
        "distance_m": item.distance_m,
        "accuracy_m": item.accuracy_m,
        "receipt": item.receipt,
    }


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    body = {
        "name": _("Govem — Presensi Pegawai"),
        "short_name": "Govem",
        "description": _("Presensi pegawai dengan waktu dan lokasi yang dikonfirmasi server."),
        "lang": "id",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "id": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#f4f6f5",
        "theme_color": "#0b5d3b",
        "categories": ["business", "productivity"],
        "icons": [
            {"src": static("govem/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("govem/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("govem/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": static("govem/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/manifest+json"
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


SHELL_ASSETS = (
    "bootstrap/css/bootstrap.min.css",
    "govem/govem.css",
    "govem/shell.js",
    "govem/home.js",
    "govem/geo.js",
    "govem/login.js",
    "govem/sw-register.js",
    "govem/icon.svg",
    "govem/icon-192.png",
    "leaflet/leaflet.css",
    "leaflet/leaflet.js",
)


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    assets = [static(name) for name in SHELL_ASSETS]
    response = render(
        request,
        "attendance/sw.js",
        {
            "assets_json": json.dumps(assets),
            "push_handler": static("govem/push-handler.js"),
            "version": _asset_version(assets),
            "offline_title": _("Tidak ada koneksi"),
            "offline_text": _(
                "Presensi memerlukan koneksi ke server. Periksa data seluler atau Wi-Fi, "
                "lalu muat ulang halaman."
            ),
        },
        content_type="application/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


def _asset_version(assets: list[str]) -> str:
    """Changes whenever a shell asset changes, so the worker refreshes its cache."""
    digest = hashlib.sha256()
    for name in SHELL_ASSETS:
        found = finders.find(name)
        if isinstance(found, str):
            stat = os.stat(found)
            digest.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    digest.update("|".join(assets).encode())
    return digest.hexdigest()[:12]
