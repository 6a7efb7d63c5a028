"""The pagu, productivity and sentence forms in English: the flash message after saving and
every refusal (with its row errors) in English, with the same codes as in Indonesian."""

from __future__ import annotations

from typing import Any

import pytest

from govem.payroll.models import Pagu, Productivity, Sentence
from tests.english import indonesian_words
from tests.helpers.regency import logged_in
from tests.payroll.test_imports import PAGU_CSV, SENTENCE, bkpsdm, csv_file

__all__ = ["bkpsdm"]
EN = {"accept-language": "en"}
DATA = ("Rahmat Hidayat", "Siti Aminah", "Budi Santoso", "Andi Operator", "Pranata Komputer",
        "Dinas Komunikasi dan Informatika", "PEMERINTAH KABUPATEN TAPIN", "Kabupaten Tapin",
        "Perbup", "Tapin")  # fmt: skip


def _flash(response: Any) -> str:
    html = response.content.decode()
    assert indonesian_words(html, DATA) == [], indonesian_words(html, DATA)
    return html


def test_it_confirms_a_pagu_import_in_english(regency: Any) -> None:
    client = logged_in(regency.tim_it)
    response = client.post("/tpp/pagu/", {"file": csv_file(PAGU_CSV)}, headers=EN, follow=True)
    html = _flash(response)
    assert "Import finished: 3 new, 0 changed, 0 unchanged." in html


def test_it_refuses_a_bad_pagu_file_in_english(regency: Any) -> None:
    bad = "NIP;Jabatan;Kelas Jabatan;Pagu TPP;Berlaku Mulai\n'123;;;abc;2026-13-01\n;;;;\n"
    response = logged_in(regency.tim_it).post("/tpp/pagu/", {"file": csv_file(bad)}, headers=EN)
    assert response.status_code == 422
    html = _flash(response)
    assert 'data-code="invalid_rows"' in html
    assert "errors in the ceiling file; nothing was saved." in html
    for row_error in ("NIP 123 is not known.", "The ceiling must be whole rupiah, e.g. 4500000.",
                      "The date must be YYYY-MM-DD."):  # fmt: skip
        assert row_error in html, row_error
    wrong_type = logged_in(regency.tim_it).post(
        "/tpp/pagu/", {"file": csv_file("x", name="pagu.pdf")}, headers=EN
    )
    assert "The file must be XLSX or CSV." in _flash(wrong_type)
    assert Pagu.objects.count() == 0


def test_it_confirms_and_refuses_productivity_in_english(regency: Any) -> None:
    client = logged_in(regency.operator)
    entry = {"bulan": "2026-11", "action": "entry", "nip": regency.employee.nip}
    saved = client.post("/tpp/produktivitas/", {**entry, "menit": "6750"}, headers=EN, follow=True)
    assert "Productivity of Rahmat Hidayat for November 2026 saved: 6,750 activity minutes." in (
        _flash(saved)
    )
    both = client.post("/tpp/produktivitas/", {**entry, "capaian": "80", "menit": "10"}, headers=EN)
    assert both.status_code == 422
    assert "Fill in the achievement (%) or the activity minutes (one of them)." in _flash(both)
    outside = {**entry, "nip": regency.other_employee.nip, "capaian": "80"}
    missing = client.post("/tpp/produktivitas/", outside, headers=EN)
    assert missing.status_code == 404 and "No employee with that NIP in your scope." in (
        _flash(missing)
    )
    assert Productivity.objects.get().minutes == 6750


@pytest.mark.parametrize(
    ("change", "english"),
    [
        ({"jenis": "hukuman_mati"}, "Unknown kind of sentence."),
        ({"nomor": " "}, "The decree number is required."),
        ({"tanggal": "28-09-2026"}, "Decree date must be YYYY-MM-DD."),
        ({"mulai": "2026-13"}, "The month must be YYYY-MM, for example 2026-11."),
        ({"bulan": "x"}, "The sentence&#x27;s length must be a whole number."),
        ({"potongan": "150"}, "The TPP cut is 0–100 %."),
    ],
)
def test_it_refuses_a_bad_sentence_in_english(
    regency: Any, bkpsdm: Any, change: dict[str, str], english: str
) -> None:
    data = {**SENTENCE, "nip": regency.employee.nip, **change}
    response = logged_in(bkpsdm).post("/tpp/hukuman/", data, headers=EN)
    assert response.status_code == 422
    assert english in _flash(response)
    assert Sentence.objects.count() == 0


def test_it_confirms_a_sentence_in_english(regency: Any, bkpsdm: Any) -> None:
    client = logged_in(bkpsdm)
    data = {**SENTENCE, "nip": regency.employee.nip}
    response = client.post("/tpp/hukuman/", data, headers=EN, follow=True)
    html = _flash(response)
    assert "Sentence TPP cut of 25% for 6 months for Rahmat Hidayat recorded." in html
    again = client.post("/tpp/hukuman/", data, headers=EN)
    assert again.status_code == 409
    assert "A decree with that number is already recorded for this employee." in _flash(again)
