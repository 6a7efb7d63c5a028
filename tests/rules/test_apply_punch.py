"""apply_punch (the day updated in place by one punch) against classify over all punches."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from govem.rules.bands import MissingPunch, Rounding, Rules
from govem.rules.daystatus import (
    Absence,
    CountedPunch,
    DayFacts,
    DayInput,
    DayState,
    Part,
    apply_punch,
    classify,
)
from govem.rules.schedule import DayTemplate, materialise

DAY = date(2026, 11, 30)
ZONE = "Asia/Makassar"
SCHEDULE = materialise(
    DayTemplate(time(7, 30), time(16, 0), time(6, 0), time(18, 0)), DAY, ZONE, "NASIONAL-5H"
)
OPENS = SCHEDULE.check_in_opens

absences = st.sampled_from(
    [
        (),
        (Absence("CT", "Cuti tahunan"),),
        (Absence("I", "Izin", Part.LATE_ARRIVAL, time(9, 0)),),
        (Absence("I", "Izin", Part.EARLY_LEAVE, time(14, 0)),),
        (Absence("I", "Izin", Part.LATE_ARRIVAL, None),),
    ]
)
plans = st.builds(
    DayFacts,
    local_date=st.just(DAY),
    time_zone=st.just(ZONE),
    schedule=st.sampled_from([SCHEDULE, None]),
    day_off_code=st.just(None),
    absences=absences,
    counting_starts=st.sampled_from([None, DAY, DAY + timedelta(days=1)]),
)
rule_rows = st.sampled_from(
    [
        Rules(),
        Rules(band1_max=15, band2_max=45, band3_max=75, tk_pct=Decimal("5")),
        # The per-day rule forms (issue 13): started-minute late, floor early, half a day
        # booked for a missing punch, a daily cap.
        Rules(
            code="FORMS",
            late_rounding=Rounding.STARTED,
            early_rounding=Rounding.FLOOR,
            missing_punch=MissingPunch.HALF_DAY,
            daily_cap_pct=Decimal("2"),
        ),
    ]
)
punches = st.lists(
    st.builds(
        CountedPunch,
        kind=st.sampled_from(["in", "out"]),
        at=st.integers(0, 14 * 60 * 60).map(lambda s: OPENS + timedelta(seconds=s)),
        counts=st.booleans(),
    ),
    max_size=8,
)


def reference(plan: DayFacts, rules: Rules, seen: list[CountedPunch], now: datetime) -> object:
    ins = [p.at for p in seen if p.counts and p.kind == "in"]
    outs = [p.at for p in seen if p.counts and p.kind == "out"]
    return classify(
        DayInput(
            local_date=plan.local_date,
            time_zone=plan.time_zone,
            schedule=plan.schedule,
            day_off_code=plan.day_off_code,
            first_in=min(ins, default=None),
            last_out=max(outs, default=None),
            absences=plan.absences,
            now=now,
            rules=rules,
            counting_starts=plan.counting_starts,
        )
    )


@settings(max_examples=400, deadline=None)
@given(plan=plans, rules=rule_rows, sequence=punches)
def test_it_equals_the_full_classification_after_every_punch(
    plan: DayFacts, rules: Rules, sequence: list[CountedPunch]
) -> None:
    state = DayState(None, None)
    seen: list[CountedPunch] = []
    # Punches arrive in server-time order (the server's clock stamps them).
    for punch in sorted(sequence, key=lambda p: p.at):
        seen.append(punch)
        state = apply_punch(state, punch, plan, rules, now=punch.at)
        assert state.result == reference(plan, rules, seen, punch.at)


@settings(max_examples=200, deadline=None)
@given(plan=plans, rules=rule_rows, sequence=punches)
def test_it_does_not_depend_on_the_order_the_punches_are_applied_in(
    plan: DayFacts, rules: Rules, sequence: list[CountedPunch]
) -> None:
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # the day has closed
    forward = DayState(None, None)
    backward = DayState(None, None)
    for punch in sequence:
        forward = apply_punch(forward, punch, plan, rules, now=now)
    for punch in reversed(sequence):
        backward = apply_punch(backward, punch, plan, rules, now=now)
    assert (forward.first_in, forward.last_out) == (backward.first_in, backward.last_out)
    if sequence:
        assert forward.result == backward.result == reference(plan, rules, sequence, now)


def test_it_ignores_a_flagged_punch_until_it_is_accepted() -> None:
    at = datetime(2026, 11, 29, 23, 40, tzinfo=UTC)  # 07:40 WITA: 10 minutes late
    plan = DayFacts(DAY, ZONE, SCHEDULE)
    flagged = apply_punch(
        DayState(None, None), CountedPunch("in", at, counts=False), plan, Rules(), now=at
    )
    assert flagged.first_in is None and flagged.result is not None
    assert flagged.result.codes == ()
    accepted = apply_punch(flagged, CountedPunch("in", at), plan, Rules(), now=at)
    assert accepted.result is not None
    assert (accepted.result.codes, accepted.result.late_minutes) == (("TL1",), 10)
