"""The day record a punch updates in place equals the full recompute (issue 12).

Hypothesis drives one employee's Monday through any sequence of events — check-ins and
check-outs (accepted, flagged for a borderline position or a skewed clock, refused outside
the area or the window), reviews of flagged punches, approved absences (a full day, a late
arrival, an early leave), manual punches by the IT team, the daily verification (lock) —
through the services the pages and the API use. After every event the stored record must be
what :func:`recompute_days` (the reference path) computes from scratch at the same moment,
and a verified day must not move under a punch.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govem.absences.models import AbsenceRequest, AbsenceType
from govem.attendance import context
from govem.attendance.days import COMPARED, recompute_days
from govem.attendance.models import DayRecord, Punch
from govem.attendance.reviews import review_punch
from govem.attendance.services import PunchAttempt, record_punch
from govem.errors import DomainError
from govem.helpdesk.services import enter_manual_punch
from govem.rules.schedule import PunchKind
from tests.conftest import OFFICE_LAT, OFFICE_LON

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 30)  # a Monday, 07:30–16:00 WITA, check-out closes 18:00
START = datetime(2026, 11, 29, 22, 30, tzinfo=UTC)  # 06:30 WITA

PLACES = {
    "inside": (OFFICE_LAT, OFFICE_LON, 10.0, 0),
    "borderline": (OFFICE_LAT + 0.0011, OFFICE_LON, 40.0, 0),  # ~122 m, radius 100: flagged
    "outside": (OFFICE_LAT + 0.01, OFFICE_LON, 10.0, 0),  # ~1.1 km: refused
    "skewed": (OFFICE_LAT, OFFICE_LON, 10.0, 3600),  # the phone's clock an hour off: flagged
}

punch_events = st.tuples(
    st.just("punch"), st.sampled_from(["in", "out"]), st.sampled_from(sorted(PLACES)),
    st.integers(1, 150),
)  # fmt: skip
review_events = st.tuples(st.just("review"), st.integers(0, 5), st.booleans())
absence_events = st.tuples(st.just("absence"), st.sampled_from(["CT", "late", "early", "late-all"]))
manual_events = st.tuples(st.just("manual"), st.sampled_from(["in", "out"]), st.integers(0, 300))
events = st.lists(
    st.one_of(punch_events, punch_events, punch_events, review_events, absence_events,
              manual_events, st.tuples(st.just("lock"))),
    min_size=1, max_size=9,
)  # fmt: skip


def stored(employee: Any) -> dict[str, Any] | None:
    return DayRecord.objects.filter(employee=employee, date=DAY).values(*COMPARED).first()


def reference(employee: Any) -> dict[str, Any] | None:
    """What the full recompute makes of the day now, rolled back afterwards."""
    with transaction.atomic():
        recompute_days([employee.pk], DAY, DAY, reason="perbandingan")
        found = stored(employee)
        transaction.set_rollback(True)
    return found


def punch(employee: Any, kind: str, place: str) -> Any:
    lat, lon, accuracy, skew = PLACES[place]
    now = timezone.now()
    return record_punch(
        employee=employee,
        attempt=PunchAttempt(
            kind=PunchKind(kind), latitude=lat, longitude=lon, accuracy_m=accuracy,
            client_time=now + timedelta(seconds=skew), idempotency_key=str(uuid.uuid4()),
            device_id="device-hp-1", source="api",
        ),
    )  # fmt: skip


def absence(employee: Any, which: str) -> None:
    code, part, at = {
        "CT": ("CT", "", None),
        "late": ("I", AbsenceRequest.PartOfDay.LATE_ARRIVAL, time(9, 0)),
        "early": ("I", AbsenceRequest.PartOfDay.EARLY_LEAVE, time(14, 0)),
        "late-all": ("I", AbsenceRequest.PartOfDay.LATE_ARRIVAL, None),
    }[which]
    AbsenceRequest.objects.create(
        employee=employee, type=AbsenceType.objects.get(code=code), start_date=DAY,
        end_date=DAY, part_of_day=part, time=at, reason="uji", status="approved",
    )  # fmt: skip
    recompute_days([employee.pk], DAY, DAY)  # what the decision runs


def step_once(employee: Any, it_user: Any, step: tuple[Any, ...], clock: Any) -> bool:
    """Run one event; whether it wrote the day (a refusal or a no-op does not)."""
    if step[0] == "punch":
        clock.shift(timedelta(minutes=step[3]))
        outcome = punch(employee, step[1], step[2])
        if outcome.status == 201:
            assert outcome.body["day"] is not None
            assert outcome.body["day"]["status"] == (stored(employee) or {})["status"]
        return bool(outcome.status == 201)
    if step[0] == "review":
        flagged = list(Punch.objects.filter(employee=employee, verdict="flagged", review=None))
        if not flagged:
            return False
        decision = "accept" if step[2] else "reject"
        review_punch(punch=flagged[step[1] % len(flagged)], decision=decision,
                     reason="diperiksa", by=it_user)  # fmt: skip
        return True
    if step[0] == "absence":
        if AbsenceRequest.objects.filter(employee=employee).exists():
            return False
        absence(employee, step[1])
        return True
    if step[0] == "manual":
        at = timezone.now() - timedelta(minutes=step[2])
        try:
            enter_manual_punch(employee=employee, by=it_user, kind=step[1], at=at,
                               reason="lupa presensi", ticket=None)  # fmt: skip
        except DomainError:
            return False
        return True
    DayRecord.objects.filter(employee=employee, date=DAY).update(locked=True)
    return False


def run(employee: Any, it_user: Any, steps: list[tuple[Any, ...]]) -> None:
    with time_machine.travel(START, tick=False) as clock:
        for step in steps:
            before = stored(employee)
            was_locked = DayRecord.objects.filter(employee=employee, date=DAY, locked=True).exists()
            wrote = step_once(employee, it_user, step, clock)
            now = stored(employee)
            if step[0] == "punch" and was_locked:
                assert now == before, f"a punch moved a verified day: {step}"
            elif not wrote:
                # A refusal is stored as evidence and leaves the day as it was (time passing
                # closes a day in the settle phase, not in a refused punch).
                if step[0] != "lock":
                    assert now == before, f"{step} moved the day without writing it"
            elif now is not None and not was_locked:
                assert now == reference(employee), f"in place ≠ full recompute after {step}"


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=events)
def test_it_keeps_the_day_equal_to_the_full_recompute(
    employee: Any, office: Any, steps: list[tuple[Any, ...]]
) -> None:
    it_user = get_user_model().objects.get_or_create(username="tim-it-uji")[0]
    context.forget()
    with transaction.atomic():
        run(employee, it_user, steps)
        transaction.set_rollback(True)
    context.forget()


@pytest.mark.parametrize(
    "forms",
    [
        # per-day forms: the day is still updated in place
        {"late_rounding": "started", "early_rounding": "floor", "missing_punch": "half_day",
         "daily_cap_pct": "2"},
        # month forms: the punch takes the reference path (the month's facts)
        {"tk_mode": "month_share", "allowances": {"CT": 1}, "missing_punch": "fixed",
         "missing_punch_minutes": 240},
    ],
)  # fmt: skip
@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=events)
def test_it_keeps_the_day_equal_to_the_full_recompute_under_the_rule_forms(
    employee: Any, office: Any, forms: dict[str, Any], steps: list[tuple[Any, ...]]
) -> None:
    from govem.attendance.models import RuleSet

    it_user = get_user_model().objects.get_or_create(username="tim-it-uji")[0]
    context.forget()
    with transaction.atomic():
        RuleSet.objects.filter(code="BAWAAN").update(**forms)
        run(employee, it_user, steps)
        transaction.set_rollback(True)
    context.forget()


def test_it_updates_a_late_check_in_then_an_early_check_out_in_place(
    employee: Any, office: Any
) -> None:
    it_user = get_user_model().objects.create(username="tim-it")
    run(employee, it_user, [("punch", "in", "inside", 75), ("punch", "out", "inside", 480)])
    record = DayRecord.objects.get(employee=employee, date=DAY)
    assert record.codes == ["TL1", "PSW1"]  # in 07:45 (15 min), out 15:45 (15 min early)
    assert (record.late_minutes, record.early_minutes) == (15, 15)
