"""govem import-employees: preview, validation, all-or-nothing apply, leavers, audit."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from govem.accounts.models import AuditEntry
from govem.accounts.roles import PEGAWAI
from govem.people.importing import import_employees
from govem.people.models import Employee, ImportRun, Unit
from tests.conftest import make_employee
from tests.helpers.roster import BOSS, HEADER, NEW, SITI, csv_bytes, nip, roster


def run(tmp_path: Path, rows: list[list[str]], *args: str, **kwargs: Any) -> Path:
    path = tmp_path / "pegawai.csv"
    path.write_bytes(csv_bytes(rows, **kwargs))
    call_command("import_employees", str(path), *args, stdout=io.StringIO())
    return path


@pytest.fixture
def regency(employee: Employee, colleague: Employee) -> Unit:
    return employee.unit


def test_it_previews_new_changed_and_leaving_without_writing(tmp_path: Path, regency: Unit) -> None:
    leaver = make_employee(regency, "198001012005011001", "Ahmad Pensiun")
    rows = roster([NEW, "Dewi Lestari", "Analis", "DISKOMINFO", "PPPK", "0812 3456 7890", "", ""])
    rows[1][2] = "Pranata Komputer Ahli Pertama"
    path = tmp_path / "pegawai.csv"
    path.write_bytes(csv_bytes(rows))
    out = io.StringIO()

    call_command("import_employees", str(path), "--dry-run", "--deactivate-missing", stdout=out)

    text = out.getvalue()
    assert "1 baru, 1 berubah, 1 keluar" in text
    assert "Jabatan: — → Pranata Komputer Ahli Pertama" in text
    assert "- 198001012005011001 Ahmad Pensiun" in text
    assert "Uji coba" in text
    assert not Employee.objects.filter(nip=NEW).exists()
    leaver.refresh_from_db()
    assert leaver.active
    preview = ImportRun.objects.get()
    assert (preview.dry_run, preview.status, preview.created, preview.deactivated) == (
        True,
        "preview",
        1,
        1,
    )


def test_it_creates_employees_with_a_pegawai_account_without_password(
    tmp_path: Path, regency: Unit
) -> None:
    run(
        tmp_path,
        roster(
            [NEW, "Dewi Lestari", "Analis", "diskominfo", "PPPK", "0812-3456-7890", "d@x.id", SITI],
            ["NA-0042", "Budi Santoso", "Tenaga Teknis", "DISKOMINFO", "Non ASN", "", "", NEW],
        ),
    )

    dewi = Employee.objects.get(nip=NEW)
    assert (dewi.employee_type, dewi.phone, dewi.email) == ("PPPK", "+6281234567890", "d@x.id")
    assert dewi.supervisor.nip == SITI
    assert not dewi.user.has_usable_password()
    assert dewi.user.username == NEW
    assert list(dewi.user.groups.values_list("name", flat=True)) == [PEGAWAI]
    budi = Employee.objects.get(non_asn_id="NA-0042")
    assert (budi.employee_type, budi.nip, budi.user.username) == ("NON_ASN", None, "NA-0042")
    assert budi.supervisor == dewi  # a supervisor new in the same file
    assert ImportRun.objects.get().status == "applied"


def test_it_reports_every_invalid_row_and_applies_nothing(tmp_path: Path, regency: Unit) -> None:
    rows = roster(
        [NEW, "Dewi Lestari", "", "DISKOMINFO", "PPPK", "", "", ""],
        ["199013322015032001", "NIP Salah", "", "DISKOMINFO", "PNS", "", "", ""],
        [nip(5), "Unit Salah", "", "DINAS-X", "PNS", "", "", ""],
        [nip(6), "Atasan Salah", "", "DISKOMINFO", "PNS", "", "", "197001012000011001"],
        ["123", "Dua Salah", "", "DISKOMINFO", "PNS", "", "", "197001012000011002"],
        [NEW, "Dewi Ganda", "", "DISKOMINFO", "PPPK", "", "", ""],
        [nip(7), "Telepon Salah", "", "DISKOMINFO", "PNS", "12345", "", ""],
        [nip(8), "Email Salah", "", "DISKOMINFO", "PNS", "", "bukan-email", ""],
        [nip(9), "Jenis Salah", "", "DISKOMINFO", "Kontrak", "", "", ""],
    )
    path = tmp_path / "pegawai.csv"
    path.write_bytes(csv_bytes(rows))
    out = io.StringIO()

    with pytest.raises(CommandError) as failure:
        call_command("import_employees", str(path), stdout=out)

    assert failure.value.returncode == 2
    text = out.getvalue()
    for expected in [
        "baris 5 (199013322015032001): NIP «199013322015032001» tidak valid",
        "baris 6 (" + nip(5) + "): Kode unit «DINAS-X» tidak dikenal.",
        "baris 7 (" + nip(6) + "): NIP atasan «197001012000011001» tidak ada di berkas",
        "baris 8 (123): NIP «123» tidak valid: NIP harus terdiri dari 18 digit angka.",
        "baris 8 (123): NIP atasan «197001012000011002» tidak ada di berkas",
        "baris 9 (" + NEW + "): NIP «" + NEW + "» ganda: sudah ada di baris 4.",
        "baris 10 (" + nip(7) + "): Nomor telepon «12345» tidak valid",
        "baris 11 (" + nip(8) + "): Alamat email «bukan-email» tidak valid.",
        "baris 12 (" + nip(9) + "): Jenis pegawai «Kontrak» tidak dikenal",
        "DITOLAK",
    ]:
        assert expected in text
    assert Employee.objects.count() == 2
    refused = ImportRun.objects.get()
    assert (refused.status, refused.invalid, refused.dry_run) == ("refused", 8, False)
    assert {error["row"] for error in refused.errors} == {5, 6, 7, 8, 9, 10, 11, 12}


def test_it_deactivates_leavers_and_their_accounts_and_deletes_nobody(
    tmp_path: Path, regency: Unit
) -> None:
    leaver = make_employee(regency, "198001012005011001", "Ahmad Pensiun")

    run(tmp_path, roster(), "--deactivate-missing")

    leaver.refresh_from_db()
    leaver.user.refresh_from_db()
    assert (leaver.active, leaver.user.is_active) == (False, False)
    assert Employee.objects.count() == 3

    # Back in the next export: reactivated, account too.
    run(
        tmp_path,
        roster(["198001012005011001", "Ahmad Pensiun", "", "DISKOMINFO", "PNS"] + [""] * 3),
    )
    leaver.refresh_from_db()
    leaver.user.refresh_from_db()
    assert (leaver.active, leaver.user.is_active) == (True, True)


def test_it_looks_for_leavers_only_in_the_scope_unit_subtree(tmp_path: Path, regency: Unit) -> None:
    other = Unit.objects.create(code="BKPSDM", name="BKPSDM")
    child = Unit.objects.create(code="DISKOMINFO-TIK", name="Bidang TIK", parent=regency)
    outside = make_employee(other, "198001012005011001", "Di Unit Lain")
    inside = make_employee(child, "198102022006042002", "Di Sub Unit")

    run(tmp_path, roster(), "--deactivate-missing", "--scope", "unit", "DISKOMINFO")

    outside.refresh_from_db()
    inside.refresh_from_db()
    assert outside.active
    assert not inside.active


def test_it_deactivates_nobody_with_a_partial_file(tmp_path: Path, regency: Unit) -> None:
    run(tmp_path, roster()[:1], "--partial")

    assert Employee.objects.filter(active=True).count() == 2


def test_it_deactivates_nobody_unless_asked_and_names_who_is_absent(
    tmp_path: Path, regency: Unit
) -> None:
    path = tmp_path / "pegawai.csv"
    path.write_bytes(csv_bytes(roster()[:1]))
    out = io.StringIO()

    call_command("import_employees", str(path), stdout=out)

    assert Employee.objects.filter(active=True).count() == 2
    text = out.getvalue()
    assert "0 keluar" in text
    assert "Tidak ada di berkas, tetap aktif (--deactivate-missing untuk menonaktifkan) (1):" in (
        text
    )
    assert "· " + SITI + " Siti Aminah [DISKOMINFO]" in text
    assert ImportRun.objects.get().full_roster is False

    preview = io.StringIO()
    call_command("import_employees", str(path), "--dry-run", "--deactivate-missing", stdout=preview)
    assert "Pegawai keluar (dinonaktifkan) (1):\n  - " + SITI + " Siti Aminah" in (
        preview.getvalue()
    )
    assert Employee.objects.filter(active=True).count() == 2


def test_it_refuses_a_nip_stored_as_a_number_naming_the_row(tmp_path: Path, regency: Unit) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append([BOSS, "Rahmat Hidayat", "", "DISKOMINFO", "PNS", None, None, None])
    # What Excel keeps of 198503132015011009 typed into a General column: a double.
    sheet.append([198503132015011009.0, "Ghost", "", "DISKOMINFO", "PNS", None, None, None])
    sheet.append([NEW, "Dewi Lestari", "", "DISKOMINFO", "PPPK", None, None, int(SITI)])
    path = tmp_path / "angka.xlsx"
    book.save(path)
    out = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_employees", str(path), stdout=out)

    text = out.getvalue()
    assert "baris 3 (198503132015011008): Kolom NIP tersimpan sebagai angka" in text
    assert "baris 4 (" + NEW + "): Kolom NIP Atasan tersimpan sebagai angka" in text
    assert "Format Cells → Text" in text
    assert not Employee.objects.filter(nip__startswith="1985031320150110").exists()
    assert not Employee.objects.filter(nip=NEW).exists()


def test_it_refuses_a_csv_that_excel_wrote_with_numbers(tmp_path: Path, regency: Unit) -> None:
    rows = roster(["1.98503E+17", "Ghost", "", "DISKOMINFO", "PNS", "", "", ""])

    with pytest.raises(CommandError):
        out = io.StringIO()
        path = tmp_path / "pegawai.csv"
        path.write_bytes(csv_bytes(rows))
        call_command("import_employees", str(path), stdout=out)

    assert "baris 4 (1.98503E+17): Kolom NIP tersimpan sebagai angka" in out.getvalue()


def test_it_keeps_phone_and_email_when_the_cells_are_blank(
    tmp_path: Path, employee: Employee, colleague: Employee
) -> None:
    Employee.objects.filter(pk=employee.pk).update(phone="+6281111111111", email="r@x.id")

    run(tmp_path, roster())

    employee.refresh_from_db()
    assert (employee.phone, employee.email) == ("+6281111111111", "r@x.id")
    assert employee.position == "Pranata Komputer"


def test_it_reads_xlsx_with_english_headers_under_a_title_row(
    tmp_path: Path, regency: Unit
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Employee roster — export 2026-11-27"])
    sheet.append(["Employee ID", "Full Name", "Position", "Unit Code", "Employee Type", "Phone"])
    sheet.append([BOSS, "Rahmat Hidayat", "Pranata Komputer", "DISKOMINFO", "PNS", None])
    sheet.append([SITI, "Siti Aminah", None, "DISKOMINFO", "PNS", 81234567890])
    sheet.append([NEW, "Dewi Lestari", "Analis", "DISKOMINFO", "PPPK", None])
    path = tmp_path / "export.xlsx"
    book.save(path)

    call_command("import_employees", str(path), stdout=io.StringIO())

    assert Employee.objects.get(nip=SITI).phone == "+6281234567890"  # Excel lost the leading 0
    assert Employee.objects.get(nip=NEW).name == "Dewi Lestari"


def test_it_refuses_a_file_without_the_required_columns(tmp_path: Path, regency: Unit) -> None:
    with pytest.raises(CommandError, match="Kolom wajib tidak ada: Kode Unit, Jenis Pegawai"):
        run(tmp_path, [[BOSS, "Rahmat"]], header=["NIP", "Nama"])


def test_it_audits_each_employee_and_the_import(tmp_path: Path, regency: Unit) -> None:
    leaver = make_employee(regency, "198001012005011001", "Ahmad Pensiun")
    AuditEntry.objects.all().delete()
    rows = roster([NEW, "Dewi Lestari", "Analis", "DISKOMINFO", "PPPK", "", "", ""])
    rows[0][1] = "Rahmat Hidayat, S.Kom."

    run(tmp_path, rows, "--deactivate-missing")

    entries = {
        (entry.action, entry.object_repr.split(" (")[0]): entry
        for entry in AuditEntry.objects.all()
    }
    assert entries[("create", "Dewi Lestari")].after["nip"] == NEW
    renamed = entries[("update", "Rahmat Hidayat, S.Kom.")]
    assert (renamed.before, renamed.after) == (
        {"name": "Rahmat Hidayat"},
        {"name": "Rahmat Hidayat, S.Kom."},
    )
    gone = entries[("update", "Ahmad Pensiun")]
    assert (gone.before, gone.after) == ({"active": True}, {"active": False})
    summary = AuditEntry.objects.get(action="import")
    assert summary.after["created"] == 1
    assert summary.after["changed"] == 1
    assert summary.after["deactivated"] == 1
    assert leaver.pk  # never deleted


def test_it_runs_as_govem_import_employees() -> None:
    govem = Path(sys.executable).with_name("govem")

    result = subprocess.run(
        [str(govem), "import-employees", "--help"], capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr
    assert "Impor pegawai dari ekspor sistem kepegawaian" in result.stdout
    assert "--dry-run" in result.stdout


def test_it_service_records_who_imported(regency: Unit) -> None:
    user = get_user_model().objects.create_user("timit", password="x")
    outcome = import_employees(
        data=csv_bytes(roster()), file_name="../../etc/pegawai.csv", by=user, dry_run=False
    )

    assert outcome.run.by == user
    assert outcome.run.file_name == "pegawai.csv"
    assert len(outcome.run.sha256) == 64


def test_it_reads_nips_as_govem_reports_write_them_into_csv(tmp_path: Path, regency: Unit) -> None:
    rows = roster(['="' + NEW + '"', "Dewi Lestari", "", "DISKOMINFO", "PPPK", "", "", ""])

    run(tmp_path, rows)

    assert Employee.objects.get(nip=NEW).name == "Dewi Lestari"
