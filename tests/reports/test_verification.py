"""Verifikasi laporan: verifier, time, SHA-256 of the rows; the day's records locked; a
later change needs a reason and shows as "diubah setelah verifikasi" with old and new."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from govem.accounts.models import AuditEntry
from govem.attendance.days import recompute_days, settle_day
from govem.attendance.models import DayRecord
from govem.errors import DomainError
from govem.people.models import Employee
from govem.reports.access import require_verifier
from govem.reports.daily import daily_report, rows_digest
from govem.reports.daily_formats import daily_pdf, daily_xlsx
from govem.reports.models import ReportVerification
from govem.reports.verification import verify_daily
from tests.helpers.days import MONDAY, punch


def test_verifying_records_the_verifier_the_digest_and_locks_the_scope(regency) -> None:
    verification = verify_daily(user=regency.operator, day=MONDAY, unit=regency.unit)
    report = daily_report(Employee.objects.all(), MONDAY, regency.unit)
    assert verification.verifier_name == "Andi Operator"
    assert verification.verifier_nip == "198806062012121001"
    assert verification.sha256 == rows_digest(report.rows) == report.sha256
    assert verification.row_count == len(report.rows)
    in_unit = DayRecord.objects.filter(date=MONDAY, employee__unit=regency.unit)
    assert in_unit.count() == verification.locked_days > 0
    assert all(record.locked for record in in_unit)
    assert {r.lock_reason for r in in_unit} == {f"Verifikasi laporan #{verification.pk}"}
    # The other unit is not in this scope: untouched.
    assert not DayRecord.objects.filter(date=MONDAY, employee__unit=regency.other_unit).filter(
        locked=True
    )
    assert report.verification is not None and report.verification.intact
    assert AuditEntry.objects.filter(action="verify_report", object_id=str(verification.pk))


def test_a_change_after_verification_is_marked_with_old_and_new_values(regency) -> None:
    verify_daily(user=regency.operator, day=MONDAY, unit=regency.unit)
    punch(regency.colleague, MONDAY, 16, 10, "out", regency.office, 20.0)
    # Without a reason nothing changes: the verified day stays as it was.
    result = recompute_days([regency.colleague.pk], MONDAY, MONDAY)
    assert result.locked_skipped == 1
    assert daily_report(Employee.objects.all(), MONDAY, regency.unit).verification.intact
    recompute_days([regency.colleague.pk], MONDAY, MONDAY, reason="lupa presensi pulang, memo")
    report = daily_report(Employee.objects.all(), MONDAY, regency.unit)
    assert report.verification is not None and not report.verification.intact
    assert report.verification.changed_rows == 1
    siti = next(row for row in report.rows if row.nip == regency.colleague.nip)
    changes = {name: (old, new) for name, old, new in siti.changes}
    assert changes["status"] == ("TL2 PSW4", "TL2")
    assert changes["out_time"] == ("", "16:10")
    assert "DIUBAH SETELAH VERIFIKASI" in siti.remarks
    assert "lupa presensi pulang, memo" in siti.remarks
    # Every format says so.
    sheet = load_workbook(io.BytesIO(daily_xlsx(report)), read_only=True).worksheets[0]
    texts = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert any("DIUBAH SETELAH VERIFIKASI: Pulang - → 16:10" in text for text in texts)
    assert any("1 baris diubah setelah verifikasi" in text for text in texts)
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(daily_pdf(report))).pages)
    assert "1 baris diubah setelah verifikasi" in pdf
    assert "Andi Operator" in pdf and "NIP. 198806062012121001" in pdf


def test_a_day_still_open_cannot_be_verified(regency, december) -> None:
    december.move_to("2026-12-15T08:30:00+08:00")  # 08:30 WITA, check-out still open
    from datetime import date

    today = date(2026, 12, 15)
    recompute_days(None, today, today)
    with pytest.raises(DomainError) as refused:
        verify_daily(user=regency.operator, day=today, unit=regency.unit)
    assert refused.value.code == "day_not_closed"
    assert not ReportVerification.objects.exists()
    assert not DayRecord.objects.filter(locked=True).exists()


def test_a_day_is_verifiable_from_the_moment_it_is_settled(regency, december) -> None:
    """18:00 on NASIONAL-5H: at 17:59 the refusal names that moment; once settled, it verifies."""
    from datetime import date

    today = date(2026, 12, 15)
    december.move_to("2026-12-15T17:59:00+08:00")
    assert settle_day(today).still_open > 0
    with pytest.raises(DomainError) as refused:
        verify_daily(user=regency.operator, day=today, unit=regency.unit)
    assert refused.value.code == "day_not_closed"
    assert refused.value.details["settles_at"] == "2026-12-15T18:00:00+08:00"
    assert "verifikasi dapat dilakukan mulai 15-12-2026 18:00" in refused.value.message

    december.move_to("2026-12-15T18:00:00+08:00")
    assert settle_day(today).still_open == 0
    verification = verify_daily(user=regency.operator, day=today, unit=regency.unit)
    assert verification.date == today
    assert DayRecord.objects.filter(date=today, locked=True).exists()


@pytest.mark.parametrize(
    ("role", "message"),
    [
        ("inovator", "Hanya operator dan Tim IT yang dapat memverifikasi laporan."),
        ("atasan", "Hanya operator dan Tim IT yang dapat memverifikasi laporan."),
        ("pegawai", "Laporan hanya untuk atasan, operator, Tim IT dan Inovator."),
    ],
)
def test_only_operators_and_it_verify(regency, client, role, message) -> None:
    """The page refuses before the service runs (the permission check is the view's)."""
    client.force_login(regency.user(role))
    response = client.post(
        "/laporan/verifikasi/", {"tanggal": MONDAY.isoformat(), "unit": regency.unit.pk}
    )
    assert response.status_code == 403
    assert message in response.content.decode()
    assert not ReportVerification.objects.exists()
    assert not DayRecord.objects.filter(locked=True).exists()


def test_an_operator_must_name_a_unit_and_tim_it_may_verify_the_regency(regency) -> None:
    # The pages and the API resolve an operator's missing unit to their first one; the
    # check before the service refuses a caller that passes the whole regency anyway.
    with pytest.raises(DomainError) as refused:
        require_verifier(regency.operator, unit=None)
    assert (refused.value.code, refused.value.status) == ("invalid_input", 422)
    assert refused.value.details == {"field": "unit"}
    require_verifier(regency.tim_it, unit=None)
    whole = verify_daily(user=regency.tim_it, day=MONDAY, unit=None)
    assert whole.locked_days == DayRecord.objects.filter(date=MONDAY).count()
    assert whole.verifier_nip == ""  # a Tim IT account without an employee record


def test_a_future_date_is_refused(regency) -> None:
    from datetime import date

    with pytest.raises(DomainError) as refused:
        verify_daily(user=regency.operator, day=date(2027, 1, 4), unit=regency.unit)
    assert refused.value.details == {"field": "date"}


def test_a_unit_inside_a_verified_regency_report_says_it_is_verified(regency) -> None:
    from tests.helpers.regency import logged_in

    verify_daily(user=regency.tim_it, day=MONDAY, unit=None)
    report = daily_report(Employee.objects.all(), MONDAY, regency.unit)
    assert report.verification is not None and report.verification.intact
    assert report.verification.covering_scope  # verified as part of the regency's report
    page = logged_in(regency.operator).get(
        f"/laporan/?tanggal={MONDAY.isoformat()}&unit={regency.unit.pk}"
    )
    html = page.content.decode()
    assert "Belum diverifikasi" not in html
    assert "terverifikasi sebagai bagian dari laporan" in html
    # A later change in the unit still shows against the regency's verified rows.
    punch(regency.colleague, MONDAY, 16, 10, "out", regency.office, 20.0)
    recompute_days([regency.colleague.pk], MONDAY, MONDAY, reason="lupa presensi pulang, memo")
    again = daily_report(Employee.objects.all(), MONDAY, regency.unit)
    assert again.verification is not None and not again.verification.intact
    assert again.verification.changed_rows == 1


def test_the_verify_button_asks_with_the_number_of_days_it_locks(regency) -> None:
    from tests.helpers.regency import logged_in

    html = (
        logged_in(regency.operator)
        .get(f"/laporan/?tanggal={MONDAY.isoformat()}&unit={regency.unit.pk}")
        .content.decode()
    )
    report = daily_report(Employee.objects.all(), MONDAY, regency.unit)
    expected = sum(1 for row in report.rows if not row.locked)
    assert expected > 0
    assert f"Verifikasi mengunci {expected} rekap harian" in html
    assert f"Ya, kunci {expected} rekap" in html
