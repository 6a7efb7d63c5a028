"""Every URL of the URLconf and every operation of the API, for every role.

The routes come from the URLconf itself (``get_resolver()`` walked to the end, the API's
operations from its OpenAPI document): a route without an entry in MATRIX fails
``test_every_route_has_a_matrix_entry``, so a new page or operation cannot ship unchecked.

Columns: the expected status for anonymous, Pegawai, Atasan, Operator of the unit, an Operator
of another unit ("outsider"), Tim IT, Inovator and BKPSDM (records discipline sentences).
Every object a route takes (employee, ticket,
request, clarification, event, flagged punch) belongs to the Diskominfo unit, so the outsider
must get 404 on it; the Inovator reads but never writes.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from govem.absences.clarifications import Clarification, answer_case
from govem.absences.services import create_request
from govem.accounts.roles import BKPSDM, INOVATOR
from govem.accounts.services import employee_of, issue_token
from govem.accounts.views import DEVICE_COOKIE
from govem.api import api
from govem.attendance.models import Punch
from govem.events.models import Event, EventCheckin
from govem.helpdesk.services import create_ticket
from govem.people.services import active_device, bind_device
from tests.conftest import OFFICE_LAT, OFFICE_LON, PASSWORD, body_of
from tests.helpers.files import image_bytes, pdf_bytes
from tests.helpers.regency import Regency, logged_in, staff_user

ROLES = ("anonymous", "pegawai", "atasan", "operator", "outsider", "tim_it", "inovator", "bkpsdm")


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    # One status per role, in ROLES order, space-separated ("302 403 200 ...").
    expected: str
    data: Any = None
    # "form" (urlencoded/multipart as Django's test client sends a dict), "json", "multipart"
    body: str = "form"


def get(path: str, expected: str) -> Case:
    return Case("get", path, expected)


def post(path: str, expected: str, data: Any = None, body: str = "form") -> Case:
    return Case("post", path, expected, data if data is not None else {}, body)


# Keys: "page <route pattern>" for Django routes, "api <METHOD> <OpenAPI path>" for operations.
MATRIX: dict[str, tuple[Case, ...]] = {
    "page admin/": (get("/admin/", "302 302 302 302 302 302 302 302"),),
    # --- API documents ------------------------------------------------------------------------
    "page api/v1/openapi.json": (get("/api/v1/openapi.json", "200 200 200 200 200 200 200 200"),),
    "page api/v1/docs": (get("/api/v1/docs", "200 200 200 200 200 200 200 200"),),
    # The API's index (JSON: name, version, where the OpenAPI document and the docs are).
    "page api/v1/": (get("/api/v1/", "200 200 200 200 200 200 200 200"),),
    "page i18n/setlang/": (
        post("/i18n/setlang/", "302 302 302 302 302 302 302 302", {"language": "en"}),
    ),
    # --- accounts ------------------------------------------------------------------------------
    "page masuk/": (get("/masuk/", "200 302 302 302 302 302 302 302"),),
    "page keluar/": (post("/keluar/", "302 302 302 302 302 302 302 302"),),
    "page aktivasi/": (get("/aktivasi/", "200 200 200 200 200 200 200 200"),),
    "page lupa-sandi/": (get("/lupa-sandi/", "200 200 200 200 200 200 200 200"),),
    "page akun/sandi-baru/": (get("/akun/sandi-baru/", "302 302 302 302 302 302 302 302"),),
    "page akun-pegawai/": (get("/akun-pegawai/", "302 403 403 200 200 200 403 403"),),
    # --- attendance ----------------------------------------------------------------------------
    "page ": (get("/", "302 200 200 200 200 200 200 200"),),
    "page presensi/": (post("/presensi/", "401 409 201 201 422 403 403 403", "{punch}", "json"),),
    "page riwayat/": (get("/riwayat/", "302 200 200 200 200 200 200 200"),),
    "page manifest.webmanifest": (get("/manifest.webmanifest", "200 200 200 200 200 200 200 200"),),
    "page sw.js": (get("/sw.js", "200 200 200 200 200 200 200 200"),),
    "page rekap/": (get("/rekap/", "302 200 200 200 200 200 200 200"),),
    "page rekap/<int:employee_id>/": (
        get("/rekap/{employee}/", "302 200 200 200 404 200 200 200"),
    ),
    # --- monitor -------------------------------------------------------------------------------
    "page monitor/": (
        get("/monitor/", "302 403 200 200 200 200 200 200"),
        get("/monitor/?unit={unit}", "302 403 200 200 404 200 200 200"),
    ),
    "page monitor/feed": (
        get("/monitor/feed?after=0:0", "302 403 200 200 200 200 200 200"),
        get("/monitor/feed?unit={unit}", "302 403 200 200 404 200 200 200"),
    ),
    "page monitor/peta/": (get("/monitor/peta/", "302 403 200 200 200 200 200 200"),),
    "page monitor/belum-presensi/": (
        get("/monitor/belum-presensi/", "302 403 200 200 200 200 200 200"),
    ),
    "page monitor/pegawai/<int:employee_id>/<str:day>/": (
        get("/monitor/pegawai/{employee}/{day}/", "302 403 200 200 404 200 200 200"),
    ),
    "page monitor/tinjauan/": (get("/monitor/tinjauan/", "302 403 200 200 200 200 200 200"),),
    "page monitor/tinjauan/<int:punch_id>/": (
        post(
            "/monitor/tinjauan/{flagged}/",
            "302 403 403 302 404 302 403 403",
            {"decision": "accept", "reason": "Di dalam gedung, GPS meleset"},
        ),
    ),
    # --- helpdesk ------------------------------------------------------------------------------
    "page kendala/": (
        get("/kendala/", "302 200 200 200 200 403 403 403"),
        post(
            "/kendala/",
            "302 302 302 302 302 403 403 403",
            {"category": "other", "description": "Tombol tidak muncul"},
        ),
    ),
    "page kendala/<int:ticket_id>/tangkapan-layar/": (
        get("/kendala/{ticket}/tangkapan-layar/", "302 200 404 200 404 200 200 200"),
    ),
    "page monitor/kendala/": (get("/monitor/kendala/", "302 403 403 200 200 200 200 200"),),
    "page monitor/kendala/<int:ticket_id>/": (
        get("/monitor/kendala/{ticket}/", "302 403 403 200 404 200 200 200"),
    ),
    "page monitor/kendala/<int:ticket_id>/<slug:action>/": (
        post(
            "/monitor/kendala/{ticket}/balas/", "302 403 403 302 404 302 403 403", {"body": "Oke"}
        ),
        post("/monitor/kendala/{ticket}/tugaskan/", "302 403 403 403 403 302 403 403"),
        post(
            "/monitor/kendala/{ticket}/status/",
            "302 403 403 403 403 302 403 403",
            {"status": "resolved"},
        ),
        post(
            "/monitor/kendala/{ticket}/lepas-perangkat/",
            "302 403 403 403 403 302 403 403",
            {"reason": "Ganti ponsel"},
        ),
        post(
            "/monitor/kendala/{ticket}/presensi-manual/",
            "302 403 403 403 403 302 403 403",
            {"kind": "in", "date": "{day}", "time": "07:00:00", "reason": "GPS mati"},
        ),
        post(
            "/monitor/kendala/{ticket}/alasan-teknis/",
            "302 403 403 403 403 302 403 403",
            {"date": "{day}", "reason": "Server gangguan"},
        ),
    ),
    # --- absences ------------------------------------------------------------------------------
    "page pengajuan/": (
        get("/pengajuan/", "302 200 200 200 200 403 403 403"),
        post(
            "/pengajuan/",
            "302 302 302 302 302 403 403 403",
            {
                "type": "CT",
                "start_date": "{tomorrow}",
                "end_date": "{tomorrow}",
                "reason": "Urusan",
            },
        ),
    ),
    "page pengajuan/persetujuan/": (
        get("/pengajuan/persetujuan/", "302 403 200 200 200 200 403 403"),
    ),
    "page pengajuan/<int:request_id>/putuskan/": (
        post(
            "/pengajuan/{request}/putuskan/",
            "302 404 302 302 404 302 403 403",
            {"decision": "approve", "note": "Oke"},
        ),
    ),
    "page pengajuan/<int:request_id>/lampiran/": (
        get("/pengajuan/{request}/lampiran/", "302 200 200 200 404 200 200 200"),
    ),
    "page klarifikasi/": (get("/klarifikasi/?date={friday}", "302 403 403 200 200 200 403 403"),),
    "page klarifikasi/saya/": (get("/klarifikasi/saya/", "302 200 200 200 200 403 403 403"),),
    "page klarifikasi/<int:case_id>/": (
        post(
            "/klarifikasi/{case}/",
            "302 403 403 302 404 302 403 403",
            {"outcome": "sick", "note": "Surat dokter"},
        ),
    ),
    "page klarifikasi/<int:case_id>/kontak/": (
        post(
            "/klarifikasi/{case}/kontak/",
            "302 403 403 302 404 302 403 403",
            {"channel": "phone", "note": "Ditelepon"},
        ),
    ),
    "page klarifikasi/<int:case_id>/lampiran/": (
        # The file follows its case: the Atasan sees neither (clarification is the desk's).
        get("/klarifikasi/{case}/lampiran/", "302 200 404 200 404 200 200 200"),
    ),
    # --- notify --------------------------------------------------------------------------------
    "page notifikasi/push/": (get("/notifikasi/push/", "302 200 200 200 200 200 200 200"),),
    # --- people imports ------------------------------------------------------------------------
    "page impor-pegawai/": (
        get("/impor-pegawai/", "302 403 403 403 403 200 403 403"),
        post("/impor-pegawai/", "302 403 403 403 403 422 403 403"),
    ),
    "page impor-unit/": (
        get("/impor-unit/", "302 403 403 403 403 200 403 403"),
        post("/impor-unit/", "302 403 403 403 403 422 403 403"),
    ),
    "page impor-lokasi/": (
        get("/impor-lokasi/", "302 403 403 403 403 200 403 403"),
        post("/impor-lokasi/", "302 403 403 403 403 422 403 403"),
    ),
    "page impor-pegawai/templat.xlsx": (
        get("/impor-pegawai/templat.xlsx", "302 403 403 403 403 200 403 403"),
    ),
    "page impor-unit/templat.xlsx": (
        get("/impor-unit/templat.xlsx", "302 403 403 403 403 200 403 403"),
    ),
    "page impor-lokasi/templat.xlsx": (
        get("/impor-lokasi/templat.xlsx", "302 403 403 403 403 200 403 403"),
    ),
    # --- operations ----------------------------------------------------------------------------
    "page healthz": (get("/healthz", "200 200 200 200 200 200 200 200"),),
    "page operasi/": (get("/operasi/", "302 403 403 403 403 200 200 200"),),
    "page operasi/jalankan/": (
        post(
            "/operasi/jalankan/",
            "302 403 403 403 403 302 403 403",
            {"date": "{friday}", "phase": "recompute"},
        ),
    ),
    "page operasi/evaluasi/<str:day>/": (
        get("/operasi/evaluasi/{friday}/", "302 403 403 403 403 200 200 200"),
    ),
    "page operasi/evaluasi/<str:day>/pdf/": (
        get("/operasi/evaluasi/{friday}/pdf/", "302 403 403 403 403 200 200 200"),
    ),
    # --- schedules -----------------------------------------------------------------------------
    "page kalender/<int:year>/": (get("/kalender/2026/", "302 200 200 200 200 200 200 200"),),
    # --- reports -------------------------------------------------------------------------------
    "page laporan/": (
        get("/laporan/", "302 403 200 200 200 200 200 200"),
        get("/laporan/?unit={unit}", "302 403 200 200 404 200 200 200"),
    ),
    "page laporan/harian.<str:fmt>": (
        get("/laporan/harian.xlsx?tanggal={friday}", "302 403 200 200 200 200 200 200"),
        get("/laporan/harian.pdf?tanggal={friday}&unit={unit}", "302 403 200 200 404 200 200 200"),
    ),
    "page laporan/verifikasi/": (
        post("/laporan/verifikasi/", "302 403 403 302 302 302 403 403", {"tanggal": "{friday}"}),
        post(
            "/laporan/verifikasi/",
            "302 403 403 302 404 302 403 403",
            {"tanggal": "{friday}", "unit": "{unit}"},
        ),
    ),
    "page laporan/bulanan/": (
        get("/laporan/bulanan/", "302 403 200 200 200 200 200 200"),
        get("/laporan/bulanan/?bulan=2026-11&unit={unit}", "302 403 200 200 404 200 200 200"),
    ),
    "page laporan/bulanan.<str:fmt>": (
        get("/laporan/bulanan.xlsx?bulan=2026-11", "302 403 200 200 200 200 200 200"),
        get("/laporan/bulanan.pdf?bulan=2026-11&unit={unit}", "302 403 200 200 404 200 200 200"),
    ),
    # --- payroll (TPP) -------------------------------------------------------------------------
    "page tpp/": (
        get("/tpp/", "302 403 200 200 200 200 200 200"),
        get("/tpp/?bulan=2026-11&unit={unit}", "302 403 200 200 404 200 200 200"),
    ),
    "page tpp/laporan.<str:fmt>": (
        get("/tpp/laporan.xlsx?bulan=2026-11", "302 403 200 200 200 200 200 200"),
        get("/tpp/laporan.pdf?bulan=2026-11&unit={unit}", "302 403 200 200 404 200 200 200"),
    ),
    "page tpp/pagu/": (
        get("/tpp/pagu/", "302 403 403 403 403 200 403 403"),
        post("/tpp/pagu/", "302 403 403 403 403 422 403 403"),
    ),
    "page tpp/pagu/templat.xlsx": (
        get("/tpp/pagu/templat.xlsx", "302 403 403 403 403 200 403 403"),
    ),
    "page tpp/produktivitas/": (
        get("/tpp/produktivitas/", "302 403 403 200 200 200 403 403"),
        post(
            "/tpp/produktivitas/",
            "302 403 403 302 404 302 403 403",
            {"action": "entry", "bulan": "2026-11", "nip": "{nip}", "capaian": "80"},
        ),
    ),
    "page tpp/produktivitas/templat.xlsx": (
        get("/tpp/produktivitas/templat.xlsx", "302 403 403 200 200 200 403 403"),
    ),
    "page tpp/hukuman/": (
        get("/tpp/hukuman/", "302 200 200 200 200 200 200 200"),
        get("/tpp/hukuman/?pegawai={employee}", "302 200 200 200 404 200 200 200"),
        post(
            "/tpp/hukuman/",
            "302 403 403 403 403 302 403 302",
            {
                "nip": "{nip}",
                "jenis": "tpp_25_6",
                "nomor": "800/7/BKPSDM/2026",
                "tanggal": "2026-11-02",
                "mulai": "2026-12",
            },
        ),
    ),
    # --- innovation ----------------------------------------------------------------------------
    "page inovasi/": (get("/inovasi/", "302 403 403 403 403 200 200 200"),),
    "page inovasi/laporan.<str:fmt>": (
        get("/inovasi/laporan.xlsx", "302 403 403 403 403 200 200 200"),
    ),
    # --- events --------------------------------------------------------------------------------
    "page acara/": (
        get("/acara/", "302 200 200 200 200 200 200 200"),
        post(
            "/acara/",
            # The outsider names a unit outside their scope: 404, as for any id there.
            "302 403 403 302 404 302 403 403",
            {
                "nama": "Apel sore",
                "jenis": "apel_pagi",
                "tanggal": "{tomorrow}",
                "buka": "07:00",
                "tutup": "08:00",
                "lokasi": "{office}",
                "unit": "{unit}",
            },
        ),
    ),
    "page acara/<int:event_id>/tinjau/<int:checkin_id>": (
        post(
            "/acara/{event}/tinjau/{checkin}",
            "302 404 404 302 404 302 403 403",
            {"keputusan": "accept", "alasan": "Di lapangan apel, GPS meleset"},
        ),
    ),
    "page acara/<int:event_id>/": (get("/acara/{event}/", "302 200 200 200 404 200 200 200"),),
    "page acara/<int:event_id>/hadir": (
        post("/acara/{event}/hadir", "401 201 201 201 403 403 403 403", "{punch}", "json"),
    ),
    # --- API -----------------------------------------------------------------------------------
    "api POST /api/v1/auth/token": (
        post(
            "/api/v1/auth/token",
            "200 200 200 200 200 200 200 200",
            {"nip": "{nip}", "password": PASSWORD, "device_id": "ponsel-lama-123"},
            "json",
        ),
        post(
            "/api/v1/auth/token",
            "401 401 401 401 401 401 401 401",
            {"nip": "{nip}", "password": "salah-sekali", "device_id": "perangkat-uji-1"},
            "json",
        ),
    ),
    "api DELETE /api/v1/auth/token": (
        Case("delete", "/api/v1/auth/token", "401 204 204 204 204 204 204 204"),
    ),
    "api POST /api/v1/auth/activate": (
        post(
            "/api/v1/auth/activate",
            "422 422 422 422 422 422 422 422",
            {"nip": "{nip}", "code": "000000"},
            "json",
        ),
    ),
    "api POST /api/v1/auth/reset": (
        post("/api/v1/auth/reset", "202 202 202 202 202 202 202 202", {"nip": "{nip}"}, "json"),
    ),
    "api GET /api/v1/me": (get("/api/v1/me", "401 200 200 200 200 403 403 403"),),
    "api POST /api/v1/punches": (
        post("/api/v1/punches", "401 409 201 201 422 403 403 403", "{punch}", "json"),
    ),
    "api GET /api/v1/punches": (
        get("/api/v1/punches?from={friday}&to={day}", "401 200 200 200 200 403 403 403"),
    ),
    "api GET /api/v1/time": (get("/api/v1/time", "200 200 200 200 200 200 200 200"),),
    "api POST /api/v1/tickets": (
        post(
            "/api/v1/tickets",
            "401 201 201 201 201 403 403 403",
            {"category": "location", "description": "Di luar radius padahal di kantor"},
            "multipart",
        ),
    ),
    "api GET /api/v1/tickets": (get("/api/v1/tickets", "401 200 200 200 200 403 403 403"),),
    "api POST /api/v1/push/subscriptions": (
        post(
            "/api/v1/push/subscriptions",
            "401 201 201 201 201 201 201 201",
            {
                "endpoint": "https://push.example.test/abc",
                "keys": {"p256dh": "{p256dh}", "auth": "{push_auth}"},
            },
            "json",
        ),
    ),
    "api DELETE /api/v1/push/subscriptions": (
        Case(
            "delete",
            "/api/v1/push/subscriptions?endpoint=https://push.example.test/abc",
            "401 204 204 204 204 204 204 204",
        ),
    ),
    "api GET /api/v1/push/public-key": (
        get("/api/v1/push/public-key", "200 200 200 200 200 200 200 200"),
    ),
    "api GET /api/v1/days": (
        get("/api/v1/days?from={friday}&to={day}", "401 200 200 200 200 403 403 403"),
    ),
    "api GET /api/v1/recap": (
        get("/api/v1/recap?month=2026-11", "401 200 200 200 200 403 403 403"),
    ),
    "api POST /api/v1/requests": (
        post(
            "/api/v1/requests",
            "401 201 201 201 201 403 403 403",
            {
                "type": "CT",
                "start_date": "{tomorrow}",
                "end_date": "{tomorrow}",
                "reason": "Urusan",
            },
            "multipart",
        ),
    ),
    "api GET /api/v1/requests": (get("/api/v1/requests", "401 200 200 200 200 403 403 403"),),
    "api GET /api/v1/requests/balance": (
        get("/api/v1/requests/balance", "401 200 200 200 200 403 403 403"),
    ),
    "api GET /api/v1/requests/pending": (
        # The approval queue: approvers only (as the page), Tim IT without an employee record.
        get("/api/v1/requests/pending", "401 403 200 200 200 200 403 403"),
    ),
    "api POST /api/v1/requests/{request_id}/decision": (
        post(
            "/api/v1/requests/{request}/decision",
            "401 404 200 200 404 200 403 403",
            {"decision": "approve"},
            "json",
        ),
    ),
    "api GET /api/v1/clarifications": (
        get("/api/v1/clarifications", "401 200 200 200 200 200 200 200"),
    ),
    "api POST /api/v1/clarifications/{case_id}/answer": (
        post(
            "/api/v1/clarifications/{case}/answer",
            "401 200 404 404 404 403 403 403",
            {"answer": "Sakit"},
            "multipart",
        ),
    ),
    "api POST /api/v1/clarifications/{case_id}/contacts": (
        post(
            "/api/v1/clarifications/{case}/contacts",
            "401 403 403 201 404 201 403 403",
            {"channel": "phone", "note": "Ditelepon"},
            "json",
        ),
    ),
    "api POST /api/v1/clarifications/{case_id}/outcome": (
        post(
            "/api/v1/clarifications/{case}/outcome",
            "401 403 403 200 404 200 403 403",
            {"outcome": "sick"},
            "json",
        ),
    ),
    "api GET /api/v1/reports/daily": (
        get("/api/v1/reports/daily?date={friday}", "401 403 200 200 200 200 200 200"),
        get(
            "/api/v1/reports/daily?date={friday}&unit={unit_code}",
            "401 403 200 200 404 200 200 200",
        ),
    ),
    "api GET /api/v1/reports/monthly": (
        get("/api/v1/reports/monthly?month=2026-11", "401 403 200 200 200 200 200 200"),
        get(
            "/api/v1/reports/monthly?month=2026-11&unit={unit_code}",
            "401 403 200 200 404 200 200 200",
        ),
    ),
    "api POST /api/v1/reports/daily/verify": (
        post(
            "/api/v1/reports/daily/verify",
            "401 403 403 201 201 201 403 403",
            {"date": "{friday}"},
            "json",
        ),
        post(
            "/api/v1/reports/daily/verify",
            "401 403 403 201 404 201 403 403",
            {"date": "{friday}", "unit": "{unit_code}"},
            "json",
        ),
    ),
    "api GET /api/v1/tpp": (
        get("/api/v1/tpp?month=2026-11", "401 200 200 200 200 403 403 403"),
        get("/api/v1/tpp?month=2026-11&unit={unit_code}", "401 403 200 200 404 200 200 200"),
    ),
    "api GET /api/v1/events": (get("/api/v1/events", "401 200 200 200 200 403 403 403"),),
    "api POST /api/v1/events/{event_id}/checkins": (
        post(
            "/api/v1/events/{event}/checkins", "401 201 201 201 403 403 403 403", "{punch}", "json"
        ),
    ),
    "api GET /api/v1/events/reviews": (
        get("/api/v1/events/reviews", "401 403 200 200 200 200 200 200"),
    ),
    "api POST /api/v1/events/{event_id}/checkins/{checkin_id}/review": (
        post(
            "/api/v1/events/{event}/checkins/{checkin}/review",
            "401 403 404 200 404 200 403 403",
            {"decision": "accept", "reason": "Terlihat di lapangan"},
            "json",
        ),
    ),
    "api GET /api/v1/events/{event_id}/attendance": (
        get("/api/v1/events/{event}/attendance", "401 403 200 200 404 200 200 200"),
    ),
}


# Discovery ----------------------------------------------------------------------------------
def _walk(resolver: URLResolver, prefix: str = "") -> list[str]:
    routes = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if prefix + str(pattern.pattern) == "admin/":
                # Django's admin: one entry (its index), guarded by is_staff as a whole.
                routes.append("admin/")
                continue
            routes.extend(_walk(pattern, prefix + str(pattern.pattern)))
        elif isinstance(pattern, URLPattern):
            routes.append(prefix + str(pattern.pattern))
    return routes


def discovered_routes() -> set[str]:
    """Every route of the URLconf, the API's operations by method and OpenAPI path."""
    schema = api.get_openapi_schema()
    operations = {
        f"api {method.upper()} {path}"
        for path, methods in schema["paths"].items()
        for method in methods
    }
    api_paths = {path for path in schema["paths"]}
    pages = set()
    for route in _walk(get_resolver()):
        as_openapi = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        if as_openapi not in api_paths:
            pages.add(f"page {route}")
    return pages | operations


