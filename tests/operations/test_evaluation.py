"""The day's evaluation: tickets, failed attempts, late/absent against the previous workday,
failed phases — on the page and in the A4 PDF with the regency's letterhead."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from pypdf import PdfReader

from govem.attendance.models import DayRecord
from govem.helpdesk.services import create_ticket
from govem.operations.evaluation import evaluate_day
from govem.operations.models import PhaseRun
from govem.operations.pdf import evaluation_pdf
from tests.conftest import make_employee
from tests.helpers.regency import logged_in, staff_user

MONDAY = date(2026, 11, 30)
FRIDAY = date(2026, 11, 27)


def _day(employee: Any, day: date, *codes: str) -> DayRecord:
    now = timezone.now()
    return DayRecord.objects.create(
        employee=employee,
        date=day,
        time_zone="Asia/Makassar",
        codes=list(codes),
        status=codes[0] if codes else "",
        deduction_pct=Decimal(0),
        computed_at=now,
        updated_at=now,
    )


@pytest.fixture
def bad_monday(phone: Any, clock: Any, employee: Any, colleague: Any) -> None:
    for _ in range(2):
        assert phone.punch("in", latitude=-2.95, longitude=115.17).status_code == 422
    assert phone.punch("in", accuracy_m=400.0).status_code == 422
    create_ticket(employee=employee, category="location", description="GPS meleset", by=None)
    create_ticket(employee=colleague, category="login", description="Lupa sandi", by=None)
    late = make_employee(employee.unit, "199911112022031001", "Terlambat Selalu")
    _day(employee, MONDAY, "TL2")
    _day(late, MONDAY, "TL4", "PSW4")
    _day(colleague, MONDAY, "TK")
    _day(employee, FRIDAY, "H")
    _day(colleague, FRIDAY, "TL1")
    PhaseRun.objects.create(
        date=MONDAY,
        phase="prepare",
        status="failed",
        error="health: Gagal: Cadangan terakhir",
        result={"steps": {"health": {"ok": False}, "freshness": {"ok": True}}},
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("bad_monday")
def test_it_sums_up_the_days_problems_against_the_previous_workday() -> None:
    evaluation = evaluate_day(MONDAY)

    assert evaluation.failed_attempts_total == 3
    reasons = {row.label: row.count for row in evaluation.failed_attempts}
    assert reasons == {"di luar radius": 2, "akurasi GPS terlalu rendah": 1}
    assert evaluation.tickets_available and evaluation.tickets_total == 2
    categories = {row.label: row.count for row in evaluation.tickets_by_category}
    assert categories["Lokasi / GPS"] == 1 and categories["Login / perangkat"] == 1
    assert {row.label: row.count for row in evaluation.tickets_by_status}["Baru"] == 2
    assert evaluation.today is not None and evaluation.previous is not None
    assert (evaluation.today.late, evaluation.today.absent) == (2, 1)
    assert evaluation.previous.day == FRIDAY
    assert (evaluation.previous.late, evaluation.previous.absent) == (1, 0)
    assert [(p.phase, p.steps) for p in evaluation.failed_phases] == [("prepare", ("health",))]


@pytest.mark.django_db
@pytest.mark.usefixtures("bad_monday")
def test_the_pdf_is_a4_with_the_letterhead_and_the_numbers() -> None:
    reader = PdfReader(io.BytesIO(evaluation_pdf(evaluate_day(MONDAY))))

    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = page.extract_text()
    assert "PEMERINTAH KABUPATEN TAPIN" in text
    assert "Evaluasi Harian - Senin, 30 November 2026" in text
    assert "Jumat, 27 November 2026" in text
    assert "di luar radius" in text and "akurasi GPS terlalu rendah" in text
    assert "Lokasi / GPS" in text
    assert "Persiapan" in text and "health" in text


@pytest.mark.django_db
def test_the_pdf_letterhead_follows_the_regency_setting(settings: Any) -> None:
    settings.GOVEM = {**settings.GOVEM, "REGENCY_NAME": "PEMERINTAH KABUPATEN BANJAR"}

    text = PdfReader(io.BytesIO(evaluation_pdf(evaluate_day(MONDAY)))).pages[0].extract_text()

    assert "PEMERINTAH KABUPATEN BANJAR" in text
    assert "Tidak ada percobaan yang ditolak." in text
    assert "Tidak ada fase yang gagal." in text


@pytest.mark.django_db
@pytest.mark.usefixtures("bad_monday")
def test_the_it_team_prints_the_evaluation_page_and_downloads_the_pdf() -> None:
    client = logged_in(staff_user("it-eval", "Tim IT"))

    page = client.get("/operasi/evaluasi/2026-11-30/")
    pdf = client.get("/operasi/evaluasi/2026-11-30/pdf/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Senin, 30 November 2026" in html and "di luar radius" in html
    assert "Tanpa keterangan (TK)" in html
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert (
        "PEMERINTAH KABUPATEN TAPIN" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    )


@pytest.mark.django_db
def test_a_bad_date_in_the_evaluation_address_is_a_422_not_a_500() -> None:
    client = logged_in(staff_user("it-eval", "Tim IT"))

    assert client.get("/operasi/evaluasi/2026-13-45/").status_code == 422
    assert client.get("/operasi/evaluasi/kemarin/pdf/").status_code == 422


@pytest.mark.django_db
@pytest.mark.usefixtures("bad_monday")
def test_it_counts_psw_cases_flagged_punches_and_the_unreachable_against_friday(
    employee: Any, colleague: Any
) -> None:
    from govem.absences.models import Clarification
    from govem.attendance.models import Punch, PunchReview

    Clarification.objects.create(employee=colleague, date=MONDAY, kind="tk")
    Clarification.objects.create(
        employee=employee, date=MONDAY, kind="no_check_out", status="closed"
    )
    Clarification.objects.create(employee=colleague, date=FRIDAY, kind="no_check_in")
    flagged = [
        Punch.objects.create(
            employee=employee,
            kind="in",
            server_time=timezone.now(),
            local_date=MONDAY,
            time_zone="Asia/Makassar",
            verdict="flagged",
            source="api",
        )
        for _ in range(3)
    ]
    PunchReview.objects.create(punch=flagged[0], decision="accepted", decided_at=timezone.now())
    PhaseRun.objects.create(
        date=FRIDAY,
        phase="prepare",
        status="succeeded",
        result={"steps": {"unreachable": {"ok": True, "value": {"total": 5, "working": 9}}}},
    )

    evaluation = evaluate_day(MONDAY)
    today, friday = evaluation.today, evaluation.previous
    assert today is not None and friday is not None
    assert today.early == 1  # PSW4 of the one who also came late
    assert (today.cases_opened, today.cases_closed) == (2, 1)
    assert (today.flagged_reviewed, today.flagged_pending) == (1, 2)
    # Nobody on Monday has an email or a phone a configured channel could use.
    assert today.unreachable == 3
    assert (friday.cases_opened, friday.cases_closed, friday.unreachable) == (1, 0, 5)

    page = logged_in(staff_user("it-eval", "Tim IT")).get("/operasi/evaluasi/2026-11-30/")
    html = page.content.decode()
    for label in (
        "Pulang sebelum waktunya (PSW)",
        "Kasus klarifikasi dibuka",
        "Presensi ditandai, belum ditinjau",
        "Pegawai tak terjangkau kanal notifikasi",
    ):
        assert label in html
    text = PdfReader(io.BytesIO(evaluation_pdf(evaluation))).pages[0].extract_text()
    assert "Kasus klarifikasi selesai" in text and "Presensi ditandai, sudah ditinjau" in text
