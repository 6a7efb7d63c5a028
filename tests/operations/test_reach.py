"""Who works today but cannot be reached: listed by unit in prepare and on /operasi/, counted
by the health check (without names on the public /healthz); the timeline reads in words."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from govem.operations import health, phases
from govem.people.models import Unit
from tests.conftest import make_employee
from tests.helpers.regency import logged_in, staff_user

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 30)


@pytest.fixture
def crew(settings: Any, clock: Any, employee: Any, colleague: Any, office: Any) -> dict[str, Any]:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.GOVEM_NOTIFY = {**settings.GOVEM_NOTIFY, "CHANNELS": ["email"]}
    colleague.email = "siti@tapin.example"
    colleague.save()
    health_unit = Unit.objects.create(code="DINKES", name="Dinas Kesehatan")
    health_unit.locations.add(office)
    nurse = make_employee(health_unit, "199505052020122001", "Perawat Jaga")
    return {"employee": employee, "colleague": colleague, "nurse": nurse}


def test_prepare_lists_the_unreachable_by_unit(crew: dict[str, Any]) -> None:
    run = phases.run_phase(MONDAY, "prepare")
    assert run is not None

    value = run.result["steps"]["unreachable"]["value"]
    assert (value["total"], value["working"], value["channels"]) == (2, 3, ["email"])
    assert [(u["unit"], [p["name"] for p in u["people"]]) for u in value["units"]] == [
        ("Dinas Kesehatan", ["Perawat Jaga"]),
        ("Dinas Komunikasi dan Informatika", ["Rahmat Hidayat"]),
    ]


def test_the_health_check_counts_them_instead_of_saying_channels_ok(
    crew: dict[str, Any], client: Any
) -> None:
    check = health.check_channels()
    assert check.status == health.WARN
    assert "2 dari 3 pegawai yang bekerja hari ini tidak dapat dihubungi" in check.message

    body = client.get("/healthz").json()
    channels = next(c for c in body["checks"] if c["key"] == "channels")
    assert channels["status"] == "WARN" and "Perawat" not in str(body)


def test_everyone_reachable_is_ok(crew: dict[str, Any]) -> None:
    for person in (crew["employee"], crew["nurse"]):
        person.email = f"{person.pk}@tapin.example"
        person.save()
    check = health.check_channels()
    assert check.status == health.OK
    assert "Semua 3 pegawai yang bekerja hari ini dapat dihubungi" in check.message


def test_the_operations_page_lists_them_and_tells_each_step_in_words(
    crew: dict[str, Any],
) -> None:
    phases.run_phase(MONDAY, "prepare")
    page = logged_in(staff_user("it-ops", "Tim IT")).get("/operasi/")
    html = page.content.decode()

    assert page.status_code == 200
    assert "Pegawai yang tidak dapat dihubungi hari ini (2)" in html
    assert "Perawat Jaga" in html and "Dinas Kesehatan" in html
    assert "2 dari 3 pegawai yang bekerja tidak dapat dihubungi lewat kanal mana pun." in html
    assert "Pengingat presensi masuk</strong>: 1 dari 3 diantre, 2 tak terjangkau." in html
    assert "&#x27;ok&#x27;" not in html and "{'" not in html  # no raw result dicts
    assert "Penyelesaian hari" in html


def test_a_date_before_the_counting_start_says_so_on_the_timeline(
    crew: dict[str, Any], settings: Any
) -> None:
    settings.GOVEM_COUNTING_STARTS = MONDAY
    html = logged_in(staff_user("it-ops", "Tim IT")).get("/operasi/").content.decode()
    assert "Presensi dihitung mulai 30-11-2026" in html
    assert "Belum dihitung: sebelum mulai penghitungan presensi" in html