def test_every_route_has_a_matrix_entry() -> None:
    routes = discovered_routes()
    missing = sorted(routes - MATRIX.keys())
    stale = sorted(MATRIX.keys() - routes)
    assert not missing, f"routes without a permission-matrix entry: {missing}"
    assert not stale, f"matrix entries for routes that no longer exist: {stale}"


def test_the_api_operations_are_all_in_the_urlconf() -> None:
    """The OpenAPI paths the discovery uses are the API's real routes (not a second list)."""
    api_routes = {
        "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        for route in _walk(get_resolver())
        if route.startswith("api/v1/")
    }
    assert set(api.get_openapi_schema()["paths"]) <= api_routes


def _codes(case: Case) -> list[int]:
    codes = [int(code) for code in case.expected.split()] if "?" not in case.expected else []
    return codes or [0] * len(ROLES)


CASES = [
    pytest.param(case, role, _codes(case)[index], id=f"{key}-{case.method}#{n}-{role}")
    for key, cases in MATRIX.items()
    for n, case in enumerate(cases)
    for index, role in enumerate(ROLES)
]


# The objects the routes take, all in the Diskominfo unit ----------------------------------
def _objects(regency: Regency) -> dict[str, Any]:
    employee = regency.employee
    today = timezone.localdate()
    friday = today - timedelta(days=3)
    ticket = create_ticket(
        employee=employee,
        category="login",
        description="Tidak bisa masuk",
        screenshot=SimpleUploadedFile("a.png", image_bytes()),
        by=employee.user,
    )
    bind_device(employee=employee, device_id="ponsel-lama-123", label="Ponsel lama")
    flagged = Punch.objects.create(
        employee=employee,
        kind="in",
        server_time=timezone.now(),
        local_date=today,
        time_zone="Asia/Makassar",
        latitude=-2.9402,
        longitude=115.1613,
        accuracy_m=40,
        distance_m=120,
        location=regency.office,
        verdict="flagged",
        flags=["borderline_location"],
        source="api",
    )
    request = create_request(
        employee=employee,
        type_code="S",
        start_date=today,
        end_date=today,
        reason="Demam",
        by=employee.user,
        attachment=SimpleUploadedFile("surat.pdf", pdf_bytes(), content_type="application/pdf"),
    )
    case = Clarification.objects.create(employee=employee, date=friday, kind="tk")
    answer_case(
        case=case,
        by=employee.user,
        answer="Sakit",
        attachment=SimpleUploadedFile("surat.pdf", pdf_bytes(), content_type="application/pdf"),
    )
    event = Event.objects.create(
        name="Apel pagi",
        kind="apel_pagi",
        date=today,
        opens_at=time(0, 0),
        closes_at=time(23, 59, 59),
        location=regency.office,
    )
    event.units.add(regency.unit)
    flagged_checkin = EventCheckin.objects.create(
        event=event,
        employee=regency.colleague,
        server_time=timezone.now(),
        latitude=-2.9402,
        longitude=115.1613,
        accuracy_m=40,
        distance_m=120,
        verdict=EventCheckin.Verdict.FLAGGED,
        flags=["borderline_location"],
        source="app",
    )
    return {
        "unit": regency.unit.pk,
        "unit_code": regency.unit.code,
        "p256dh": _b64(PUSH_KEY),
        "push_auth": _b64(b"0123456789abcdef"),
        "office": regency.office.pk,
        "employee": employee.pk,
        "nip": employee.nip,
        "day": today.isoformat(),
        "friday": friday.isoformat(),
        "tomorrow": (today + timedelta(days=1)).isoformat(),
        "ticket": ticket.pk,
        "flagged": flagged.pk,
        "request": request.pk,
        "case": case.pk,
        "event": event.pk,
        "checkin": flagged_checkin.pk,
    }


