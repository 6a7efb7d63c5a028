"""Events where people already look: the employee's home (due today), the monitor and the
daily report (the day's events and their roll), the recap (missed this month)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template

from govem.accounts.scoping import visible_employees
from govem.accounts.services import employee_of
from govem.events.queries import due_for, events_on, missed_by
from govem.monitor.texts import flag_labels

register = template.Library()


@register.inclusion_tag("events/_due.html", takes_context=True)
def events_due(context: Any) -> dict[str, Any]:
    user = context["request"].user
    employee = employee_of(user) if user.is_authenticated else None
    return {"due": due_for(employee) if employee is not None else []}


@register.inclusion_tag("events/_day.html", takes_context=True)
def events_of_day(context: Any, day: date) -> dict[str, Any]:
    user = context["request"].user
    return {"events": events_on(day, visible_employees(user)), "day": day}


@register.inclusion_tag("events/_missed.html")
def events_missed(employee: Any, month: date) -> dict[str, Any]:
    return {"missed": missed_by(employee, month) if employee is not None else []}


@register.filter
def flag_text(flags: list[str] | None) -> str:
    """A flagged check-in's reasons in the page's language (the monitor's labels)."""

    return ", ".join(flag_labels(flags))
