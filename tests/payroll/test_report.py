"""The monthly TPP report for BPKAD: the same rows in the page, the XLSX and the PDF."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from govem.payroll.models import Pagu, Productivity
from tests.helpers.days import NOVEMBER, lay_month, pagu
from tests.helpers.files import needs_pdftotext, pdf_layout_text
from tests.helpers.regency import logged_in


@pytest.fixture
def unit_month(hand_month: Any) -> Any:
    """Rahmat as in the hand month; Siti with a pagu and no productivity; Budi without a pagu."""
    pagu(Pagu.Basis.EMPLOYEE, hand_month.colleague.nip, 4_000_000)
    lay_month(hand_month.colleague)
    return hand_month


def test_it_writes_the_xlsx_with_the_rows_and_totals(unit_month: Any, tmp_path: Path) -> None:
    client = logged_in(unit_month.operator)
    response = client.get("/tpp/laporan.xlsx", {"bulan": "2026-11"})
    assert response.status_code == 200
    assert 'filename="tpp-2026-11-diskominfo.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "PEMERINTAH KABUPATEN TAPIN"
    header = values[6]
    assert header[1] == "NIP" and header[14] == "TPP diterima (Rp)"
    rows = {row[2]: row for row in values[7:] if row and isinstance(row[0], int)}
    rahmat, siti = rows["Rahmat Hidayat"], rows["Siti Aminah"]
    assert rahmat[1] == "198705122010011003"  # NIP as text
    assert rahmat[5:15] == (
        [5_000_000, 2_000_000, "TL2x2 TKx1", 100_000, 3_000_000, 80.0, 2_400_000, 1_075_000,
         1_775_000, 3_225_000]
    )  # fmt: skip
    assert "800/12/BKPSDM/2026" in rahmat[15]
    assert siti[14] == 1_600_000 and "Produktivitas belum diimpor" in siti[15]
    assert "Pagu TPP belum ada" in rows["Budi Santoso"][15]
    total = next(row for row in values if row and row[2] == "Jumlah")
    assert total[14] == 3_225_000 + 1_600_000
    notes = " ".join(str(row[0]) for row in values if row and isinstance(row[0], str))
    assert "belum memiliki data produktivitas" in notes and "setengah ke atas" in notes


@needs_pdftotext
def test_it_prints_the_same_rows_in_the_pdf(unit_month: Any, tmp_path: Path) -> None:
    client = logged_in(unit_month.operator)
    response = client.get("/tpp/laporan.pdf", {"bulan": "2026-11"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    path = tmp_path / "tpp.pdf"
    path.write_bytes(response.content)
    text = pdf_layout_text(path)
    assert "DAFTAR PERHITUNGAN TPP" in text.upper() or "Daftar Perhitungan TPP" in text
    assert "PEMERINTAH KABUPATEN TAPIN" in text
    for figure in ("5.000.000", "2.400.000", "1.075.000", "3.225.000", "1.600.000", "4.825.000"):
        assert figure in text
    assert "Kepala Perangkat Daerah" in text and "NIP." in text
    page = client.get("/tpp/", {"bulan": "2026-11"}).content.decode()
    for figure in ("3.225.000", "1.600.000", "4.825.000"):
        assert figure in page


NUMBER = re.compile(r"^(?:-|\d{1,3}(?:\.\d{3})*|\d+(?:,\d+)?)$")
FIGURES = (5, 6, 8, 9, 10, 11, 12, 13, 14)  # pagu … net; 7 (the codes) is words


def printed(value: Any) -> str:
    """A sheet cell as the PDF prints it: Rupiah with dots, "-" for no amount."""
    if value in ("", None):
        return "-"
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return f"{value:,}".replace(",", ".")


@needs_pdftotext
def test_it_puts_the_same_rows_and_signature_in_the_xlsx_and_the_pdf(
    unit_month: Any, tmp_path: Path
) -> None:
    client = logged_in(unit_month.operator)
    book = client.get("/tpp/laporan.xlsx", {"bulan": "2026-11"}).content
    values = [
        list(row) for row in load_workbook(io.BytesIO(book)).active.iter_rows(values_only=True)
    ]
    sheet_rows = [row for row in values[7:] if row and isinstance(row[0], int)]
    total = next(row for row in values if row and row[2] == "Jumlah")
    path = tmp_path / "tpp.pdf"
    path.write_bytes(client.get("/tpp/laporan.pdf", {"bulan": "2026-11"}).content)
    text = pdf_layout_text(path)
    lines = text.splitlines()
    pdf_rows = [line.split() for line in lines if re.match(r"^\s*\d+ \d{18} ", line)]
    assert [(int(t[0]), t[1]) for t in pdf_rows] == [(r[0], r[1]) for r in sheet_rows]
    for sheet_row, tokens in zip(sheet_rows, pdf_rows, strict=True):
        # Capaian is blank (not "-") in both when there is no productivity figure.
        expected = [
            printed(sheet_row[i]) for i in FIGURES if not (i == 10 and sheet_row[i] in ("", None))
        ]
        assert [t for t in tokens[2:] if NUMBER.match(t)] == expected, sheet_row[2]
    total_line = next(line.split() for line in lines if line.strip().startswith("Jumlah "))
    assert [t for t in total_line if NUMBER.match(t)] == [
        printed(total[i]) for i in FIGURES if total[i] not in ("", None)
    ]
    # The same signature block under both: place and date, the signer's role, name and NIP.
    tail = [str(row[13]) for row in values if row and len(row) > 13 and row[13]]
    assert tail[-4:] == [
        "Rantau, 30 November 2026", "Kepala Perangkat Daerah,",
        "....................................", "NIP. ...................",
    ]  # fmt: skip
    for line in tail[-4:]:
        assert line in text


def test_it_refuses_a_bad_report_request(unit_month: Any) -> None:
    client = logged_in(unit_month.operator)
    bad = client.get("/tpp/laporan.docx", {"bulan": "2026-11"})
    assert bad.status_code == 422 and "xlsx atau pdf" in bad.content.decode()
    assert client.get("/tpp/", {"bulan": "11-2026"}).status_code == 422
    assert client.get("/tpp/", {"unit": unit_month.other_unit.pk}).status_code == 404
    employee = logged_in(unit_month.employee.user)
    assert employee.get("/tpp/laporan.xlsx", {"bulan": "2026-11"}).status_code == 403


def test_it_counts_productivity_once_imported(unit_month: Any) -> None:
    Productivity.objects.create(
        employee=unit_month.colleague, month=NOVEMBER, minutes=6750, source="operator"
    )
    page = logged_in(unit_month.tim_it).get(
        "/tpp/", {"bulan": "2026-11", "unit": unit_month.unit.pk}
    )
    text = page.content.decode()
    assert "4.000.000" in text  # Siti: 1,600,000 + the whole 2,400,000
    assert "belum memiliki data produktivitas" not in text


def test_it_shows_the_tpp_pages_in_english(unit_month: Any) -> None:
    client = logged_in(unit_month.operator)
    english = {"accept-language": "en"}
    page = client.get("/tpp/", {"bulan": "2026-11"}, headers=english).content.decode()
    assert "Monthly TPP (Rupiah)" in page and "Download for BPKAD" in page
    rekap = logged_in(unit_month.employee.user).get(
        "/rekap/", {"bulan": "2026-11"}, headers=english
    )
    assert "TPP estimate November 2026" in rekap.content.decode()
    assert "Estimated TPP paid" in rekap.content.decode()
