"""The Inovator's innovation report: every figure checked against what was seeded, the
baseline month after go-live, the XLSX and PDF, who may open it, bad periods."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from govem.absences.models import AbsenceRequest, AbsenceType
from govem.attendance.days import recompute_days
from govem.attendance.models import DayRecord, Punch, PunchReview
from govem.helpdesk.models import Ticket
from govem.innovation.indicators import innovation_report, month_figures
from govem.notify.models import Message
from govem.operations import golive
from govem.operations.models import Backup, PhaseRun
from govem.people.models import Employee
from tests.helpers.days import NOVEMBER, lay
from tests.helpers.files import needs_pdftotext, pdf_layout_text
from tests.helpers.regency import logged_in

OCTOBER = date(2026, 10, 1)


def at(day: int, hh: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, hh, 0, tzinfo=UTC)


@pytest.fixture
def seeded(regency: Any, december: Any, settings: Any) -> Any:
    settings.GOVEM_COUNTING_STARTS = date(2026, 10, 20)  # go-live: baseline November
    golive.forget()
    get_user_model().objects.update(date_joined=at(1, 0, 10))
    employee, colleague = regency.employee, regency.colleague
    # Mon 2 Nov: Rahmat refused once (outside), then in on time; Siti late (TL1), flagged.
    lay(employee, date(2026, 11, 2), 7, 20, verdict=Punch.Verdict.REJECTED)
    Punch.objects.filter(verdict=Punch.Verdict.REJECTED).update(reason_code="outside_geofence")
    lay(employee, date(2026, 11, 2), 7, 22)
    lay(employee, date(2026, 11, 2), 16, 5, "out")
    flagged = lay(colleague, date(2026, 11, 2), 7, 45, verdict=Punch.Verdict.FLAGGED)
    PunchReview.objects.create(punch=flagged, decision="accepted", decided_at=at(2, 3))
    lay(colleague, date(2026, 11, 2), 16, 5, "out")
    # Tue 3 Nov: both on time.
    for person in (employee, colleague):
        lay(person, date(2026, 11, 3), 7, 25)
        lay(person, date(2026, 11, 3), 16, 5, "out")
    recompute_days([employee.pk, colleague.pk], NOVEMBER, date(2026, 11, 3))
    first = Ticket.objects.create(employee=employee, category="gps", description="GPS")
    second = Ticket.objects.create(employee=colleague, category="gps", description="GPS")
    Ticket.objects.create(employee=colleague, category="gps", description="still open")
    Ticket.objects.filter(pk=first.pk).update(created_at=at(4, 2), resolved_at=at(4, 8))  # 6 h
    Ticket.objects.filter(pk=second.pk).update(created_at=at(5, 2), resolved_at=at(6, 2))  # 24 h
    Ticket.objects.exclude(pk__in=[first.pk, second.pk]).update(created_at=at(7, 2))
    PhaseRun.objects.create(
        date=date(2026, 11, 2), phase="prepare", status="succeeded",
        due_at=at(1, 23), claimed_at=at(1, 23) + timedelta(minutes=3),
    )  # fmt: skip
    PhaseRun.objects.create(
        date=date(2026, 11, 2), phase="close", status="succeeded",
        due_at=at(2, 9), claimed_at=at(2, 10),
    )  # late: one hour  # fmt: skip
    PhaseRun.objects.create(date=date(2026, 11, 3), phase="prepare", status="failed")
    PhaseRun.objects.create(
        date=date(2026, 11, 4), phase="prepare", status="succeeded",
        due_at=at(3, 23), claimed_at=at(3, 23),
    )  # fmt: skip
    Backup.objects.create(path="/b/1", engine="sqlite", created_at=at(2, 10), verified=True)
    Backup.objects.create(path="/b/2", engine="sqlite", created_at=at(3, 10), verified=False)
    for index, status in enumerate(["sent", "sent", "dead"]):
        message = Message.objects.create(
            channel="email", employee=employee, template_key="pengingat-masuk",
            subject="s", body="b", status=status, next_attempt_at=at(2, 0),
            dedupe_key=f"r{index}",
        )  # fmt: skip
        Message.objects.filter(pk=message.pk).update(created_at=at(2, 0))
    other = Message.objects.create(
        channel="email", employee=employee, template_key="keputusan", subject="s", body="b",
        status="sent", next_attempt_at=at(2, 0),
    )  # fmt: skip
    Message.objects.filter(pk=other.pk).update(created_at=at(2, 0))
    kind = AbsenceType.objects.get(code="S")
    request = AbsenceRequest.objects.create(
        employee=employee, type=kind, start_date=date(2026, 11, 9), end_date=date(2026, 11, 9),
        reason="sakit", status="approved", decided_at=at(9, 5),
    )  # fmt: skip
    AbsenceRequest.objects.filter(pk=request.pk).update(created_at=at(9, 2))  # 3 h
    yield regency
    golive.forget()


def test_it_counts_each_figure_from_the_stored_data(seeded: Any) -> None:
    values = month_figures(NOVEMBER).values
    assert values["active_employees"] == 2  # Rahmat and Siti checked in
    # Six employees with accounts made by November (Tim IT and the Inovator are no employees).
    assert values["registered_employees"] == Employee.objects.exclude(user=None).count() == 6
    assert values["active_share"] == Decimal("33.3")  # 2 / 6
    # Present days: Rahmat 2 (H, H), Siti 2 (TL1, H) → 3 of 4 on time.
    present = DayRecord.objects.filter(date__lte=date(2026, 11, 3)).exclude(codes=[]).count()
    assert values["on_time_rate"] == Decimal("75.0") and present >= 4
    assert values["late_minutes"] == 15  # Siti 07:45
    assert values["tk_days"] == DayRecord.objects.filter(status="TK", date__month=11).count()
    # First check-in attempts: Rahmat Mon refused, Tue accepted; Siti Mon flagged, Tue accepted.
    assert values["first_try_rate"] == Decimal("50.0")
    assert values["flagged_punches"] == 1
    assert values["rejected_punches"] == 1
    assert month_figures(NOVEMBER).rejected_by_reason == {"outside_geofence": 1}
    attempts = Punch.objects.filter(local_date__month=11).count()
    assert attempts == 9  # Rahmat 5 (one refused), Siti 4 (one flagged)
    assert values["flagged_share"] == values["rejected_share"] == Decimal("11.1")  # 1 / 9
    assert values["tickets_opened"] == 3
    assert values["ticket_close_hours"] == Decimal("15.0")  # median of 6 h and 24 h
    assert values["phases_on_time"] == Decimal("50.0")  # 2 of 4 (one late, one failed)
    assert values["backups_verified"] == Decimal("50.0")
    assert values["reminders_sent"] == 3
    assert values["reminders_reached"] == Decimal("66.7")
    assert values["requests_decided"] == 1
    assert values["decision_hours"] == Decimal("3.0")


def test_it_compares_with_the_first_month_after_go_live(seeded: Any) -> None:
    report = innovation_report(OCTOBER, NOVEMBER)
    assert report.baseline_month == NOVEMBER
    october, _november = report.months
    assert october.values["active_employees"] == 0
    assert october.values["on_time_rate"] is None  # nothing to divide: not 0 %
    rows = {(row["code"], row["period"]): row for row in report.rows()}
    assert rows[("active_employees", "2026-10")]["change"] == -2
    assert rows[("active_employees", "2026-11")]["change"] == 0
    assert rows[("on_time_rate", "2026-10")]["change"] is None
    assert rows[("on_time_rate", "2026-11")]["definition"].startswith("Hari-pegawai hadir")


@needs_pdftotext
def test_it_exports_the_same_figures_as_xlsx_and_pdf(seeded: Any, tmp_path: Path) -> None:
    client = logged_in(seeded.inovator)
    query = {"dari": "2026-10", "sampai": "2026-11"}
    xlsx = client.get("/inovasi/laporan.xlsx", query)
    assert xlsx.status_code == 200
    assert 'filename="laporan-inovasi-2026-10_2026-11.xlsx"' in xlsx["Content-Disposition"]
    book = load_workbook(io.BytesIO(xlsx.content))
    grid = [row for row in book["Indikator per bulan"].iter_rows(values_only=True)]
    by_name = {row[0]: row for row in grid if row and row[0]}
    assert by_name["Kehadiran tepat waktu"][1:5] == ("%", None, 75.0, 75.0)
    assert by_name["Pegawai aktif menggunakan Govem"][2:6] == (0, 2, 2, 0)
    assert by_name["Pegawai aktif dari yang terdaftar"][3] == 33.3
    submission = list(book["Baris pengajuan"].iter_rows(values_only=True))
    header = submission[6]
    assert header[:4] == ("Indikator", "Periode", "Satuan", "Nilai")
    assert ("Presensi ditolak", "2026-11", "kali", 1) in [tuple(r[:4]) for r in submission[7:]]
    pdf = client.get("/inovasi/laporan.pdf", query)
    path = tmp_path / "inovasi.pdf"
    path.write_bytes(pdf.content)
    text = pdf_layout_text(path)
    assert "PEMERINTAH KABUPATEN TAPIN" in text and "Laporan Inovasi Daerah" in text
    assert "Kehadiran tepat waktu" in text and "75,0" in text and "66,7" in text
    assert "Cara menghitung" in text and "outside_geofence: 1" in text


def test_it_shows_the_page_with_definitions(seeded: Any) -> None:
    page = logged_in(seeded.inovator).get("/inovasi/", {"dari": "2026-10", "sampai": "2026-11"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Pembanding: November 2026" in text
    assert 'data-code="on_time_rate"' in text and "75,0" in text
    assert "dimulai paling lambat 15 menit setelah jadwalnya" in text


@pytest.mark.parametrize("role", ["pegawai", "atasan", "operator"])
def test_it_is_for_the_inovator_and_tim_it(seeded: Any, role: str) -> None:
    client = logged_in(seeded.user(role))
    assert client.get("/inovasi/").status_code == 403
    assert client.get("/inovasi/laporan.xlsx").status_code == 403
    assert logged_in(seeded.tim_it).get("/inovasi/").status_code == 200


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"dari": "2026-12", "sampai": "2026-11"}, "sesudah"),
        ({"dari": "2024-01", "sampai": "2026-11"}, "paling lama 24 bulan"),
        ({"dari": "2026/10"}, "YYYY-MM"),
    ],
)
def test_it_refuses_a_bad_period(seeded: Any, query: dict[str, str], message: str) -> None:
    response = logged_in(seeded.inovator).get("/inovasi/", query)
    assert response.status_code == 422 and message in response.content.decode()
    bad = logged_in(seeded.inovator).get("/inovasi/laporan.doc")
    assert bad.status_code == 422


def test_it_counts_imported_history_as_registered(seeded: Any) -> None:
    late = at(1, 0, 12)  # accounts made in December
    get_user_model().objects.filter(pk=seeded.employee.user_id).update(date_joined=late)
    assert month_figures(NOVEMBER).values["registered_employees"] == 6  # he checked in
    get_user_model().objects.filter(pk=seeded.other_employee.user_id).update(date_joined=late)
    assert month_figures(NOVEMBER).values["registered_employees"] == 5  # she did not
