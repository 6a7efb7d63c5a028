"""A verified (locked) day holds on every path that can change it, except absences.

Each user action (a punch review, a manual punch; on the service and on its page) is
refused without a reason and writes nothing; with a reason the day changes, stays locked,
and an ``recompute_locked_day`` audit entry carries that reason with before and after.
The employee's own punch is stored but leaves the locked day alone. Rule changes, the
day-closing phase and ``govem recompute`` without a reason skip locked days and count them.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import strip_tags

from govem.accounts.models import AuditEntry
from govem.attendance.days import close_day, day_json, recompute_day, recompute_days
from govem.attendance.models import DayRecord, Punch, PunchReview, RuleSet
from govem.attendance.reviews import review_punch
from govem.attendance.rulesets import change_rules, summary
from govem.errors import DomainError
from govem.helpdesk.models import Ticket
from govem.helpdesk.services import create_ticket, enter_manual_punch
from govem.operations.steps import close_days_step
from tests.helpers.days import MONDAY, WITA, lay
from tests.helpers.regency import Regency, logged_in

TUESDAY = MONDAY + timedelta(days=1)
LOCKED_MESSAGE = "sudah diverifikasi dan dikunci"


def lock(employee: Any, *days: date, by: Any = None) -> None:
    """The daily report's verification: the dates' records locked."""
    DayRecord.objects.filter(employee=employee, date__in=days).update(
        locked=True, locked_by=by, locked_at=timezone.now(), lock_reason="Laporan diverifikasi"
    )


def day_of(employee: Any, day: date = MONDAY) -> DayRecord:
    return DayRecord.objects.get(employee=employee, date=day)


def snapshot(employee: Any, day: date = MONDAY) -> dict[str, Any]:
    return DayRecord.objects.filter(employee=employee, date=day).values().get()


def locked_day_audits() -> Any:
    return AuditEntry.objects.filter(action="recompute_locked_day")


def assert_changed_and_audited(
    employee: Any, reason: str, before: list[str], after: list[str], actor: Any
) -> None:
    record = day_of(employee)
    assert record.codes == after
    assert record.locked  # a reasoned change keeps the day verified
    entry = locked_day_audits().get(object_id=str(record.pk))
    assert entry.reason == reason
    assert entry.before["codes"] == before
    assert entry.after["codes"] == after
    assert entry.actor == actor


# --- user actions: table-driven ----------------------------------------------------------


@dataclass(frozen=True)
class Path:
    """One way a person changes a day: ``prepare`` lays the evidence before the lock,
    ``act`` makes the change with a reason and returns the refusal it met (or ``None``)."""

    name: str
    prepare: Callable[[Regency], Any]
    act: Callable[[Regency, Any, str], tuple[str, str] | None]
    refused_code: str
    written: Callable[[], int]  # rows this path writes, none of them on a refusal
    says_locked: bool  # the refusal is the day_locked message (a manual punch: no reason)


def _flagged_check_in(regency: Regency) -> Punch:
    employee = regency.employee
    flagged = lay(employee, MONDAY, 7, 20, "in", verdict=Punch.Verdict.FLAGGED)
    lay(employee, MONDAY, 16, 0, "out")
    return flagged


def _check_out_only(regency: Regency) -> None:
    lay(regency.employee, MONDAY, 16, 0, "out")


def _review_service(regency: Regency, punch: Punch, reason: str) -> tuple[str, str] | None:
    try:
        review_punch(punch=punch, decision="accept", reason=reason, by=regency.tim_it)
    except DomainError as error:
        return error.code, error.message
    return None


def _messages(response: Any) -> str:
    """The flash messages of a followed redirect, each checked to be shown on the page."""
    texts = [str(message) for message in response.context["messages"]]
    page = html.unescape(strip_tags(response.content.decode())).lower()  # admin: capfirst
    assert all(html.unescape(strip_tags(text)).lower() in page for text in texts), texts
    return " ".join(texts)


def _review_page(regency: Regency, punch: Punch, reason: str) -> tuple[str, str] | None:
    response = logged_in(regency.tim_it).post(
        f"/monitor/tinjauan/{punch.pk}/",
        {"decision": "accept", "reason": reason, "next": "/monitor/tinjauan/?semua=1"},
        follow=True,
    )
    assert response.status_code == 200  # the queue again, never a 500
    text = _messages(response)
    return None if "diterima" in text else ("page", text)


def _manual_service(regency: Regency, _: Any, reason: str) -> tuple[str, str] | None:
    try:
        enter_manual_punch(
            employee=regency.employee,
            by=regency.tim_it,
            kind="in",
            at=datetime(2026, 11, 2, 7, 20, tzinfo=WITA),
            reason=reason,
            ticket=None,
        )
    except DomainError as error:
        return error.code, error.message
    return None


def _ticket(regency: Regency) -> Ticket:
    return create_ticket(
        employee=regency.employee,
        category="location",
        description="GPS mati saat presensi masuk",
        by=regency.employee.user,
    )


def _manual_page(regency: Regency, _: Any, reason: str) -> tuple[str, str] | None:
    ticket = Ticket.objects.first() or _ticket(regency)
    response = logged_in(regency.tim_it).post(
        f"/monitor/kendala/{ticket.pk}/presensi-manual/",
        {"kind": "in", "date": MONDAY.isoformat(), "time": "07:20:00", "reason": reason},
        follow=True,
    )
    assert response.status_code == 200
    text = _messages(response)
    return None if "Presensi manual dicatat." in text else ("page", text)


PATHS = [
    Path(
        "review on the service",
        _flagged_check_in,
        _review_service,
        "day_locked",
        lambda: PunchReview.objects.count(),
        True,
    ),
    Path(
        "review on the monitor page",
        _flagged_check_in,
        _review_page,
        "page",
        lambda: PunchReview.objects.count(),
        True,
    ),
    # A manual punch always has a reason (it is refused as invalid_input without one).
    Path(
        "manual punch on the service",
        _check_out_only,
        _manual_service,
        "invalid_input",
        lambda: Punch.objects.filter(kind=Punch.Kind.IN).count(),
        False,
    ),
    Path(
        "manual punch on the helpdesk page",
        _check_out_only,
        _manual_page,
        "page",
        lambda: Punch.objects.filter(kind=Punch.Kind.IN).count(),
        False,
    ),
]


@pytest.mark.parametrize("path", PATHS, ids=[path.name for path in PATHS])
def test_a_locked_day_changes_through_a_user_action_only_with_a_reason(
    december,
    regency,
    path: Path,
) -> None:
    employee = regency.employee
    evidence = path.prepare(regency)
    assert recompute_day(employee=employee, day=MONDAY).codes == ["TL4"]
    lock(employee, MONDAY)
    before = snapshot(employee)
    audits = AuditEntry.objects.count()

    refusal = path.act(regency, evidence, "  ")
    assert refusal is not None
    code, message = refusal
    assert code == path.refused_code
    if path.says_locked:
        assert LOCKED_MESSAGE in message and "02-11-2026" in message
    else:
        assert "Alasan presensi manual wajib diisi." in message
    assert path.written() == 0
    assert snapshot(employee) == before
    assert not locked_day_audits().exists()
    if code != "page":  # a page's own session login adds no audit rows either way
        assert AuditEntry.objects.count() == audits

    reason = "Dicek dengan CCTV kantor: hadir 07.20"
    assert path.act(regency, evidence, reason) is None
    assert path.written() == 1
    assert_changed_and_audited(employee, reason, ["TL4"], ["H"], regency.tim_it)


def test_the_service_refuses_a_locked_day_with_409_day_locked(december, regency) -> None:
    flagged = _flagged_check_in(regency)
    recompute_day(employee=regency.employee, day=MONDAY)
    lock(regency.employee, MONDAY)
    with pytest.raises(DomainError) as refused:
        review_punch(punch=flagged, decision="accept", reason="", by=regency.tim_it)
    assert (refused.value.code, refused.value.status) == ("day_locked", 409)
    assert refused.value.details == {"dates": ["2026-11-02"]}
    assert not AuditEntry.objects.filter(action="review_punch").exists()


def test_an_unlocked_day_still_takes_an_accept_without_a_reason(december, regency) -> None:
    flagged = _flagged_check_in(regency)
    recompute_day(employee=regency.employee, day=MONDAY)
    review_punch(punch=flagged, decision="accept", reason="", by=regency.tim_it)
    assert day_of(regency.employee).codes == ["H"]
    assert not locked_day_audits().exists()


def test_a_rejection_on_a_locked_day_keeps_the_day_as_verified(december, regency) -> None:
    flagged = _flagged_check_in(regency)
    recompute_day(employee=regency.employee, day=MONDAY)
    lock(regency.employee, MONDAY)
    before = snapshot(regency.employee)
    review_punch(punch=flagged, decision="reject", reason="Titip absen", by=regency.tim_it)
    assert PunchReview.objects.get(punch=flagged).decision == "rejected"
    assert snapshot(regency.employee) == before  # a flagged punch never counted: no change
    assert not locked_day_audits().exists()


def test_the_review_queue_marks_a_punch_on_a_verified_day(december, regency) -> None:
    flagged = _flagged_check_in(regency)
    other = lay(regency.employee, TUESDAY, 7, 25, "in", verdict=Punch.Verdict.FLAGGED)
    recompute_days([regency.employee.pk], MONDAY, TUESDAY)
    lock(regency.employee, MONDAY)
    page = logged_in(regency.tim_it).get("/monitor/tinjauan/", {"semua": "1"})
    assert page.status_code == 200
    rows = {item["punch"].pk: item["locked"] for item in page.context["items"]}
    assert rows == {flagged.pk: True, other.pk: False}
    assert "sudah diverifikasi (dikunci)" in page.content.decode()


def test_a_manual_punch_on_an_open_day_is_audited_with_its_own_reason(
    december,
    regency,
) -> None:
    _check_out_only(regency)
    recompute_day(employee=regency.employee, day=MONDAY)
    _manual_service(regency, None, "Ponsel rusak, hadir menurut daftar hadir")
    assert day_of(regency.employee).codes == ["H"]
    assert not locked_day_audits().exists()  # nothing verified: nothing to audit as a change
    entry = AuditEntry.objects.get(action="manual_punch")
    assert entry.reason == "Ponsel rusak, hadir menurut daftar hadir"


# --- the employee's own punch -------------------------------------------------------------


def test_the_employees_own_punch_is_stored_but_leaves_a_locked_day(clock, phone, employee) -> None:
    today = timezone.localdate()
    locked = recompute_day(employee=employee, day=today)
    lock(employee, today)
    before = snapshot(employee, today)

    response = phone.punch("in")
    assert response.status_code == 201
    punch = Punch.objects.get(employee=employee)
    assert (punch.verdict, punch.local_date) == ("accepted", today)  # evidence, kept
    assert snapshot(employee, today) == before
    locked.refresh_from_db()
    assert response.json()["day"] == day_json(locked)  # the verified record, unchanged
    assert response.json()["day"]["locked"] is True  # the phone can say why
    assert not locked_day_audits().exists()

    out = io.StringIO()
    reason = "Presensi masuk setelah verifikasi, dikonfirmasi atasan"
    call_command(
        "recompute", "--from", today.isoformat(), "--to", today.isoformat(), "--reason", reason,
        stdout=out,
    )  # fmt: skip
    record = day_of(employee, today)
    assert record.first_in == punch.server_time and record.locked
    entry = locked_day_audits().get(object_id=str(record.pk))
    assert entry.reason == reason and entry.before["first_in"] is None


# --- system paths: skipped and counted without a reason ---------------------------------


def _late_week(employee: Any) -> None:
    for day in (MONDAY, TUESDAY):
        lay(employee, day, 8, 12, "in")
        lay(employee, day, 16, 5, "out")
    recompute_days([employee.pk], MONDAY, TUESDAY)
    lock(employee, MONDAY)


def test_a_rule_change_leaves_verified_days_and_says_how_many(december, employee) -> None:
    _late_week(employee)
    before = snapshot(employee)
    rule_set, result = change_rules(
        valid_from=date(2026, 11, 1),
        code="PERBUP-2026-11",
        name="Perbup Tapin 2026",
        by=None,
        reason="Perbup baru berlaku 1 November",
        tl2_pct="2",
    )
    assert result.locked_skipped == 1
    assert snapshot(employee) == before  # Monday was verified: still 1 %
    assert day_of(employee, TUESDAY).deduction_pct == Decimal("2")
    assert day_of(employee, TUESDAY).rule_set == rule_set
    text = summary(result)
    assert "1 hari yang sudah diverifikasi (dikunci) tidak diubah" in text
    assert "--reason" in text
    assert not locked_day_audits().exists()
    assert "tidak diubah" not in summary(recompute_days([employee.pk], TUESDAY, TUESDAY))


def test_the_rule_admin_says_how_many_verified_days_it_left(
    december,
    employee,
    admin_client,
) -> None:
    _late_week(employee)
    before = snapshot(employee)
    form = {
        field: "" if value is None else str(value)
        for field, value in RuleSet.objects.filter(code="BAWAAN").values().get().items()
        if field.endswith(("_pct", "_max", "_mode", "_rounding", "missing_punch", "_minutes"))
    }
    form.update(active="on", allowances="{}")  # the form shows the defaults; a script sends them
    form.update(
        code="PERBUP-ADMIN",
        name="Perbup lewat admin",
        valid_from="2026-11-01",
        valid_to="",
        tl2_pct="2",
        absence_pcts="{}",
        note="uji",
    )
    response = admin_client.post("/admin/attendance/ruleset/add/", form, follow=True)
    assert response.status_code == 200, response.content[:2000]
    assert RuleSet.objects.filter(code="PERBUP-ADMIN").exists()
    text = _messages(response)
    assert "1 hari yang sudah diverifikasi (dikunci) tidak diubah" in text
    assert snapshot(employee) == before
    assert day_of(employee, TUESDAY).deduction_pct == Decimal("2")


def test_closing_the_day_skips_a_verified_day_and_counts_it(december, employee) -> None:
    recompute_day(employee=employee, day=MONDAY)
    lock(employee, MONDAY)
    before = snapshot(employee)
    lay(employee, MONDAY, 7, 20, "in")
    lay(employee, MONDAY, 16, 0, "out")
    assert close_day(MONDAY).locked_skipped == 1
    assert close_days_step(MONDAY)["locked_skipped"] == 1
    assert snapshot(employee) == before
    assert not locked_day_audits().exists()


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_govem_recompute_without_a_reason_skips_verified_days(
    december,
    employee,
    reason: str | None,
) -> None:
    recompute_day(employee=employee, day=MONDAY)
    lock(employee, MONDAY)
    before = snapshot(employee)
    lay(employee, MONDAY, 7, 20, "in")
    lay(employee, MONDAY, 16, 0, "out")
    out = io.StringIO()
    extra = [] if reason is None else ["--reason", reason]
    call_command("recompute", "--from", "2026-11-02", "--to", "2026-11-02", *extra, stdout=out)
    assert "1 terkunci dilewati" in out.getvalue()
    assert "--reason" in out.getvalue()
    assert snapshot(employee) == before
    assert not locked_day_audits().exists()


def test_govem_recompute_with_a_reason_changes_verified_days_audited(
    december,
    employee,
) -> None:
    recompute_day(employee=employee, day=MONDAY)
    lock(employee, MONDAY)
    lay(employee, MONDAY, 7, 20, "in")
    lay(employee, MONDAY, 16, 0, "out")
    out = io.StringIO()
    reason = "Koreksi BKD nomor 800/123"
    call_command(
        "recompute", "--from", "2026-11-02", "--to", "2026-11-02", "--reason", reason, stdout=out
    )
    assert "0 terkunci dilewati" in out.getvalue()
    record = day_of(employee)
    assert record.codes == ["H"] and record.locked
    entry = locked_day_audits().get(object_id=str(record.pk))
    assert entry.reason == reason
    assert (entry.before["codes"], entry.after["codes"]) == (["TK"], ["H"])
    assert entry.actor is None and entry.actor_label == "sistem"


# --- end to end: the real verification, then the report marks the reasoned change ---------


@pytest.mark.parametrize("path", PATHS[::2], ids=[path.name for path in PATHS[::2]])
def test_the_verified_report_marks_a_reasoned_change_with_its_reason(
    december, regency, path: Path
) -> None:
    from govem.accounts.scoping import visible_employees
    from govem.reports.daily import daily_report
    from govem.reports.verification import verify_daily

    employee = regency.employee
    evidence = path.prepare(regency)
    verification = verify_daily(user=regency.tim_it, day=MONDAY, unit=regency.unit)
    assert day_of(employee).locked and verification.locked_days >= 1
    assert path.act(regency, evidence, "")[0] == path.refused_code

    reason = "Dicek dengan CCTV kantor: hadir 07.20"
    assert path.act(regency, evidence, reason) is None
    report = daily_report(visible_employees(regency.tim_it), MONDAY, regency.unit)
    row = next(row for row in report.rows if row.employee_id == employee.pk)
    assert row.changes and row.change_reason == reason
    assert "DIUBAH SETELAH VERIFIKASI" in row.remarks and reason in row.remarks
