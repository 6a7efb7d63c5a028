"""Pagu table and productivity imports (CSV and XLSX), operator entry, sentence recording:
all-or-nothing, scoped, every refusal with its code and Indonesian message."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from govem.accounts.models import AuditEntry
from govem.accounts.roles import BKPSDM
from govem.accounts.scoping import can_record_sentences
from govem.errors import DomainError
from govem.payroll import services
from govem.payroll.models import Pagu, Productivity, Sentence
from govem.people.models import Employee
from tests.helpers.days import NOVEMBER
from tests.helpers.regency import grant, logged_in


def csv_file(text: str, name: str = "data.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def xlsx_file(rows: list[list[Any]], name: str = "data.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


PAGU_CSV = (
    "NIP;Jabatan;Kelas Jabatan;Pagu TPP;Berlaku Mulai;Catatan\n"
    "'198705122010011003;;;4.500.000;2026-01-01;Perbup 12/2025\n"
    ";Pranata Komputer;;3500000;2026-01-01;\n"
    ";;9;Rp 5.000.000;2026-01-01;\n"
)


def test_it_imports_the_pagu_table_once(regency: Any) -> None:
    client = logged_in(regency.tim_it)
    response = client.post("/tpp/pagu/", {"file": csv_file(PAGU_CSV)})
    assert response.status_code == 302
    rows = {(p.basis, p.key): p.amount for p in Pagu.objects.all()}
    assert rows == {
        ("pegawai", "198705122010011003"): 4_500_000,
        ("jabatan", "Pranata Komputer"): 3_500_000,
        ("kelas", "9"): 5_000_000,
    }
    assert AuditEntry.objects.filter(object_type__icontains="pagu").count() == 3
    again = services.import_pagu(data=PAGU_CSV.encode(), file_name="p.csv", by=regency.tim_it)
    assert again.as_dict() == {"created": 0, "updated": 0, "unchanged": 3}
    page = client.get("/tpp/pagu/")
    assert "Rp 4.500.000" in page.content.decode()


def test_it_imports_pagu_from_xlsx_with_dates(regency: Any) -> None:
    upload = xlsx_file(
        [
            ["Kelas Jabatan", "Pagu TPP", "Berlaku Mulai", "Berlaku Sampai"],
            [7, 3000000, date(2026, 1, 1), date(2026, 6, 30)],
            [7, 3200000.0, date(2026, 7, 1), None],
        ]
    )
    assert logged_in(regency.tim_it).post("/tpp/pagu/", {"file": upload}).status_code == 302
    assert list(Pagu.objects.order_by("valid_from").values_list("amount", "valid_to")) == [
        (3_000_000, date(2026, 6, 30)),
        (3_200_000, None),
    ]


@pytest.mark.parametrize(
    ("line", "column", "message"),
    [
        ("'198705122010011003;Pranata Komputer;;100;2026-01-01;", "nip", "tepat satu"),
        ("'199999999999999999;;;100;2026-01-01;", "nip", "tidak dikenal"),
        (";;25;100;2026-01-01;", "job_class", "1–20"),
        (";;9;empat juta;2026-01-01;", "amount", "rupiah utuh"),
        (";;9;100,5;2026-01-01;", "amount", "rupiah utuh"),
        (";;9;100;01/01/2026;", "valid_from", "YYYY-MM-DD"),
    ],
)
def test_it_refuses_a_bad_pagu_file_whole(
    regency: Any, line: str, column: str, message: str
) -> None:
    text = PAGU_CSV + line + "\n"
    response = logged_in(regency.tim_it).post("/tpp/pagu/", {"file": csv_file(text)})
    assert response.status_code == 422
    assert 'data-code="invalid_rows"' in response.content.decode()
    assert Pagu.objects.count() == 0  # nothing half-written
    with pytest.raises(DomainError) as caught:
        services.import_pagu(data=text.encode(), file_name="p.csv", by=regency.tim_it)
    (error,) = caught.value.details["errors"]
    assert error["row"] == 5 and error["column"] == column and message in error["message"]


def test_it_refuses_a_nip_stored_as_a_number(regency: Any) -> None:
    upload = xlsx_file(
        [["NIP", "Pagu TPP", "Berlaku Mulai"], [198705122010011003, 100, "2026-01-01"]]
    )
    response = logged_in(regency.tim_it).post("/tpp/pagu/", {"file": upload})
    assert response.status_code == 422 and "Format Cells" in response.content.decode()


@pytest.mark.parametrize("role", ["operator", "pegawai", "inovator"])
def test_it_lets_only_tim_it_import_pagu(regency: Any, role: str) -> None:
    client = logged_in(regency.user(role))
    for response in (
        client.post("/tpp/pagu/", {"file": csv_file(PAGU_CSV)}),
        client.get("/tpp/pagu/templat.xlsx"),
    ):
        assert response.status_code == 403
        page = response.content.decode()
        assert 'data-code="forbidden"' in page
        assert "Hanya Tim IT yang dapat mengimpor pagu TPP." in page
    assert Pagu.objects.count() == 0


def test_it_offers_templates_that_import_back(regency: Any) -> None:
    template = logged_in(regency.tim_it).get("/tpp/pagu/templat.xlsx")
    assert template.status_code == 200
    with pytest.raises(DomainError) as caught:  # the untouched template holds no rows
        services.import_pagu(data=template.content, file_name="t.xlsx", by=regency.tim_it)
    assert caught.value.code == "invalid_file"
    assert logged_in(regency.operator).get("/tpp/produktivitas/templat.xlsx").status_code == 200


@pytest.mark.parametrize(
    ("kind", "first", "month"),
    [("import-pagu", "NIP", []), ("import-productivity", "NIP", ["--month", "2026-11"])],
)
def test_the_commands_write_the_same_templates(
    regency: Any, tmp_path: Path, kind: str, first: str, month: list[str]
) -> None:
    target = tmp_path / "templat.xlsx"
    out = io.StringIO()

    call_command("tpp", kind, "--template", str(target), stdout=out)

    assert str(target) in out.getvalue()
    sheet = load_workbook(target).active
    header, explanation, example = (
        list(row) for row in sheet.iter_rows(max_row=3, values_only=True)
    )
    assert header[0] == first and all(explanation) and any(example)
    assert sheet.cell(row=50, column=1).number_format == "@"  # NIP typed as Text
    with pytest.raises(CommandError, match="tidak berisi baris"):  # nothing to import yet
        call_command("tpp", kind, str(target), *month, stdout=io.StringIO())
    with pytest.raises(CommandError, match="--template"):
        call_command("tpp", kind, *month, stdout=io.StringIO())


def test_productivity_from_the_command_needs_its_month(regency: Any, tmp_path: Path) -> None:
    source = tmp_path / "kinerja.csv"
    source.write_text("NIP;Capaian (%)\n'198705122010011003;90\n")
    with pytest.raises(CommandError, match="--month"):
        call_command("tpp", "import-productivity", str(source), stdout=io.StringIO())
    assert not Productivity.objects.exists()


def test_it_imports_productivity_for_the_operators_unit(regency: Any) -> None:
    text = (
        "NIP,Bulan,Capaian (%),Menit Aktivitas\n"
        f"'{regency.employee.nip},2026-11,85,\n"
        f"'{regency.colleague.nip},,,6000\n"
    )
    client = logged_in(regency.operator)
    response = client.post(
        "/tpp/produktivitas/", {"bulan": "2026-11", "action": "import", "file": csv_file(text)}
    )
    assert response.status_code == 302
    figures = {p.employee_id: (p.percent, p.minutes) for p in Productivity.objects.all()}
    assert figures == {
        regency.employee.pk: (Decimal("85.00"), None),
        regency.colleague.pk: (None, 6000),
    }
    page = client.get("/tpp/produktivitas/", {"bulan": "2026-11"}).content.decode()
    assert "Sudah ada (2)" in page


def test_it_imports_productivity_from_the_e_kinerja_xlsx(regency: Any) -> None:
    """As Excel keeps it: NIP as text, the month typed as a date, numbers as numbers."""
    from datetime import datetime

    upload = xlsx_file(
        [
            ["NIP", "Bulan", "Capaian (%)", "Menit Aktivitas"],
            [regency.employee.nip, datetime(2026, 11, 1), 87.5, None],
            [regency.colleague.nip, "2026-11", None, 6750],
        ],
        name="kinerja.xlsx",
    )
    client = logged_in(regency.operator)
    response = client.post(
        "/tpp/produktivitas/", {"bulan": "2026-10", "action": "import", "file": upload}
    )
    assert response.status_code == 302
    figures = {(p.employee_id, p.month): (p.percent, p.minutes) for p in Productivity.objects.all()}
    assert figures == {
        (regency.employee.pk, NOVEMBER): (Decimal("87.50"), None),
        (regency.colleague.pk, NOVEMBER): (None, 6750),
    }  # the file's month, not the page's (October)
    bad = xlsx_file(
        [["NIP", "Capaian (%)"], [regency.employee.nip, 80], [regency.colleague.nip, 140]]
    )
    refused = client.post(
        "/tpp/produktivitas/", {"bulan": "2026-12", "action": "import", "file": bad}
    )
    assert refused.status_code == 422 and 'data-code="invalid_rows"' in refused.content.decode()
    assert not Productivity.objects.filter(month=date(2026, 12, 1)).exists()  # nothing half-written


def test_it_refuses_productivity_outside_the_scope(regency: Any) -> None:
    text = f"NIP,Capaian (%)\n'{regency.employee.nip},85\n'{regency.other_employee.nip},90\n"
    response = logged_in(regency.operator).post(
        "/tpp/produktivitas/", {"bulan": "2026-11", "action": "import", "file": csv_file(text)}
    )
    assert response.status_code == 422
    assert "di luar cakupan" in response.content.decode()
    assert Productivity.objects.count() == 0


@pytest.mark.parametrize(
    ("capaian", "menit", "message"),
    [
        ("85", "6000", "salah satu"),
        ("", "", "salah satu"),
        ("120", "", "0–100"),
        ("", "-5", "bulat"),
    ],
)
def test_it_refuses_a_bad_operator_entry(
    regency: Any, capaian: str, menit: str, message: str
) -> None:
    response = logged_in(regency.operator).post(
        "/tpp/produktivitas/",
        {"bulan": "2026-11", "action": "entry", "nip": regency.employee.nip, "capaian": capaian,
         "menit": menit},
    )  # fmt: skip
    assert response.status_code == 422 and message in response.content.decode()
    assert Productivity.objects.count() == 0


def test_it_saves_an_operator_entry_audited(regency: Any) -> None:
    client = logged_in(regency.operator)
    data = {"bulan": "2026-11", "action": "entry", "nip": regency.employee.nip, "capaian": "92,5"}
    assert client.post("/tpp/produktivitas/", data).status_code == 302
    saved = Productivity.objects.get(employee=regency.employee, month=NOVEMBER)
    assert saved.percent == Decimal("92.50") and saved.source == "operator"
    entry = AuditEntry.objects.filter(object_type__icontains="productivity").get()
    assert entry.actor == regency.operator
    outside = {**data, "nip": regency.other_employee.nip}
    assert client.post("/tpp/produktivitas/", outside).status_code == 404
    assert logged_in(regency.employee.user).get("/tpp/produktivitas/").status_code == 403


@pytest.fixture
def bkpsdm(regency: Any) -> Any:
    from tests.helpers.regency import staff_user

    return grant(staff_user("bkpsdm", "Inovator"), BKPSDM)


SENTENCE = {
    "jenis": "tpp_25_6",
    "nomor": "800/12/BKPSDM/2026",
    "tanggal": "2026-09-28",
    "mulai": "2026-10",
}


def test_it_records_a_sentence_with_its_defaults(regency: Any, bkpsdm: Any) -> None:
    client = logged_in(bkpsdm)
    form = client.get("/tpp/hukuman/", {"pegawai": regency.employee.pk, "jenis": "tpp_25_6"})
    assert regency.employee.nip in form.content.decode()
    response = client.post("/tpp/hukuman/", {**SENTENCE, "nip": regency.employee.nip})
    assert response.status_code == 302
    sentence = Sentence.objects.get()
    assert (sentence.months, sentence.cut_pct, sentence.starts) == (
        6,
        Decimal("25"),
        date(2026, 10, 1),
    )
    assert sentence.recorded_by == bkpsdm
    assert AuditEntry.objects.filter(object_type__icontains="sentence").count() == 1
    again = client.post("/tpp/hukuman/", {**SENTENCE, "nip": regency.employee.nip})
    assert again.status_code == 409 and 'data-code="duplicate"' in again.content.decode()
    listing = logged_in(regency.employee.user).get("/tpp/hukuman/").content.decode()
    assert "800/12/BKPSDM/2026" in listing and "Catat hukuman" not in listing


@pytest.mark.parametrize(
    ("change", "field_text"),
    [
        ({"jenis": "hukuman_mati"}, "Jenis hukuman tidak dikenal"),
        ({"nomor": "  "}, "Nomor keputusan wajib"),
        ({"tanggal": "28-09-2026"}, "YYYY-MM-DD"),
        ({"mulai": "2026-13"}, "YYYY-MM"),
        ({"bulan": "40"}, "0–36"),
        ({"potongan": "150"}, "0–100"),
        ({"jenis": "teguran_lisan", "potongan": "10"}, "memerlukan lama"),
    ],
)
def test_it_refuses_a_bad_sentence(
    regency: Any, bkpsdm: Any, change: dict[str, str], field_text: str
) -> None:
    data = {**SENTENCE, "nip": regency.employee.nip, **change}
    response = logged_in(bkpsdm).post("/tpp/hukuman/", data)
    assert response.status_code == 422
    assert field_text in response.content.decode()
    assert Sentence.objects.count() == 0


@pytest.mark.parametrize("role", ["operator", "atasan", "pegawai", "inovator"])
def test_it_lets_only_bkpsdm_and_tim_it_record(regency: Any, role: str) -> None:
    response = logged_in(regency.user(role)).post(
        "/tpp/hukuman/", {**SENTENCE, "nip": regency.employee.nip}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-code="forbidden"' in page
    assert "Hanya BKPSDM atau Tim IT yang dapat mencatat hukuman disiplin." in page
    assert Sentence.objects.count() == 0
    assert can_record_sentences(regency.tim_it)


def test_it_hides_employees_outside_the_scope_on_the_sentence_page(regency: Any) -> None:
    client = logged_in(regency.operator)
    assert client.get("/tpp/hukuman/", {"pegawai": regency.other_employee.pk}).status_code == 404
    Sentence.objects.create(
        employee=regency.other_employee, kind="teguran_lisan", decree_number="X/1",
        decree_date=date(2026, 1, 1), starts=date(2026, 1, 1),
    )  # fmt: skip
    assert "X/1" not in client.get("/tpp/hukuman/").content.decode()
    assert Employee.objects.count() >= 6
