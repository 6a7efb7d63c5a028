"""Accept or reject flagged punches (Tim IT; operators within their unit)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from govem.attendance.reviews import review_punch
from govem.errors import DomainError
from govem.monitor import feed as change_feed
from govem.monitor.review import get_flagged_rw_for_user_or_404, locked_days, pending
from govem.monitor.views import _bad_request, _context, _filters, monitor_view


@monitor_view
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    try:
        day, unit = _filters(request)
    except DomainError as error:
        return _bad_request(request, error)
    show_all = request.GET.get("semua") == "1"
    punches = list(pending(request.user, None if show_all else day, unit)[:300])
    locked = locked_days(punches)
    context = _context(request, day, unit)
    context.update(
        {
            "items": [
                {
                    "punch": p,
                    "row": change_feed.punch_row(p),
                    "locked": (p.employee_id, p.local_date) in locked,
                }
                for p in punches
            ],
            "show_all": show_all,
        }
    )
    return render(request, "monitor/review.html", context)


@monitor_view
@require_POST
def decide(request: HttpRequest, punch_id: int) -> HttpResponse:
    punch = get_flagged_rw_for_user_or_404(request.user, punch_id)
    decision = request.POST.get("decision", "")
    reason = request.POST.get("reason", "")
    try:
        review_punch(punch=punch, decision=decision, reason=reason, by=request.user)
    except DomainError as error:
        messages.error(request, error.message, extra_tags=error.code)
    else:
        text = (
            _("Presensi %(name)s diterima.")
            if decision == "accept"
            else _("Presensi %(name)s ditolak.")
        )
        messages.success(request, text % {"name": punch.employee.name})
    target = request.POST.get("next", "")
    if not target.startswith("/monitor/") or "//" in target:
        target = "monitor:review-queue"
    return redirect(target)
