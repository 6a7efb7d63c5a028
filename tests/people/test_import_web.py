"""/impor-pegawai/: Tim IT uploads, previews, confirms; the file stays on the server by token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from govem.accounts.roles import OPERATOR, TIM_IT
from govem.files import store as files
from govem.people.models import Employee, ImportRun, Unit
from tests.helpers.roster import NEW, csv_bytes, roster

URL = "/impor-pegawai/"


@pytest.fixture(autouse=True)
def _base_template(settings: Any, tmp_path: Path) -> None:
    """Until the shared base.html lands, render against a minimal one."""
    settings.DATA_DIR = tmp_path / "data"
    if (Path(django_settings.BASE_DIR) / "templates" / "base.html").exists():
        return
    fallback = tmp_path / "templates"
    fallback.mkdir()
    (fallback / "base.html").write_text(
        "<html><body>{% for m in messages %}<p class='message'>{{ m }}</p>{% endfor %}"
        "{% block content %}{% endblock %}</body></html>"
    )
    templates = [dict(settings.TEMPLATES[0])]
    templates[0]["DIRS"] = [*templates[0]["DIRS"], fallback]
    settings.TEMPLATES = templates


def login(client: Client, role: str) -> Any:
    user = get_user_model().objects.create_user(f"user-{role}", password="x")
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


def upload(client: Client, data: bytes, **fields: str) -> Any:
    body = {"action": "preview", "full_roster": "1", **fields}
    body["file"] = SimpleUploadedFile("pegawai.csv", data, content_type="text/csv")
    return client.post(URL, body)


def test_it_previews_then_applies_the_stored_file(
    client: Client, employee: Employee, colleague: Employee
) -> None:
    user = login(client, TIM_IT)
    data = csv_bytes(roster([NEW, "Dewi Lestari", "Analis", "DISKOMINFO", "PPPK", "", "", ""]))

    preview = upload(client, data)

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Pratinjau" in page
    assert "Dewi Lestari" in page
    assert 'id="apply"' in page
    assert not Employee.objects.filter(nip=NEW).exists()
    run = ImportRun.objects.get(status="preview")
    stored = files.names(f"imports/{run.token}.")
    assert [files.read(name) for name in stored] == [data]

    applied = client.post(URL, {"action": "apply", "token": run.token}, follow=True)

    assert "Impor diterapkan: 1 baru, 0 berubah, 0 dinonaktifkan." in applied.content.decode()
    assert Employee.objects.get(nip=NEW).unit == employee.unit
    last = ImportRun.objects.filter(status="applied").get()
    assert (last.by, last.source, last.sha256) == (user, "web", run.sha256)
    assert not files.exists(stored[0])


def test_it_shows_invalid_rows_and_offers_no_apply(
    client: Client, employee: Employee, colleague: Employee
) -> None:
    login(client, TIM_IT)
    data = csv_bytes(roster([NEW, "Dewi", "", "TIDAK-ADA", "PPPK", "", "", ""]))

    response = upload(client, data)

    page = response.content.decode()
    assert "Kode unit «TIDAK-ADA» tidak dikenal." in page
    assert 'id="apply"' not in page


def test_it_refuses_a_token_of_another_user(
    client: Client, employee: Employee, colleague: Employee
) -> None:
    login(client, TIM_IT)
    upload(client, csv_bytes(roster([NEW, "Dewi", "", "DISKOMINFO", "PPPK", "", "", ""])))
    token = ImportRun.objects.get().token
    other = Client()
    intruder = get_user_model().objects.create_user("other-it", password="x")
    intruder.groups.add(Group.objects.get(name=TIM_IT))
    other.force_login(intruder)

    response = other.post(URL, {"action": "apply", "token": token})

    assert response.status_code == 422
    assert "Pratinjau tidak ditemukan" in response.content.decode()
    assert not Employee.objects.filter(nip=NEW).exists()


def test_it_shows_data_freshness(client: Client, employee: Employee, colleague: Employee) -> None:
    login(client, TIM_IT)

    page = client.get(URL).content.decode()

    assert "Kesegaran data (2 pegawai aktif)" in page
    assert "Tanpa nomor telepon: <strong>2</strong>" in page
    assert "belum pernah" in page


@pytest.mark.parametrize("role", [OPERATOR, "Pegawai"])
def test_it_is_only_for_the_it_team(client: Client, unit: Unit, role: str) -> None:
    login(client, role)

    assert client.get(URL).status_code == 403


UNIT_ROWS = [["DISKOMINFO-TIK", "Bidang TIK", "DISKOMINFO", ""]]


def test_it_imports_units_from_the_web_after_a_preview(client: Client, unit: Unit) -> None:
    user = login(client, TIM_IT)
    data = csv_bytes(UNIT_ROWS, header=["Kode Unit", "Nama Unit", "Kode Unit Induk", "Alamat"])

    preview = client.post(
        "/impor-unit/",
        {"action": "preview", "file": SimpleUploadedFile("unit.csv", data)},
    )

    page = preview.content.decode()
    assert preview.status_code == 200
    assert "DISKOMINFO-TIK" in page and 'id="apply"' in page
    assert not Unit.objects.filter(code="DISKOMINFO-TIK").exists()
    run = ImportRun.objects.get(kind="units")

    applied = client.post("/impor-unit/", {"action": "apply", "token": run.token}, follow=True)

    assert "Impor diterapkan: 1 baru, 0 berubah." in applied.content.decode()
    assert Unit.objects.get(code="DISKOMINFO-TIK").parent == unit
    assert ImportRun.objects.get(kind="units", status="applied").by == user
    # A units preview token is not an employees preview token.
    assert client.post(URL, {"action": "apply", "token": run.token}).status_code == 422


def test_it_shows_invalid_location_rows_with_their_numbers(client: Client, unit: Unit) -> None:
    login(client, TIM_IT)
    header = ["Nama Lokasi", "Lintang", "Bujur", "Radius (m)", "Kode Unit"]
    data = csv_bytes([["Kantor", "-2.94", "115.16", "", "DISKOMINFO"]], header=header)

    response = client.post(
        "/impor-lokasi/",
        {"action": "preview", "file": SimpleUploadedFile("lokasi.csv", data)},
    )

    page = response.content.decode()
    assert "Isi radius (meter) atau poligon." in page
    assert 'id="apply"' not in page


@pytest.mark.parametrize(
    ("url", "first_header"),
    [
        ("/impor-pegawai/templat.xlsx", "NIP"),
        ("/impor-unit/templat.xlsx", "Kode Unit"),
        ("/impor-lokasi/templat.xlsx", "Nama Lokasi"),
    ],
)
def test_it_offers_each_template_to_the_it_team_only(
    client: Client, unit: Unit, url: str, first_header: str
) -> None:
    import io

    from openpyxl import load_workbook

    login(client, TIM_IT)
    response = client.get(url)

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=1, column=1).value == first_header
    other = Client()
    login(other, OPERATOR)
    assert other.get(url).status_code == 403
    assert other.get(url.removesuffix("templat.xlsx")).status_code == 403