PUSH_KEY = (
    ec.generate_private_key(ec.SECP256R1())
    .public_key()
    .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _punch_body() -> dict[str, Any]:
    return {
        "kind": "in",
        "latitude": OFFICE_LAT,
        "longitude": OFFICE_LON,
        "accuracy_m": 12.0,
        "client_time": timezone.now().isoformat(),
        "idempotency_key": "matrix-punch-0001",
    }


def _fill(value: Any, ids: dict[str, Any]) -> Any:
    if value == "{punch}":
        return _punch_body()
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {key: _fill(item, ids) for key, item in value.items()}
    return value


def _user(regency: Regency, role: str) -> Any:
    if role == "bkpsdm":
        # As deployed: BKPSDM staff read the whole regency (Inovator) and record sentences.
        return staff_user("bkpsdm", INOVATOR, BKPSDM)
    return regency.user(role)


def _client(user: Any, api_route: bool) -> tuple[Client, dict[str, str]]:
    """A browser session (with the device cookie) for the pages, the phone's bearer token for
    the API, bound to the employee's device as the login binds it (staff: no device)."""
    if user is None:
        return Client(), {}
    employee = employee_of(user)
    device = None
    if employee is not None:
        device = active_device(employee) or bind_device(
            employee=employee, device_id=f"ponsel-{user.username}"
        )
    if not api_route:
        client = logged_in(user)
        if device is not None:
            client.cookies[DEVICE_COOKIE] = device.device_id
        return client, {}
    raw, _ = issue_token(user=user, device=device)
    return Client(), {"Authorization": f"Bearer {raw}"}


@pytest.mark.parametrize(("case", "role", "expected"), CASES)
def test_it_enforces_the_role_and_unit_matrix(
    clock: Any, regency: Regency, case: Case, role: str, expected: int
) -> None:
    ids = _objects(regency)
    path = case.path.format(**ids)
    client, headers = _client(_user(regency, role), path.startswith("/api/v1/"))
    data = _fill(case.data, ids)
    send = getattr(client, case.method)
    if case.body == "json":
        response = send(path, json.dumps(data), content_type="application/json", headers=headers)
    elif case.method == "get":
        response = send(path, headers=headers)
    else:
        response = send(path, data, headers=headers)
    body = body_of(response)[:300]  # read to the end: a served file is closed
    assert response.status_code == expected, (case.method, case.path, role, body)
    if expected == 302 and role == "anonymous" and not case.path.startswith(("/i18n", "/keluar")):
        assert response["Location"].startswith(("/masuk/", "/admin/login/"))


def test_every_row_names_one_status_per_role() -> None:
    for key, cases in MATRIX.items():
        for case in cases:
            codes = case.expected.split()
            assert len(codes) == len(ROLES) and all(c.isdigit() for c in codes), (key, case)
