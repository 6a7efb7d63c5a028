"""The notify app's steps in the SOP day (:mod:`govem.operations.phases`).

``prepare`` queues the day's check-in reminders; the worker's per-tick hooks then send them
(:func:`govem.notify.outbox.send_due`) and queue the nudges and check-out reminders, which
depend on each employee's own start and end (:func:`govem.notify.reminders.tick`).
``reconcile`` runs the latter two once more for its date, so a worker that was down during
the day still sends the check-out reminders while check-out is open.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from govem.notify import reminders


def checkin_reminders(day: date) -> dict[str, Any]:
    return reminders.queue_checkin_reminders(day).as_dict()


def catch_up_reminders(day: date) -> dict[str, Any]:
    plans = reminders.work_plans(day)
    nudges = reminders.queue_late_nudges(day, plans=plans)
    checkout = reminders.queue_checkout_reminders(day, plans=plans)
    return {"nudges": nudges.as_dict(), "checkout": checkout.as_dict()}


def register() -> None:
    # operations imports notify too: local, so neither app loads the other at import
    from govem.operations.phases import register_step

    register_step(
        "prepare", "reminders", checkin_reminders, order=50, label="Pengingat presensi masuk"
    )
    register_step(
        "reconcile",
        "reminders",
        catch_up_reminders,
        order=50,
        label="Pengingat belum presensi dan presensi pulang",
    )
