"""The punch verdict as a pure function: refusals in order, flags, the mock policy."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from govem.rules import geofence
from govem.rules.punch import FirstCheckIn, PunchFacts, Refusal, judge
from govem.rules.schedule import DayTemplate, PunchKind, materialise

ZONE = "Asia/Makassar"
SCHEDULE = materialise(
    DayTemplate(time(7, 30), time(16, 0), time(6, 0), time(18, 0)), date(2026, 11, 30), ZONE
)
AT = datetime(2026, 11, 29, 23, 10, tzinfo=UTC)  # 07:10 WITA
OFFICE = geofence.Area(1, "Kantor Diskominfo", geofence.Point(-2.9395, 115.1613), 100.0)
POLICY = geofence.Policy()


def facts(lat: float = -2.9395, accuracy: float = 10.0, **extra: object) -> PunchFacts:
    geo = geofence.evaluate(geofence.Point(lat, 115.1613), accuracy, (OFFICE,), POLICY)
    values: dict[str, object] = {
        "kind": PunchKind.IN, "at": AT, "geo": geo, "zone_name": ZONE, "schedule": SCHEDULE,
    }  # fmt: skip
    values.update(extra)
    return PunchFacts(**values)  # type: ignore[arg-type]


def test_it_accepts_a_clean_check_in_inside_the_area() -> None:
    verdict = judge(facts())
    assert (verdict.verdict, verdict.flags, verdict.refusal, verdict.counts) == (
        geofence.Verdict.ACCEPTED, (), None, True,
    )  # fmt: skip


def test_it_flags_a_borderline_position_a_skewed_clock_and_a_new_device() -> None:
    verdict = judge(
        facts(lat=-2.9406, accuracy=40.0, client_time=AT + timedelta(hours=1), new_device=True)
    )
    assert verdict.verdict is geofence.Verdict.FLAGGED
    assert verdict.flags == ("borderline_location", "clock_skew", "new_device")
    assert not verdict.counts  # a flagged punch counts once a reviewer accepts it


def test_it_refuses_in_order_device_first_then_mock_then_place_then_window() -> None:
    device = Refusal("device_not_allowed", "Akun Anda terikat pada perangkat lain.", 403)
    far_away_at_night = facts(
        lat=-3.5, mock_location=True, at=AT - timedelta(hours=5), device_refusal=device
    )
    assert judge(far_away_at_night).refusal == device
    assert judge(facts(lat=-3.5, mock_location=True)).refusal.code == "mock_location"  # type: ignore[union-attr]
    assert judge(facts(lat=-3.5, at=AT - timedelta(hours=5))).refusal.code == "outside_geofence"  # type: ignore[union-attr]
    early = judge(facts(at=AT - timedelta(hours=2)))  # 05:10 WITA
    assert early.refusal is not None and early.refusal.code == "outside_window"
    assert early.refusal.message == "Presensi masuk belum dibuka. Dibuka pukul 06:00 WITA."


def test_it_flags_a_mock_location_when_the_policy_says_flag() -> None:
    verdict = judge(facts(mock_location=True, mock_policy="flag"))
    assert (verdict.verdict, verdict.flags) == (geofence.Verdict.FLAGGED, ("mock_location",))


def test_it_refuses_a_second_check_in_with_the_first_ones_time() -> None:
    first = FirstCheckIn(41, AT - timedelta(minutes=20))
    refused = judge(facts(first_in=first)).refusal
    assert refused is not None and (refused.code, refused.status) == ("already_checked_in", 409)
    assert refused.message == "Anda sudah presensi masuk hari ini pukul 06:50:00 WITA."
    assert refused.details["punch_id"] == 41
    assert judge(facts(first_in=first, kind=PunchKind.OUT)).refusal is None  # a check-out is fine


def test_it_refuses_an_inaccurate_position_with_advice() -> None:
    refused = judge(facts(accuracy=250.0)).refusal
    assert refused is not None and refused.code == "accuracy_too_low"
    assert "Aktifkan GPS" in refused.message
