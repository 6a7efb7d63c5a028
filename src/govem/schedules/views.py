"""The calendar year view: every non-working day of a year and where it comes from."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from govem.schedules.queries import own_calendar_units, year_calendar

FIRST_YEAR, LAST_YEAR = 2000, 2100


@login_required
@require_GET
def year_view(request: HttpRequest, year: int) -> HttpResponse:
    """``/kalender/<year>/``: national holidays, cuti bersama and the decrees that change them."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404("year out of range")
    rows = year_calendar(year)
    context = {
        "year": year,
        "rows": rows,
        "off_days": sum(1 for row in rows if row.code),
        "own_calendars": own_calendar_units(),
        "previous": year - 1 if year > FIRST_YEAR else None,
        "next": year + 1 if year < LAST_YEAR else None,
        "this_year": timezone.localdate().year,
    }
    return render(request, "schedules/year.html", context)
