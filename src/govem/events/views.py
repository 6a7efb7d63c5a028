"""``/acara/``: events (apel, upacara…) — the list and the form (operators for their units,
Tim IT), one event's roll (who is there, excused, absent; scoped) and the employee's check-in
(session + CSRF, the same service as the API)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from pydantic import ValidationError

from govem.accounts.access import (
    get_employees_by_nip_for_user_or_404,
    get_units_for_user_or_404,
)
from govem.accounts.scoping import can_monitor, visible_employees, visible_units
from govem.accounts.services import employee_of
from govem.accounts.views import DEVICE_COOKIE, DEVICE_SESSION_KEY
from govem.attendance.api import attempt_from
from govem.errors import DomainError, error_body
from govem.events.api import EventCheckinIn
from govem.events.models import Event, EventCheckin
from govem.events.queries import (
    attendance,
    can_manage_events,
    closed,
    get_checkin_rw_for_user_or_404,
    holding,
    is_required,
    may_review,
    pending_reviews,
    visible_events,
)
from govem.events.services import check_in, create_event, review_checkin
from govem.people.models import WorkLocation

MAX_BODY_BYTES = 4096


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError as exc:
        raise DomainError(
            "invalid_input", _("Tanggal harus berformat YYYY-MM-DD."), details={"field": "date"}
        ) from exc


@login_required
@require_http_methods(["GET", "POST"])
def event_list(request: HttpRequest) -> HttpResponse:
    may_manage = can_manage_events(request.user)
    problem: DomainError | None = None
    status = 200
    if request.method == "POST":
        if not may_manage:
            return render(
                request,
                "events/error.html",
                {
                    "error": DomainError(
                        "forbidden",
                        _("Hanya operator dan Tim IT yang dapat membuat acara."),
                        status=403,
                    )
                },
                status=403,
            )
        post = request.POST
        try:
            units = get_units_for_user_or_404(request.user, post.getlist("unit"))
            invited = get_employees_by_nip_for_user_or_404(request.user, post.get("pegawai", ""))
            event = create_event(
                by=request.user,
                name=post.get("nama", ""),
                kind=post.get("jenis", ""),
                day=_day(post.get("tanggal", "")),
                opens_at=post.get("buka", ""),
                closes_at=post.get("tutup", ""),
                location_id=post.get("lokasi", ""),
                latitude=post.get("lintang", ""),
                longitude=post.get("bujur", ""),
                radius_m=post.get("radius", ""),
                place_name=post.get("tempat", ""),
                units=units,
                employees=invited,
                mandatory=post.get("wajib") == "1",
                note=post.get("catatan", "")[:2000],
            )
            messages.success(
                request,
                _("Acara %(name)s (%(date)s) dibuat.") % {"name": event.name, "date": event.date},
            )
            return redirect("events:detail", event_id=event.pk)
        except DomainError as error:
            problem, status = error, error.status
    scope = visible_employees(request.user)
    rows = (
        visible_events(request.user, scope).select_related("location").order_by("-date", "opens_at")
    )
    own = employee_of(request.user)
    listed = list(rows[:200])
    if can_monitor(request.user):  # flagged check-ins this caller may decide, per event
        awaiting = dict(
            pending_reviews(request.user, scope)
            .order_by()
            .values("event_id")
            .annotate(n=Count("id"))
            .values_list("event_id", "n")
        )
        for event in listed:
            event.awaiting = awaiting.get(event.pk, 0)  # type: ignore[attr-defined]
    context = {
        "rows": listed,
        "may_manage": may_manage,
        "kinds": Event.Kind.choices,
        "units": visible_units(request.user).order_by("path")[:500] if may_manage else [],
        "locations": WorkLocation.objects.filter(active=True).order_by("name")[:500]
        if may_manage
        else [],
        "error": problem,
        "values": request.POST if problem else {},
        "today": timezone.localdate().isoformat(),
        "own": own,
    }
    return render(request, "events/list.html", context, status=status)


@login_required
def detail(request: HttpRequest, event_id: int, problem: DomainError | None = None) -> HttpResponse:
    own = employee_of(request.user)
    event = Event.objects.select_related("location").filter(pk=event_id).first()
    if event is None:
        raise Http404("event")
    required_me = own is not None and is_required(event, own)
    roll = None
    if can_monitor(request.user):
        scope = visible_employees(request.user)
        if visible_events(request.user, scope).filter(pk=event.pk).exists():
            roll = attendance(event, scope)
    if roll is None and not required_me:
        raise Http404("event")
    status = problem.status if problem else 200
    mine = holding(event, own) if required_me and own is not None else None
    rejected_mine = (
        None
        if mine is not None or own is None
        else EventCheckin.objects.filter(event=event, employee=own, review__decision="rejected")
        .select_related("review")
        .first()
    )
    reviewable = []
    if roll is not None:
        reviewable = [
            (person, checkin)
            for person, checkin in roll.pending
            if may_review(request.user, checkin)
        ]
    context = {
        "event": event,
        "roll": roll,
        "required_me": required_me,
        "done": mine is not None,
        "mine": mine,
        "rejected_mine": rejected_mine,
        "reviewable": reviewable,
        "error": problem,
        "closed": closed(event),
    }
    return render(request, "events/detail.html", context, status=status)


@login_required
@require_POST
def review(request: HttpRequest, event_id: int, checkin_id: int) -> HttpResponse:
    """Accept or reject a flagged check-in (reason required); 404 outside the caller's scope."""
    try:  # 404 outside the scope propagates; a refusal shows the event again
        checkin = get_checkin_rw_for_user_or_404(request.user, event_id, checkin_id)
        decided = review_checkin(
            checkin=checkin,
            decision=request.POST.get("keputusan", ""),
            reason=request.POST.get("alasan", ""),
            by=request.user,
        )
    except DomainError as error:
        return detail(request, event_id, problem=error)
    messages.success(
        request,
        _("Presensi %(name)s: %(decision)s.")
        % {"name": checkin.employee.name, "decision": decided.get_decision_display()},
    )
    return redirect("events:detail", event_id=event_id)


