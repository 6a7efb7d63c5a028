from __future__ import annotations

from django.utils import timezone

from govem.accounts.models import AuditEntry
from govem.attendance.models import DayRecord, Punch, PunchReview
from tests.helpers.regency import logged_in


def _flagged(regency) -> Punch:
    return Punch.objects.create(
        employee=regency.employee,
        kind="in",
        server_time=timezone.now(),
        local_date=timezone.localdate(),
        time_zone="Asia/Makassar",
        latitude=-2.9402,
        longitude=115.1613,
        accuracy_m=45,
        distance_m=125,
        location=regency.office,
        verdict="flagged",
        flags=["borderline_location"],
        source="api",
    )


def test_it_lists_flagged_punches_waiting_for_a_decision(clock, regency) -> None:
    punch = _flagged(regency)
    page = logged_in(regency.operator).get("/monitor/tinjauan/").content.decode()
    assert f'data-punch-id="{punch.pk}"' in page
    assert "di tepi radius" in page
    assert f'data-punch-id="{punch.pk}"' not in (
        logged_in(regency.outsider).get("/monitor/tinjauan/").content.decode()
    )


def test_it_accepts_a_flagged_punch_audits_it_and_recomputes_the_day(clock, regency) -> None:
    punch = _flagged(regency)
    response = logged_in(regency.tim_it).post(
        f"/monitor/tinjauan/{punch.pk}/",
        {"decision": "accept", "reason": "Di ruang rapat lantai 2, GPS meleset"},
    )
    assert response.status_code == 302
    review = PunchReview.objects.get(punch=punch)
    assert (review.decision, review.decided_by) == ("accepted", regency.tim_it)
    entry = AuditEntry.objects.get(action="review_punch")
    assert entry.actor == regency.tim_it
    day = DayRecord.objects.get(employee=regency.employee, date=punch.local_date)
    assert day.first_in == punch.server_time
    assert "H" in day.codes
    queue = logged_in(regency.tim_it).get("/monitor/tinjauan/").content.decode()
    assert f'data-punch-id="{punch.pk}"' not in queue


def test_it_rejects_a_flagged_punch_only_with_a_reason(clock, regency) -> None:
    punch = _flagged(regency)
    desk = logged_in(regency.tim_it)
    desk.post(f"/monitor/tinjauan/{punch.pk}/", {"decision": "reject", "reason": ""})
    assert not PunchReview.objects.exists()
    desk.post(f"/monitor/tinjauan/{punch.pk}/", {"decision": "reject", "reason": "Titip absen"})
    assert PunchReview.objects.get(punch=punch).decision == "rejected"
    day = DayRecord.objects.get(employee=regency.employee, date=punch.local_date)
    assert day.first_in is None
