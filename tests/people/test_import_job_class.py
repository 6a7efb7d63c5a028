"""The job class (kelas jabatan) column of the employee import: the TPP pagu table keys on it.
Template, parsing (9, 9.0, "Kelas 9"), validation with a stable code, preview and apply."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from govem.accounts.models import AuditEntry
from govem.accounts.roles import TIM_IT
from govem.people.importing import import_employees
from govem.people.models import Employee, ImportRun
from tests.helpers.roster import BOSS, NEW, SITI, nip

HEADER = ["NIP", "Nama", "Kode Unit", "Jenis Pegawai", "Kelas Jabatan"]


def xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def staff(client: Client, employee: Employee, colleague: Employee) -> Client:
    user = get_user_model().objects.create_user("it-kelas", password="x")
    user.groups.add(Group.objects.get(name=TIM_IT))
    client.force_login(user)
    Employee.objects.filter(pk=employee.pk).update(job_class=7)
    return client


def upload(client: Client, data: bytes) -> Any:
    file = SimpleUploadedFile("pegawai.xlsx", data, content_type="application/octet-stream")
    return client.post("/impor-pegawai/", {"action": "preview", "file": file})


def test_it_previews_and_applies_the_job_class(staff: Client, employee: Employee) -> None:
    data = xlsx([
        [BOSS, "Rahmat Hidayat", "DISKOMINFO", "PNS", 9.0],  # Excel's number: 7 → 9
        [SITI, "Siti Aminah", "DISKOMINFO", "PNS", None],  # blank: unchanged
        [NEW, "Dewi Lestari", "DISKOMINFO", "PPPK", "Kelas 11"],
    ])  # fmt: skip
    preview = upload(staff, data)
    page = preview.content.decode()
    assert preview.status_code == 200 and 'id="apply"' in page
    assert "Kelas Jabatan" in page and "7" in page and "9" in page
    assert Employee.objects.get(pk=employee.pk).job_class == 7  # a preview writes nothing
    token = ImportRun.objects.get(status="preview").token
    staff.post("/impor-pegawai/", {"action": "apply", "token": token})
    classes = dict(Employee.objects.values_list("name", "job_class"))
    assert classes == {"Rahmat Hidayat": 9, "Siti Aminah": None, "Dewi Lestari": 11}
    change = AuditEntry.objects.get(
        action="update", object_type="people.employee", object_id=str(employee.pk)
    )
    assert (change.before, change.after) == ({"job_class": 7}, {"job_class": 9})


@pytest.mark.parametrize("value", ["21", "0", "sembilan", "9,5", -3])
def test_it_refuses_a_bad_job_class_and_writes_nothing(staff: Client, value: Any) -> None:
    data = xlsx([
        [BOSS, "Rahmat Hidayat", "DISKOMINFO", "PNS", 9],
        [nip(3), "Baru Sekali", "DISKOMINFO", "PNS", value],
    ])  # fmt: skip
    page = upload(staff, data).content.decode()
    assert 'data-code="invalid_job_class"' in page
    assert f"Kelas jabatan «{value}» tidak valid (bilangan bulat 1–20)." in page
    assert 'id="apply"' not in page
    outcome = import_employees(data=data, file_name="pegawai.xlsx", dry_run=False)
    assert outcome.run.status == "refused"
    assert [(e["row"], e["code"]) for e in outcome.run.errors] == [(3, "invalid_job_class")]
    assert Employee.objects.filter(job_class=9).count() == 0  # all or nothing
    assert not Employee.objects.filter(name="Baru Sekali").exists()


def test_it_offers_the_column_in_the_template(staff: Client) -> None:
    response = staff.get("/impor-pegawai/templat.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header, explanation, example = rows[0], rows[1], rows[2]
    column = header.index("Kelas Jabatan")
    assert "Kelas jabatan 1–20 (pagu TPP per kelas)" in explanation[column]
    assert example[column] == "9"


def test_it_reads_the_job_class_from_a_csv_with_english_headers(
    employee: Employee, colleague: Employee
) -> None:
    data = (
        f"NIP,Name,Unit code,Employee type,Job class\n{BOSS},Rahmat Hidayat,DISKOMINFO,PNS,12\n"
    ).encode()
    outcome = import_employees(data=data, file_name="pegawai.csv", dry_run=False)
    assert outcome.run.status == "applied"
    assert Employee.objects.get(pk=employee.pk).job_class == 12
