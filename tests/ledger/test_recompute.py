"""Recomputing day records: punches, reviews, absences, locks, rule changes, closing."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govem.absences.models import AbsenceRequest, AbsenceType
from govem.absences.services import decide_request, grant_technical_exemption
from govem.accounts.models import AuditEntry
from govem.attendance.days import close_day, recompute_day, recompute_days
from govem.attendance.models import DayRecord, Punch
from govem.attendance.reviews import review_punch
from govem.attendance.rulesets import change_rules
from govem.people.models import Unit, WorkLocation
from tests.conftest import make_employee
from tests.helpers.days import MONDAY, lay


def record(employee: Any, day: date = MONDAY) -> DayRecord:
    return DayRecord.objects.get(employee=employee, date=day)


def test_it_builds_a_day_from_accepted_punches(employee, december) -> None:
    lay(employee, MONDAY, 8, 12, "in")
    lay(employee, MONDAY, 16, 5, "out")
    day = recompute_day(employee=employee, day=MONDAY)
    assert day.codes == ["TL2"]
    assert day.late_minutes == 42
    assert day.deduction_pct == Decimal("1")
    assert day.explanation == (
        "Masuk 08:12 (terlambat 42 menit → TL2), pulang 16:05 (tepat waktu). "
        "Aturan BAWAAN: TL2 1 %."
    )
    assert day.expected_start.astimezone(day.first_in.tzinfo).hour in (7, 23)


def test_it_counts_the_first_check_in_and_the_last_check_out(employee, december) -> None:
    lay(employee, MONDAY, 7, 20, "in")
    lay(employee, MONDAY, 9, 0, "in")
    lay(employee, MONDAY, 15, 0, "out")
    lay(employee, MONDAY, 16, 1, "out")
    assert recompute_day(employee=employee, day=MONDAY).codes == ["H"]


def test_it_ignores_rejected_punches_and_marks_tk(employee, december) -> None:
    lay(employee, MONDAY, 7, 20, "in", verdict=Punch.Verdict.REJECTED)
    day = recompute_day(employee=employee, day=MONDAY)
    assert day.codes == ["TK"]
    assert day.deduction_pct == Decimal("3")


def test_it_counts_a_flagged_punch_only_once_accepted(employee, colleague, december) -> None:
    flagged_in = lay(employee, MONDAY, 7, 20, "in", verdict=Punch.Verdict.FLAGGED)
    lay(employee, MONDAY, 16, 0, "out")
    assert recompute_day(employee=employee, day=MONDAY).codes == ["TL4"]
    review_punch(punch=flagged_in, decision="accept", reason="", by=colleague.user)
    assert record(employee).codes == ["H"]


def test_it_keeps_a_rejected_review_out_of_the_day(employee, colleague, december) -> None:
    flagged_in = lay(employee, MONDAY, 7, 20, "in", verdict=Punch.Verdict.FLAGGED)
    review_punch(punch=flagged_in, decision="reject", reason="Foto meja", by=colleague.user)
    assert record(employee).codes == ["TK"]


def test_it_excuses_days_when_an_absence_is_approved(employee, colleague, december) -> None:
    recompute_days([employee.pk], MONDAY, MONDAY + timedelta(days=4))
    assert record(employee).codes == ["TK"]
    request = AbsenceRequest.objects.create(
        employee=employee,
        type=AbsenceType.objects.get(code="CT"),
        start_date=MONDAY,
        end_date=MONDAY + timedelta(days=2),
        reason="Keperluan keluarga",
    )
    decide_request(request=request, approve=True, by=colleague.user, note="Setuju")
    codes = list(
        DayRecord.objects.filter(employee=employee).order_by("date").values_list("codes", flat=True)
    )
    assert codes == [["CT"], ["CT"], ["CT"], ["TK"], ["TK"]]


def test_it_leaves_days_alone_when_an_absence_is_rejected(employee, colleague, december) -> None:
    request = AbsenceRequest.objects.create(
        employee=employee,
        type=AbsenceType.objects.get(code="S"),
        start_date=MONDAY,
        end_date=MONDAY,
        reason="Demam",
    )
    decide_request(request=request, approve=False, by=colleague.user, note="Tanpa surat")
    assert recompute_day(employee=employee, day=MONDAY).codes == ["TK"]


def test_it_grants_alasan_teknis_for_a_day(employee, colleague, december) -> None:
    grant_technical_exemption(
        employee=employee, day=MONDAY, reason="Server mati", by=colleague.user
    )
    assert record(employee).codes == ["AT"]


def test_it_marks_work_on_a_sunday_as_l_without_penalty(employee, december) -> None:
    sunday = MONDAY - timedelta(days=1)
    lay(employee, sunday, 9, 0, "in")
    day = recompute_day(employee=employee, day=sunday)
    assert day.codes == ["L"]
    assert day.deduction_pct == 0
    assert "masuk 09:00" in day.explanation


def test_it_leaves_today_open_until_the_closing_time(employee, clock) -> None:
    monday = date(2026, 11, 30)
    day = recompute_day(employee=employee, day=monday)
    assert day.codes == []
    assert not day.closed
    clock.move_to("2026-11-30T10:00:00+00:00")  # 18:00 WITA
    close_day(monday)
    assert record(employee, monday).codes == ["TK"]


def test_it_respects_a_locked_day_unless_given_a_reason(employee, colleague, december) -> None:
    recompute_day(employee=employee, day=MONDAY)
    DayRecord.objects.filter(employee=employee).update(
        locked=True, locked_by=colleague.user, lock_reason="Diverifikasi"
    )
    lay(employee, MONDAY, 7, 20, "in")
    lay(employee, MONDAY, 16, 0, "out")
    result = recompute_days([employee.pk], MONDAY, MONDAY)
    assert result.locked_skipped == 1
    assert record(employee).codes == ["TK"]

    result = recompute_days([employee.pk], MONDAY, MONDAY, reason="Presensi manual tiket #4")
    assert result.updated == 1
    day = record(employee)
    assert day.codes == ["H"]
    assert day.locked
    entry = AuditEntry.objects.get(action="recompute_locked_day")
    assert entry.before["codes"] == ["TK"]
    assert entry.after["codes"] == ["H"]
    assert entry.reason == "Presensi manual tiket #4"


def test_it_changes_rules_from_a_date_and_leaves_earlier_months(employee, colleague, december):
    november, december_day = MONDAY, date(2026, 12, 7)
    for day in (november, december_day):
        lay(employee, day, 8, 12, "in")
        lay(employee, day, 16, 5, "out")
    recompute_days(None, november, december_day)
    assert record(employee, november).deduction_pct == Decimal("1")
    assert record(employee, december_day).deduction_pct == Decimal("1")

    change_rules(
        valid_from=date(2026, 12, 1),
        code="PERBUP-2026-12",
        name="Perbup baru",
        by=colleague.user,
        reason="Perbup Tapin 2026",
        tl2_pct="2",
    )
    assert record(employee, november).deduction_pct == Decimal("1")
    assert record(employee, december_day).deduction_pct == Decimal("2")
    recompute_days(None, november, december_day)  # recomputing again changes nothing earlier
    assert record(employee, november).deduction_pct == Decimal("1")
    assert record(employee, november).rule_set.code == "BAWAAN"


def test_it_uses_a_constant_number_of_queries_per_batch(unit, office, december) -> None:
    people = [make_employee(unit, f"19870512201001{n:04d}", f"Pegawai {n}") for n in range(30)]
    for person in people:
        lay(person, MONDAY, 7, 40, "in")
    with CaptureQueriesContext(connection) as few:
        recompute_days([p.pk for p in people[:3]], MONDAY, MONDAY + timedelta(days=6))
    with CaptureQueriesContext(connection) as many:
        recompute_days([p.pk for p in people], MONDAY, MONDAY + timedelta(days=6))

    def reads(context: CaptureQueriesContext) -> int:
        return sum(1 for q in context.captured_queries if not q["sql"].startswith("INSERT"))

    assert reads(many) == reads(few)  # inserts are chunked only by the database's limits
    assert DayRecord.objects.count() == 30 * 7


def test_it_writes_nothing_when_nothing_changed(employee, december) -> None:
    lay(employee, MONDAY, 7, 20, "in")
    recompute_days([employee.pk], MONDAY, MONDAY)
    again = recompute_days([employee.pk], MONDAY, MONDAY)
    assert (again.unchanged, again.updated, again.created) == (1, 0, 0)


def test_it_judges_each_zone_by_its_own_clock(unit, december) -> None:
    zones = {"Asia/Jakarta": -6.2, "Asia/Makassar": -2.9, "Asia/Jayapura": -2.5}
    people = []
    for n, (zone, lat) in enumerate(zones.items()):
        branch = Unit.objects.create(code=f"U{n}", name=zone, parent=unit)
        place = WorkLocation.objects.create(
            name=zone, latitude=lat, longitude=110 + n * 10, time_zone=zone
        )
        branch.locations.add(place)
        person = make_employee(branch, f"19900101201501{n:04d}", f"Pegawai {zone}")
        lay(person, MONDAY, 7, 31, "in", zone=zone)
        lay(person, MONDAY, 16, 0, "out", zone=zone)
        people.append(person)
    recompute_days([p.pk for p in people], MONDAY, MONDAY)
    for person, zone in zip(people, zones, strict=True):
        day = record(person)
        assert day.codes == ["TL1"], zone
        assert day.time_zone == zone


def test_it_recomputes_a_unit_from_the_command_line(employee, colleague, december) -> None:
    lay(employee, MONDAY, 7, 20, "in")
    call_command("recompute", "--from", "2026-11-02", "--to", "2026-11-06", "--unit", "DISKOMINFO")
    assert DayRecord.objects.filter(employee=employee).count() == 5
    assert DayRecord.objects.filter(employee=colleague, codes=["TK"]).count() == 5


def test_it_writes_the_same_rows_through_the_bulk_path(employee, colleague, december, monkeypatch):
    from govem.attendance import days

    lay(employee, MONDAY, 8, 12, "in")
    lay(employee, MONDAY, 16, 5, "out")
    recompute_days(None, MONDAY, MONDAY + timedelta(days=6))
    expected = list(DayRecord.objects.order_by("employee", "date").values(*days.COMPARED))
    DayRecord.objects.all().delete()
    monkeypatch.setattr(days, "_COPY_FROM", 0)  # PostgreSQL: COPY for any size
    recompute_days(None, MONDAY, MONDAY + timedelta(days=6))
    assert list(DayRecord.objects.order_by("employee", "date").values(*days.COMPARED)) == expected
    assert record(employee).codes == ["TL2"]
    lay(colleague, MONDAY, 7, 0, "in")
    assert recompute_days(None, MONDAY, MONDAY).updated == 1  # conflicts update in place
    assert record(colleague).codes == ["PSW4"]
