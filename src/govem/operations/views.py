"""The "Operasi Harian" pages (Tim IT and Inovator read; Tim IT asks for re-runs) and /healthz."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from govem.accounts.roles import INOVATOR, TIM_IT, has_role
from govem.dates import supported
from govem.errors import DomainError
from govem.l10n import long_date
from govem.operations import golive, health, phases
from govem.operations.evaluation import comparison, evaluate_day
from govem.operations.models import Backup, PhaseRun, WorkerHeartbeat
from govem.operations.pdf import evaluation_pdf
from govem.operations.reach import unreachable
from govem.operations.timeline import phase_line
from govem.replica import replica_reads

DAYS_SHOWN = 7
FRESHNESS_CACHE_S = 120


SLOW_CHECKS = ("channels", "freshness")  # a regency-wide read each: cached for two minutes


def _checks() -> list[health.Check]:
    """All checks; the slow ones (today's plans, a query per unit) cached for two minutes."""
    checks = health.run_checks(skip=set(SLOW_CHECKS))
    if checks and checks[0].status != health.FAIL:
        key = f"govem:health:slow:{get_language()}"  # the texts are in the page's language
        slow = cache.get(key)
        if slow is None:
            slow = health.run_checks(skip=set(health.LABELS) - set(SLOW_CHECKS))
            cache.set(key, slow, FRESHNESS_CACHE_S)
        order = list(health.LABELS)
        checks = sorted([*checks, *slow], key=lambda check: order.index(check.key))
    return checks


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = _checks()
    body = {
        "status": health.overall(checks),
        "healthy": health.healthy(checks),
        "time": timezone.now().isoformat(),
        "checks": [
            {key: check.as_dict()[key] for key in ("key", "label", "status", "message", "critical")}
            for check in checks
        ],
    }
    return JsonResponse(body, status=200 if body["healthy"] else 503)


def _reader(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_role(request.user, TIM_IT, INOVATOR):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _days_with_runs(today: date) -> list[dict[str, Any]]:
    first = today - timedelta(days=DAYS_SHOWN - 1)
    runs = PhaseRun.objects.filter(date__gte=first, date__lte=today)
    by_day: dict[date, dict[str, PhaseRun]] = {}
    for run in runs:
        by_day.setdefault(run.date, {})[run.phase] = run
    labels = dict(PhaseRun.Phase.choices)
    starts = golive.regency_start()
    days = []
    for offset in range(DAYS_SHOWN):
        day = today - timedelta(days=offset)
        found = by_day.get(day, {})
        days.append(
            {
                "date": day,
                "label": long_date(day),
                "counted": day >= starts,
                "phases": [
                    phase_line(phase, str(labels[phase]), found.get(phase))
                    for phase in phases.PHASES
                ],
            }
        )
    return days


def _unreachable_today(today: date) -> dict[str, Any]:
    """Today's list as the prepare phase recorded it; computed now before it has run."""
    run = PhaseRun.objects.filter(date=today, phase=PhaseRun.Phase.PREPARE).first()
    step = ((run.result or {}).get("steps", {}) if run else {}).get("unreachable", {})
    if step.get("ok") and isinstance(step.get("value"), dict):
        return {**step["value"], "recorded": True}
    return {**unreachable(today).as_dict(), "recorded": False}


@_reader
@require_GET
def operations_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "today": today,
        "days": _days_with_runs(today),
        "checks": _checks(),
        "backups": Backup.objects.all()[:10],
        "workers": WorkerHeartbeat.objects.all()[:5],
        "can_rerun": has_role(request.user, TIM_IT),
        "phase_choices": PhaseRun.Phase.choices,
        "counting_starts": golive.regency_start(),
        "unreachable": _unreachable_today(today),
    }
    context["overall"] = health.overall(context["checks"])  # type: ignore[arg-type]
    return render(request, "operations/page.html", context)


@_reader
@require_POST
def rerun(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, TIM_IT):
        raise PermissionDenied
    try:
        day = _parse_day(request.POST.get("date", ""))
    except DomainError:
        messages.error(request, _("Tanggal tidak valid."))
        return redirect("operations:page")
    phase = request.POST.get("phase", "")
    try:
        phases.request_rerun(day, phase, by=request.user.get_username())
    except DomainError as exc:
        messages.error(request, exc.message, extra_tags=exc.code)
    else:
        label = dict(PhaseRun.Phase.choices)[phase]
        messages.success(
            request,
            _("%(phase)s %(day)s akan dijalankan ulang oleh worker pada putaran berikutnya.")
            % {"phase": label, "day": f"{day:%d-%m-%Y}"},
        )
    return redirect("operations:page")


def _parse_day(value: str) -> date:
    try:
        day = date.fromisoformat(value)
        if not supported(day):
            raise ValueError(value)
        return day
    except ValueError as exc:
        raise DomainError(
            "invalid_input", _("Tanggal tidak valid."), details={"field": "date"}
        ) from exc


@_reader
@require_GET
@replica_reads
def evaluation_page(request: HttpRequest, day: str) -> HttpResponse:
    try:
        parsed = _parse_day(day)
    except DomainError as exc:
        return render(request, "operations/evaluation.html", {"error": exc.message}, status=422)
    evaluation = evaluate_day(parsed)
    previous = evaluation.previous
    context = {
        "evaluation": evaluation,
        "day_label": long_date(parsed),
        "previous_label": long_date(previous.day) if previous else "",
        "comparison": comparison(evaluation),
    }
    return render(request, "operations/evaluation.html", context)


@_reader
@require_GET
@replica_reads
def evaluation_pdf_view(request: HttpRequest, day: str) -> HttpResponse:
    try:
        parsed = _parse_day(day)
    except DomainError as exc:
        return HttpResponse(exc.message, status=422, content_type="text/plain; charset=utf-8")
    response = HttpResponse(evaluation_pdf(evaluate_day(parsed)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="evaluasi-{parsed.isoformat()}.pdf"'
    return response