@never_cache
@require_POST
def checkin(request: HttpRequest, event_id: int) -> HttpResponse:
    """The page's check-in: session + CSRF; the API's validation and service."""
    if not request.user.is_authenticated:
        return JsonResponse(
            error_body("unauthorized", _("Sesi berakhir. Silakan masuk lagi.")), status=401
        )
    employee = employee_of(request.user)
    if employee is None:
        return JsonResponse(
            error_body("not_an_employee", _("Akun ini tidak terhubung dengan data pegawai aktif.")),
            status=403,
        )
    event = Event.objects.select_related("location").filter(pk=event_id).first()
    if event is None:
        return JsonResponse(error_body("not_found", _("Acara tidak ditemukan.")), status=404)
    if len(request.body) > MAX_BODY_BYTES:
        return JsonResponse(
            error_body("payload_too_large", _("Permintaan terlalu besar.")), status=413
        )
    try:
        payload = EventCheckinIn.model_validate(json.loads(request.body or b"null"))
    except (ValueError, ValidationError, UnicodeDecodeError, RecursionError) as exc:
        fields: list[dict[str, Any]] = []
        if isinstance(exc, ValidationError):
            fields = [
                {
                    "field": ".".join(str(p) for p in e.get("loc", ())) or "body",
                    "problem": e.get("msg", ""),
                }
                for e in exc.errors()
            ]
        return JsonResponse(
            error_body("invalid_input", _("Data tidak valid."), {"fields": fields}), status=422
        )
    device_id = request.session.get(DEVICE_SESSION_KEY) or request.COOKIES.get(DEVICE_COOKIE, "")
    try:
        status, body = check_in(
            event=event,
            employee=employee,
            attempt=attempt_from(request, payload, device_id=str(device_id)[:128], source="app"),
        )
    except DomainError as error:
        return JsonResponse(error.as_body(), status=error.status)
    return JsonResponse(body, status=status)
