"""Reports through the web, the API and the CLI: downloads open, scoping holds, every
refusal has its code."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from govem.attendance.models import DayRecord
from govem.files import store as files
from govem.operations.phases import run_phase
from govem.reports.drafts import draft_name
from govem.reports.models import ReportVerification
from tests.helpers.days import MONDAY
from tests.helpers.files import assert_private, mode
from tests.helpers.regency import logged_in

DAY = MONDAY.isoformat()


def test_the_page_shows_the_rows_totals_and_downloads(regency) -> None:
    page = logged_in(regency.operator).get(f"/laporan/?tanggal={DAY}")
    assert page.status_code == 200
    body = page.content.decode()
    assert regency.employee.name in body and "Kantor Diskominfo" in body
    assert regency.other_employee.name not in body  # another unit
    assert "Belum diverifikasi" in body and "Verifikasi laporan" in body
    for fmt in ("xlsx", "pdf", "csv"):
        assert f"/laporan/harian.{fmt}?tanggal={DAY}" in body


@pytest.mark.parametrize("fmt", ["xlsx", "pdf", "csv"])
def test_the_downloads_open(regency, fmt) -> None:
    response = logged_in(regency.operator).get(f"/laporan/harian.{fmt}?tanggal={DAY}")
    assert response.status_code == 200
    assert f"laporan-harian-{DAY}-diskominfo.{fmt}" in response["Content-Disposition"]
    content = response.content
    if fmt == "xlsx":
        cells = [c for r in load_workbook(io.BytesIO(content)).active.values for c in r if c]
        assert regency.employee.nip in cells and regency.other_employee.nip not in cells
    elif fmt == "pdf":
        text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
        assert regency.employee.nip in text
    else:
        assert regency.employee.nip in content.decode("utf-8-sig")


def test_the_web_verifies_and_later_shows_the_verification(regency) -> None:
    client = logged_in(regency.operator)
    response = client.post(
        "/laporan/verifikasi/", {"tanggal": DAY, "unit": regency.unit.pk, "catatan": "ok"}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Diverifikasi oleh Andi Operator" in page
    assert (
        DayRecord.objects.filter(date=MONDAY, employee__unit=regency.unit, locked=False).count()
        == 0
    )


def test_the_web_refusals_are_clear(regency) -> None:
    outsider = logged_in(regency.outsider)
    assert outsider.get(f"/laporan/?tanggal={DAY}&unit={regency.unit.pk}").status_code == 404
    refused = logged_in(regency.employee.user).get("/laporan/")
    assert refused.status_code == 403 and "Laporan hanya untuk" in refused.content.decode()
    bad = logged_in(regency.operator).get("/laporan/?tanggal=2026-13-01")
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.content.decode()
    assert logged_in(regency.operator).get("/laporan/harian.doc").status_code == 422
    inovator = logged_in(regency.inovator)
    denied = inovator.post("/laporan/verifikasi/", {"tanggal": DAY, "unit": regency.unit.pk})
    assert denied.status_code == 403
    assert not ReportVerification.objects.exists()


def _token(client, user) -> dict[str, str]:
    from govem.accounts.services import issue_token

    raw, _ = issue_token(user=user, device=None)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_api_answers_json_and_files(regency, client) -> None:
    auth = _token(client, regency.operator)
    body = client.get(f"/api/v1/reports/daily?date={DAY}", **auth).json()
    assert body["unit"] == "DISKOMINFO" and body["verification"] is None
    rahmat = next(row for row in body["rows"] if row["nip"] == regency.employee.nip)
    assert (rahmat["in_time"], rahmat["in_distance"], rahmat["status"]) == ("07:25", 12, "H")
    xlsx = client.get(f"/api/v1/reports/daily?date={DAY}&unit=DISKOMINFO&format=xlsx", **auth)
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    monthly = client.get("/api/v1/reports/monthly?month=2026-11&format=json", **auth).json()
    assert monthly["dates"][0] == "2026-11-01" and monthly["rows"]
    pdf = client.get("/api/v1/reports/monthly?month=2026-11&format=pdf", **auth)
    assert pdf.content[:5] == b"%PDF-"
    verified = client.post(
        "/api/v1/reports/daily/verify",
        {"date": DAY, "unit": "DISKOMINFO"},
        content_type="application/json",
        **auth,
    )
    assert verified.status_code == 201 and len(verified.json()["sha256"]) == 64
    again = client.get(f"/api/v1/reports/daily?date={DAY}", **auth).json()
    assert again["verification"]["intact"] is True


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("date=2026-11-31", 422, "invalid_input"),
        ("format=docx", 422, "invalid_input"),
        ("unit=DINKES", 404, "not_found"),
        ("unit=NOPE", 404, "not_found"),
    ],
)
def test_the_api_refusals(regency, client, query, status, code) -> None:
    response = client.get(f"/api/v1/reports/daily?{query}", **_token(client, regency.operator))
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_the_api_refuses_employees_and_read_only_verifiers(regency, client) -> None:
    own = client.get("/api/v1/reports/daily", **_token(client, regency.employee.user))
    assert own.status_code == 403 and own.json()["error"]["code"] == "forbidden"
    refused = client.post(
        "/api/v1/reports/daily/verify",
        {"date": DAY},
        content_type="application/json",
        **_token(client, regency.inovator),
    )
    assert refused.status_code == 403
    assert client.get("/api/v1/reports/daily").status_code == 401


def test_the_cli_writes_each_format(regency, tmp_path: Path) -> None:
    for fmt in ("xlsx", "pdf", "csv"):
        target = tmp_path / f"harian.{fmt}"
        call_command(
            "report",
            "daily",
            "--date",
            DAY,
            "--unit",
            "DISKOMINFO",
            "--format",
            fmt,
            "-o",
            str(target),
        )
        assert target.stat().st_size > 0
    assert load_workbook(tmp_path / "harian.xlsx").active.max_row > 5
    monthly = tmp_path / "bulanan.pdf"
    call_command("report", "monthly", "--month", "2026-11", "--format", "pdf", "-o", str(monthly))
    assert len(PdfReader(monthly).pages) >= 3
    assert mode(monthly) == 0o600  # names employees: the operator's eyes only
    with pytest.raises(CommandError, match="Unit 'NOPE' tidak ditemukan"):
        call_command("report", "daily", "--date", DAY, "--unit", "NOPE")
    with pytest.raises(CommandError, match="Tanggal tidak valid"):
        call_command("report", "daily", "--date", "2-11-2026")
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("report", "monthly", "--month", "11-2026")


def test_the_reconcile_phase_writes_the_draft(regency) -> None:
    run = run_phase(MONDAY, "reconcile")
    assert run is not None
    step = run.result["steps"]["report_draft"]
    assert step["ok"], step
    assert step["value"]["rows"] == DayRecord.objects.filter(date=MONDAY).count()
    xlsx = files.read(draft_name(MONDAY, "xlsx"))
    pdf = files.read(draft_name(MONDAY, "pdf"))
    assert xlsx is not None and pdf is not None and pdf.startswith(b"%PDF-")
    assert_private(draft_name(MONDAY, "xlsx"))
    assert_private(draft_name(MONDAY, "pdf"))
    cells = [c for r in load_workbook(io.BytesIO(xlsx)).active.values for c in r if c]
    assert regency.employee.nip in cells and regency.other_employee.nip in cells
