"""English mode shows no Indonesian on the TPP pages, the Rekap's TPP estimate, the innovation
report and an event's review list; the files for BPKAD and the innovation submission stay
Indonesian (printed documents); the innovation report is in the Inovator's and Tim IT's menu."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from govem.payroll.report import RULE_TEXTS
from govem.rules import tpp
from govem.rules.discipline import LADDER
from tests.english import indonesian_words
from tests.helpers.files import needs_pdftotext, pdf_layout_text
from tests.helpers.regency import logged_in
from tests.payroll.test_innovation import seeded
from tests.payroll.test_report import unit_month

__all__ = ["seeded", "unit_month"]
EN = {"accept-language": "en"}
DATA = (  # names from the data (people, unit, regency, positions, decree numbers)
    "Dinas Komunikasi dan Informatika", "PEMERINTAH KABUPATEN TAPIN", "Rahmat Hidayat",
    "Siti Aminah", "Budi Santoso", "Andi Operator", "Kabupaten Tapin", "Tapin",
)  # fmt: skip


def test_it_shows_the_tpp_report_in_english(unit_month: Any) -> None:
    page = logged_in(unit_month.operator).get("/tpp/", {"bulan": "2026-11"}, headers=EN)
    html = page.content.decode()
    assert indonesian_words(html, DATA) == []
    for english in (
        "<h2>November 2026 — ",
        "Rounding: each line is rounded once to the nearest rupiah (half up).",
        "<th>No</th><th>NIP / Name</th>",
        "<th>Discipline share</th>",
        "<th>TPP paid</th>",
        "1 employee has no productivity figure this month",
        "TPP cut of 25% for 6 months (SK 800/12/BKPSDM/2026)",
        "No TPP ceiling yet (import the ceiling table).",
        "<th>Total</th>",
    ):
        assert english in html, english


def test_it_keeps_the_bpkad_files_in_indonesian_on_an_english_page(unit_month: Any) -> None:
    client = logged_in(unit_month.operator)
    response = client.get("/tpp/laporan.xlsx", {"bulan": "2026-11"}, headers=EN)
    values = [list(r) for r in load_workbook(io.BytesIO(response.content)).active.values]
    assert values[6][:3] == ["No", "NIP", "Nama"] and values[6][14] == "TPP diterima (Rp)"
    assert any(row[0] and str(row[0]).startswith("Pembulatan: setiap baris") for row in values)
    assert [row[2] for row in values if len(row) > 2 and row[2] in ("Jumlah", "Total")] == [
        "Jumlah"
    ]


@needs_pdftotext
def test_it_heads_the_pdf_number_column_no_in_either_language(
    unit_month: Any, tmp_path: Path
) -> None:
    for language in ("id", "en"):
        response = logged_in(unit_month.operator).get(
            "/tpp/laporan.pdf", {"bulan": "2026-11"}, headers={"accept-language": language}
        )
        path = tmp_path / f"tpp-{language}.pdf"
        path.write_bytes(response.content)
        text = pdf_layout_text(path)
        header = next(line for line in text.splitlines() if "NIP / Nama" in line)
        assert header.split()[0] == "No" and "Tidak" not in header


def test_it_shows_the_rekap_tpp_estimate_in_english(unit_month: Any) -> None:
    page = logged_in(unit_month.employee.user).get("/rekap/", {"bulan": "2026-11"}, headers=EN)
    section = re.search(r'<section class="tpp-estimate".*?</section>', page.content.decode(), re.S)
    assert section is not None
    html = section.group(0)
    assert indonesian_words(html, DATA) == []
    assert "TPP estimate November 2026" in html
    assert "TL2 — Late, band 2" in html
    assert "2 times (days 3, 10), in total 2 % of the discipline share 40 %" in html
    assert "1 time (day 5), in total 3 % of the discipline share" in html
    assert "Job class 9" in html
    assert "each line is rounded once to the nearest rupiah" in html
    assert "TPP cut of 25% for 6 months" in html
    assert re.search(r"In words: [a-z -]+ rupiah\.", html) is not None


def test_it_shows_the_innovation_report_in_english(seeded: Any) -> None:
    page = logged_in(seeded.inovator).get(
        "/inovasi/", {"dari": "2026-10", "sampai": "2026-11"}, headers=EN
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert indonesian_words(html, DATA) == []
    assert "Baseline: November 2026 (the first month after counting started on" in html
    assert "started at most 15 minutes after their schedule" in html
    assert "On-time attendance" in html and "75.0" in html  # the English decimal point
    assert "<td>hours</td>" in html and "<td>days</td>" in html


def test_it_keeps_the_innovation_files_in_indonesian(seeded: Any) -> None:
    response = logged_in(seeded.inovator).get(
        "/inovasi/laporan.xlsx", {"dari": "2026-10", "sampai": "2026-11"}, headers=EN
    )
    sheet = load_workbook(io.BytesIO(response.content))["Indikator per bulan"]
    names = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert "Kehadiran tepat waktu" in names and "On-time attendance" not in names


@pytest.mark.parametrize(("role", "listed"), [("inovator", True), ("tim_it", True),
                                              ("operator", False), ("pegawai", False)])  # fmt: skip
def test_it_lists_the_innovation_report_in_the_menu_of_who_may_open_it(
    seeded: Any, role: str, listed: bool
) -> None:
    page = logged_in(seeded.user(role)).get("/rekap/").content.decode()
    assert ('href="/inovasi/"' in page) is listed
    if listed:
        english = logged_in(seeded.user(role)).get("/rekap/", headers=EN).content.decode()
        assert re.search(r'href="/inovasi/"[^>]*>\s*Innovation report', english)


def test_it_keeps_the_rule_texts_in_the_catalogue_equal_to_the_rules() -> None:
    assert RULE_TEXTS[0] == tpp.ROUNDING
    assert list(RULE_TEXTS[1:]) == [level.name for level in LADDER]


@pytest.mark.parametrize(
    ("amount", "words"),
    [(0, "zero"), (21, "twenty-one"), (1_500, "one thousand five hundred"),
     (4_825_000, "four million eight hundred twenty-five thousand"),
     (1_000_000_019, "one billion nineteen")],
)  # fmt: skip
def test_it_writes_the_amount_in_english_words(amount: int, words: str) -> None:
    assert tpp.in_english_words(amount) == words


def test_it_explains_each_rekap_day_in_english(unit_month: Any) -> None:
    """The day explanations come from the stored day records (written in Indonesian on the
    check-in path); in English they are built from the day's codes, minutes and punches."""
    client = logged_in(unit_month.employee.user)
    html = client.get("/rekap/", {"bulan": "2026-11"}, headers=EN).content.decode()
    table = re.search(r'<table class="table recap-days">.*?</table>', html, re.S)
    assert table is not None
    assert indonesian_words(table.group(0), DATA) == []
    for english in (
        "Checked in at 07:25 (on time), checked out at 16:35 (on time). "
        "Rule BAWAAN: deduction 0 %.",
        "Checked in at 08:05 (35 minutes late → TL2), checked out at 16:35 (on time).",
        "Absent without leave (TK): no check-in and no check-out. Rule BAWAAN: deduction",
        "Day off (L).",
    ):
        assert english in table.group(0), english
    indonesian = client.get("/rekap/", {"bulan": "2026-11"}).content.decode()
    assert "Tidak masuk tanpa keterangan (TK)" in indonesian  # the stored text, unchanged
