"""The monitoring console (SOP step 3): thin views over :mod:`govem.monitor.queries`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from govem import l10n
from govem.accounts.access import get_employee_for_user_or_404, get_unit_for_user_or_404
from govem.accounts.scoping import (
    can_handle_tickets,
    can_monitor,
    can_review_punches,
    can_write,
    scope_units,
    visible_units,
)
from govem.attendance.models import Punch
from govem.attendance.queries import location_json
from govem.errors import DomainError
from govem.helpdesk.queries import latest_open_tickets, open_ticket_counts
from govem.monitor import charts, queries, texts
from govem.monitor import feed as change_feed
from govem.monitor.review import pending
from govem.operations.golive import regency_start
from govem.people.models import Unit
from govem.replica import replica_reads


def monitor_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_monitor(request.user):
            raise PermissionDenied("monitor")
        return view(request, *args, **kwargs)

    return wrapped


def today() -> date:
    return timezone.localdate()


def parse_day(raw: str | None) -> date:
    if not raw:
        return today()
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise DomainError(
            "invalid_input",
            gettext("Tanggal tidak valid (format YYYY-MM-DD)."),
            details={"field": "date"},
        ) from exc


def _filters(request: HttpRequest) -> tuple[date, Unit | None]:
    day = parse_day(request.GET.get("date"))
    raw_unit = request.GET.get("unit")
    unit = get_unit_for_user_or_404(request.user, raw_unit) if raw_unit else None
    return day, unit


def _bad_request(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "monitor/error.html", {"error": error}, status=error.status)


def _context(request: HttpRequest, day: date, unit: Unit | None) -> dict[str, Any]:
    roots = scope_units(request.user)
    starts = regency_start()
    return {
        "day": day,
        # Before the go-live nothing is booked: the pages say "belum dihitung".
        "counted": day >= starts,
        "counting_starts": starts,
        "day_label": l10n.long_date(day),
        "is_today": day == today(),
        "unit": unit,
        "unit_choices": list(visible_units(request.user).order_by("path")[:1000]),
        "roots": roots,
        "can_review": can_review_punches(request.user),
        "can_handle_tickets": can_handle_tickets(request.user),
        "can_write": can_write(request.user),
        "tile_labels": TILE_LABELS,
    }


TILE_LABELS = [
    ("scheduled", _("Terjadwal hari ini")),
    ("checked_in", _("Sudah presensi masuk")),
    ("on_time", _("Tepat waktu")),
    ("TL1", _("TL1 (1–30 mnt)")),
    ("TL2", _("TL2 (31–60 mnt)")),
    ("TL3", _("TL3 (61–90 mnt)")),
    ("TL4", _("TL4 (> 90 mnt)")),
    ("not_yet", _("Belum presensi")),
    ("leave", _("Cuti / DL / sakit")),
    ("day_off", _("Libur")),
    ("checked_out", _("Sudah presensi pulang")),
]


def _map_data(locations: list[dict[str, Any]], punches: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "tiles": settings.GOVEM["MAP_TILE_URL"],
        "attribution": settings.GOVEM["MAP_ATTRIBUTION"],
        "locations": locations,
        "punches": punches,
    }


def _tile_items(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    return [(key, label, counts[key]) for key, label in TILE_LABELS]  # type: ignore[misc]


@monitor_view
@require_GET
@replica_reads
def dashboard(request: HttpRequest) -> HttpResponse:
    try:
        day, unit = _filters(request)
    except DomainError as error:
        return _bad_request(request, error)
    rows = queries.employee_days(request.user, day, unit)
    if unit is not None:
        units = list(unit.subtree().order_by("path")[:300])
    else:
        units = list(visible_units(request.user).order_by("path")[:300])
    sort = request.GET.get("sort", "")
    descending = request.GET.get("dir", "desc") == "desc"
    context = _context(request, day, unit)
    context.update(
        {
            "tile_items": _tile_items(queries.tiles(rows)),
            "unit_rows": queries.unit_rows(rows, units, sort=sort, descending=descending),
            "sort": sort,
            "descending": descending,
            "recent": change_feed.feed(request.user, day=day, unit=unit, after=None),
            "tickets": open_ticket_counts(request.user),
            "latest_tickets": latest_open_tickets(request.user),
            "flagged": _flagged(request.user, day, unit).count(),
            "curve": charts.curve(queries.morning_curve(request.user, day, unit)),
        }
    )
    return render(request, "monitor/dashboard.html", context)


@monitor_view
@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    try:
        day, unit = _filters(request)
        cursor = change_feed.parse_cursor(request.GET.get("after"))
    except DomainError as error:
        return JsonResponse(error.as_body(), status=error.status)
    page = change_feed.feed_json(request.user, day=day, unit=unit, after=cursor)
    response = HttpResponse(page, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


@monitor_view
@require_GET
def map_view(request: HttpRequest) -> HttpResponse:
    try:
        day, unit = _filters(request)
    except DomainError as error:
        return _bad_request(request, error)
    rows = queries.employee_days(request.user, day, unit)
    context = _context(request, day, unit)
    recent = change_feed.feed(request.user, day=day, unit=unit, after=None)
    context.update(
        {
            "recent": recent,
            "map_data": _map_data(queries.map_locations(rows), recent["punches"]),
        }
    )
    return render(request, "monitor/map.html", context)


@monitor_view
@require_GET
def not_yet(request: HttpRequest) -> HttpResponse:
    try:
        day, unit = _filters(request)
    except DomainError as error:
        return _bad_request(request, error)
    waiting = queries.not_yet(queries.employee_days(request.user, day, unit))
    people = [
        {
            "row": row,
            "tel": texts.tel_link(row.employee.phone),
            "whatsapp": texts.whatsapp_link(
                phone=row.employee.phone, name=row.employee.name, day=day
            ),
        }
        for row in waiting
    ]
    context = _context(request, day, unit)
    context["people"] = people
    return render(request, "monitor/not_yet.html", context)


@monitor_view
@require_GET
def employee_day(request: HttpRequest, employee_id: int, day: str) -> HttpResponse:
    employee = get_employee_for_user_or_404(request.user, employee_id)
    try:
        local_day = parse_day(day)
    except DomainError as error:
        return _bad_request(request, error)
    punches = list(
        Punch.objects.filter(employee=employee, local_date=local_day)
        .select_related("location", "device", "created_by")
        .order_by("server_time", "id")
    )
    rows = queries.employee_days(request.user, local_day, None, only=employee.pk)
    summary = rows[0] if rows else None
    context = _context(request, local_day, employee.unit)
    context.update(
        {
            "employee": employee,
            "summary": summary,
            "punches": [{"punch": punch, "row": change_feed.punch_row(punch)} for punch in punches],
            "map_data": _map_data(
                [location_json(location) for location in employee.allowed_locations()],
                [change_feed.punch_row(punch) for punch in punches],
            ),
            "whatsapp": texts.whatsapp_link(
                phone=employee.phone, name=employee.name, day=local_day
            ),
            "tel": texts.tel_link(employee.phone),
        }
    )
    return render(request, "monitor/employee_day.html", context)


def _flagged(user: Any, day: date, unit: Unit | None) -> Any:

    return pending(user, day, unit)
