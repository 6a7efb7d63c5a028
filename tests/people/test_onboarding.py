"""govem import-units / import-locations and the templates every import offers."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from govem.accounts.models import AuditEntry
from govem.people.models import ImportRun, Unit, WorkLocation
from tests.helpers.roster import csv_bytes

UNIT_HEADER = ["Kode Unit", "Nama Unit", "Kode Unit Induk", "Alamat"]
LOCATION_HEADER = ["Nama Lokasi", "Lintang", "Bujur", "Radius (m)", "Poligon", "Zona Waktu",
                   "Kode Unit"]  # fmt: skip


def command(name: str, path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command(name, str(path), *args, stdout=out)
    return out.getvalue()


def refused(name: str, path: Path, *args: str) -> str:
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command(name, str(path), *args, stdout=out)
    assert failure.value.returncode == 2
    return out.getvalue()


def write(tmp_path: Path, name: str, rows: list[list[str]], header: list[str]) -> Path:
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows, header=header))
    return path


def xlsx(tmp_path: Path, rows: list[list[Any]], header: list[str]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    path = tmp_path / "data.xlsx"
    book.save(path)
    return path


# --- units ------------------------------------------------------------------------------------


def test_it_creates_a_unit_tree_whatever_the_row_order(tmp_path: Path, db: Any) -> None:
    path = write(
        tmp_path,
        "unit.csv",
        [
            ["DISKOMINFO-TIK", "Bidang TIK", "DISKOMINFO", ""],
            ["DISKOMINFO", "Dinas Komunikasi dan Informatika", "", "Jl. Sudirman 1, Rantau"],
            ["DISKOMINFO-TIK-JAR", "Seksi Jaringan", "diskominfo-tik", ""],
        ],
        UNIT_HEADER,
    )

    text = command("import_units", path)

    assert "3 baru" in text and "Diterapkan" in text
    top = Unit.objects.get(code="DISKOMINFO")
    leaf = Unit.objects.get(code="DISKOMINFO-TIK-JAR")
    assert top.address == "Jl. Sudirman 1, Rantau"
    assert leaf.parent.code == "DISKOMINFO-TIK"
    assert leaf.path.startswith(top.path)
    assert set(top.subtree().values_list("code", flat=True)) == {
        "DISKOMINFO",
        "DISKOMINFO-TIK",
        "DISKOMINFO-TIK-JAR",
    }
    run = ImportRun.objects.get()
    assert (run.kind, run.status, run.created) == ("units", "applied", 3)
    assert AuditEntry.objects.filter(object_type="people.unit", action="create").count() == 3
    summary = AuditEntry.objects.get(action="import")
    assert summary.reason == "Impor unit dari unit.csv"


def test_it_previews_changes_to_known_units_and_moves_a_subtree(tmp_path: Path, db: Any) -> None:
    dinas = Unit.objects.create(code="DISKOMINFO", name="Diskominfo")
    sekretariat = Unit.objects.create(code="SETDA", name="Sekretariat Daerah")
    tik = Unit.objects.create(code="TIK", name="Bidang TIK", parent=dinas)
    seksi = Unit.objects.create(code="TIK-1", name="Seksi 1", parent=tik)
    path = write(
        tmp_path,
        "unit.csv",
        [
            ["DISKOMINFO", "Dinas Komunikasi dan Informatika", "", ""],
            ["TIK", "Bidang TIK", "SETDA", ""],
        ],
        UNIT_HEADER,
    )

    preview = command("import_units", path, "--dry-run")

    assert "~ baris 2: DISKOMINFO: Nama Unit: Diskominfo → Dinas Komunikasi dan Informatika" in (
        preview
    )
    assert "~ baris 3: TIK: Kode Unit Induk: DISKOMINFO → SETDA" in preview
    assert Unit.objects.get(code="TIK").parent == dinas  # a preview writes nothing

    command("import_units", path)

    seksi.refresh_from_db()
    assert seksi.path.startswith(sekretariat.path)  # the child moved with its parent
    assert Unit.objects.count() == 4  # units absent from the file are left alone


def test_it_reports_every_invalid_unit_row_and_applies_nothing(tmp_path: Path, db: Any) -> None:
    Unit.objects.create(code="A", name="Unit A")
    path = write(
        tmp_path,
        "unit.csv",
        [
            ["B", "Unit B", "C", ""],
            ["C", "Unit C", "B", ""],
            ["D E", "Kode berspasi", "", ""],
            ["F", "", "A", ""],
            ["G", "Induk tidak ada", "ZZZ", ""],
            ["B", "Unit B lagi", "", ""],
            ["H", "Diri sendiri", "h", ""],
            ["OK", "Baris yang benar", "A", ""],
        ],
        UNIT_HEADER,
    )

    text = refused("import_units", path)

    for expected in [
        "baris 2 (B): Unit induk «C» membentuk siklus",
        "baris 3 (C): Unit induk «B» membentuk siklus",
        "baris 4 (D E): Kode unit «D E» tidak valid",
        "baris 5 (F): Nama unit kosong.",
        "baris 6 (G): Kode unit induk «ZZZ» tidak ada di berkas maupun di data unit.",
        "baris 7 (B): Kode unit «B» ganda: sudah ada di baris 2.",
        "baris 8 (H): Unit tidak dapat menjadi induknya sendiri.",
        "DITOLAK",
    ]:
        assert expected in text
    assert list(Unit.objects.values_list("code", flat=True)) == ["A"]
    run = ImportRun.objects.get()
    assert (run.status, run.invalid) == ("refused", 7)


def test_it_refuses_unit_codes_stored_as_numbers(tmp_path: Path, db: Any) -> None:
    path = xlsx(tmp_path, [["0101", "Dinas Satu", None], [102, "Dinas Dua", 101.0]], UNIT_HEADER)

    text = refused("import_units", path)

    assert "baris 3 (102): Kolom Kode Unit tersimpan sebagai angka" in text
    assert "baris 3 (102): Kolom Kode Unit Induk tersimpan sebagai angka" in text
    assert "Format Cells → Text" in text
    assert not Unit.objects.exists()


# --- locations --------------------------------------------------------------------------------


@pytest.fixture
def units(db: Any) -> dict[str, Unit]:
    return {
        code: Unit.objects.create(code=code, name=f"Unit {code}")
        for code in ("DISKOMINFO", "BKPSDM", "RSUD")
    }


def test_it_creates_circles_and_polygons_serving_the_listed_units(
    tmp_path: Path, units: dict[str, Unit]
) -> None:
    wkt = (
        "POLYGON((115.160 -2.940, 115.162 -2.940, 115.162 -2.938, 115.160 -2.938, 115.160 -2.940))"
    )
    path = write(
        tmp_path,
        "lokasi.csv",
        [
            ["Kantor Diskominfo", "-2,9395", "115,1613", "100", "", "WITA", "DISKOMINFO, BKPSDM"],
            ["RSUD Datu Sanggul", "-2.9500", "115.1700", "", wkt, "Asia/Makassar", "RSUD"],
            ["Pos Lapangan", "-2.95", "115.18", "", '"-2.95,115.18; -2.951,115.18; -2.951,115.181"',
             "", ""],
        ],
        LOCATION_HEADER,
    )  # fmt: skip

    text = command("import_locations", path)

    assert "3 baru" in text
    office = WorkLocation.objects.get(name="Kantor Diskominfo")
    assert (office.latitude, office.longitude, office.radius_m, office.polygon) == (
        -2.9395,
        115.1613,
        100,
        None,
    )
    assert set(office.units.values_list("code", flat=True)) == {"DISKOMINFO", "BKPSDM"}
    hospital = WorkLocation.objects.get(name="RSUD Datu Sanggul")
    assert hospital.polygon == [[-2.94, 115.16], [-2.94, 115.162], [-2.938, 115.162],
                                [-2.938, 115.16]]  # fmt: skip
    post = WorkLocation.objects.get(name="Pos Lapangan")
    assert (post.time_zone, len(post.polygon), post.units.count()) == ("Asia/Makassar", 3, 0)
    assert units["RSUD"].locations.get() == hospital


def test_it_updates_a_location_by_name_and_sets_its_units_exactly(
    tmp_path: Path, units: dict[str, Unit]
) -> None:
    office = WorkLocation.objects.create(name="Kantor Diskominfo", latitude=-2.9, longitude=115.1)
    office.units.set([units["DISKOMINFO"], units["RSUD"]])
    path = write(
        tmp_path,
        "lokasi.csv",
        [["kantor  diskominfo", "-2.9395", "115.1613", "150", "", "WITA", "BKPSDM"]],
        LOCATION_HEADER,
    )

    preview = command("import_locations", path, "--dry-run")

    assert "Radius (m): 100 → 150" in preview
    assert "Kode Unit: DISKOMINFO, RSUD → BKPSDM" in preview

    command("import_locations", path)

    office.refresh_from_db()
    assert WorkLocation.objects.count() == 1
    assert (office.latitude, office.radius_m, office.name) == (-2.9395, 150, "kantor diskominfo")
    assert list(office.units.values_list("code", flat=True)) == ["BKPSDM"]


def test_it_reports_every_invalid_location_row_and_applies_nothing(
    tmp_path: Path, units: dict[str, Unit]
) -> None:
    path = write(
        tmp_path,
        "lokasi.csv",
        [
            ["Tertukar", "115.16", "-2.94", "100", "", "", "DISKOMINFO"],
            ["Tanpa radius", "-2.94", "115.16", "", "", "", ""],
            ["Radius besar", "-2.94", "115.16", "9000", "", "", ""],
            ["Zona salah", "-2.94", "115.16", "100", "", "WIB+1", ""],
            ["Unit salah", "-2.94", "115.16", "100", "", "", "DISKOMINFO, DINAS-X"],
            ["Poligon dua titik", "-2.94", "115.16", "", '"-2.94,115.16; -2.95,115.16"', "", ""],
            ["Poligon jauh", "-2.94", "115.16", "", '"-3.5,115.16;-3.5,115.17;-3.51,115.17"', "",
             ""],
            ["Bukan angka", "selatan", "115.16", "100", "", "", ""],
            ["tertukar", "-2.94", "115.16", "100", "", "", ""],
        ],
        LOCATION_HEADER,
    )  # fmt: skip

    text = refused("import_locations", path)

    for expected in [
        "baris 2 (Tertukar): Titik 115.16, -2.94 di luar wilayah Indonesia (lintang dan bujur "
        "tertukar?).",
        "baris 3 (Tanpa radius): Isi radius (meter) atau poligon.",
        "baris 4 (Radius besar): Radius «9000» harus bilangan bulat 10–5000 meter.",
        "baris 5 (Zona salah): Zona waktu «WIB+1» tidak dikenal",
        "baris 6 (Unit salah): Kode unit «DINAS-X» tidak dikenal",
        "baris 7 (Poligon dua titik): Poligon tidak valid: poligon harus punya minimal 3 titik",
        "baris 8 (Poligon jauh): Titik poligon berjarak 63,0 km",
        "baris 9 (Bukan angka): Lintang «selatan» bukan angka desimal.",
        "baris 10 (tertukar): Lokasi «tertukar» ganda: sudah ada di baris 2.",
    ]:
        assert expected in text
    assert not WorkLocation.objects.exists()


# --- templates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "first", "identifier_columns"),
    [
        ("import_employees", "NIP", {"NIP", "Kode Unit", "NIP Atasan"}),
        ("import_units", "Kode Unit", {"Kode Unit", "Kode Unit Induk"}),
        ("import_locations", "Nama Lokasi", {"Kode Unit"}),
    ],
)
def test_it_writes_a_template_that_reads_back_as_empty(
    tmp_path: Path, db: Any, name: str, first: str, identifier_columns: set[str]
) -> None:
    target = tmp_path / "templat.xlsx"
    out = io.StringIO()

    call_command(name, "--template", str(target), stdout=out)

    sheet = load_workbook(target).active
    header, explanation, example = (
        list(row) for row in sheet.iter_rows(max_row=3, values_only=True)
    )
    assert header[0] == first
    assert all(explanation) and any(example)
    text_columns = {
        sheet.cell(row=1, column=index).value
        for index in range(1, sheet.max_column + 1)
        if sheet.cell(row=50, column=index).number_format == "@"
    }
    assert text_columns == identifier_columns
    # The template as downloaded imports nothing: the explanation and example rows are skipped.
    with pytest.raises(CommandError, match="Berkas tidak berisi data"):
        call_command(name, str(target), "--dry-run", stdout=io.StringIO())


def test_it_refuses_a_template_name_that_is_not_xlsx(tmp_path: Path, db: Any) -> None:
    with pytest.raises(CommandError, match=r"berakhiran \.xlsx"):
        call_command("import_units", "--template", str(tmp_path / "t.csv"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="--template"):
        call_command("import_units", stdout=io.StringIO())


def test_it_sees_no_change_in_the_order_of_the_unit_codes(
    tmp_path: Path, units: dict[str, Unit]
) -> None:
    row = ["Kantor", "-2.9395", "115.1613", "100", "", "WITA", "DISKOMINFO, BKPSDM"]
    command("import_locations", write(tmp_path, "a.csv", [row], LOCATION_HEADER))
    row[6] = "BKPSDM DISKOMINFO"

    text = command("import_locations", write(tmp_path, "b.csv", [row], LOCATION_HEADER))

    assert "0 berubah, 1 tetap" in text
