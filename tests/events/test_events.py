"""Apel and upacara: check-in through the punch path's pieces under a frozen clock, absence
with and without approved duty travel, TAP in the TPP, and where the events show."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client

from govem.absences.models import AbsenceRequest, AbsenceType
from govem.attendance.days import rule_table
from govem.attendance.models import RuleSet
from govem.events.models import Event, EventCheckin
from govem.events.queries import attendance, missed_in_month
from govem.payroll.models import Pagu
from govem.payroll.tpp import tpp_for
from tests.conftest import LATER, OFFICE_LAT, OFFICE_LON, ApiClient
from tests.helpers.days import NOVEMBER, lay_month, pagu
from tests.helpers.files import needs_pdftotext, pdf_layout_text
from tests.helpers.regency import logged_in

MONDAY = date(2026, 11, 2)
AT_0710 = datetime(2026, 11, 1, 23, 10, tzinfo=UTC)  # Monday 07:10 WITA
AT_0650 = datetime(2026, 11, 1, 22, 50, tzinfo=UTC)


@pytest.fixture
def apel(regency: Any) -> Event:
    event = Event.objects.create(
        name="Apel pagi Senin", kind="apel_pagi", date=MONDAY, opens_at=time(7, 0),
        closes_at=time(7, 30), location=regency.office,
    )  # fmt: skip
    event.units.add(regency.unit)
    return event


def body(**overrides: Any) -> dict[str, Any]:
    data = {
        "latitude": OFFICE_LAT,
        "longitude": OFFICE_LON,
        "accuracy_m": 10.0,
        "client_time": "2026-11-02T07:10:00+08:00",
        "idempotency_key": "apel-key-0001",
    }
    data.update(overrides)
    return data


def phone_for(employee: Any) -> ApiClient:
    phone = ApiClient(Client())
    assert phone.login(employee.nip).status_code == 200
    return phone


def test_it_checks_in_to_the_apel_like_a_punch(apel: Event, regency: Any) -> None:
    phone = phone_for(regency.employee)
    with time_machine.travel(AT_0650, tick=False):
        early = phone.post(f"/api/v1/events/{apel.pk}/checkins", body(idempotency_key="early-0001"))
    assert early.status_code == 422 and early.json()["error"]["code"] == "outside_window"
    with time_machine.travel(AT_0710, tick=False):
        far = phone.post(
            f"/api/v1/events/{apel.pk}/checkins",
            body(latitude=OFFICE_LAT + 0.01, idempotency_key="far-00001"),
        )
        assert far.status_code == 422 and far.json()["error"]["code"] == "outside_geofence"
        assert "Kantor Diskominfo" in far.json()["error"]["message"]
        ok = phone.post(f"/api/v1/events/{apel.pk}/checkins", body())
        assert ok.status_code == 201, ok.json()
        assert ok.json()["receipt"].startswith("GVA-")
        assert ok.json()["server_time"] == "2026-11-02T07:10:00+08:00"
        again = phone.post(f"/api/v1/events/{apel.pk}/checkins", body())
        assert again.json() == ok.json()  # same key: the same answer, nothing new
        twice = phone.post(f"/api/v1/events/{apel.pk}/checkins", body(idempotency_key="two-00001"))
        assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_checked_in"
        listed = phone.get("/api/v1/events").json()
    assert [e["checked_in"] for e in listed] == [True]
    verdicts = list(EventCheckin.objects.order_by("pk").values_list("verdict", "reason_code"))
    assert verdicts == [
        ("rejected", "outside_window"),
        ("rejected", "outside_geofence"),
        ("accepted", ""),
        ("rejected", "already_checked_in"),
    ]


def test_it_refuses_someone_who_is_not_required(apel: Event, regency: Any) -> None:
    phone = phone_for(regency.other_employee)
    with time_machine.travel(AT_0710, tick=False):
        response = phone.post(f"/api/v1/events/{apel.pk}/checkins", body())
    assert response.status_code == 403 and response.json()["error"]["code"] == "not_invited"
    assert not EventCheckin.objects.exists()
    bad = phone.post("/api/v1/events/999/checkins", body())
    assert bad.status_code == 404
    invalid = phone.post(f"/api/v1/events/{apel.pk}/checkins", body(latitude="x"))
    assert invalid.status_code == 422 and invalid.json()["error"]["code"] == "invalid_input"


def approve(employee: Any, code: str, day: date, reason: str = "disetujui") -> None:
    AbsenceRequest.objects.create(
        employee=employee, type=AbsenceType.objects.get(code=code), start_date=day,
        end_date=day, reason=reason, status="approved",
    )  # fmt: skip


def approve_dl(employee: Any, day: date) -> None:
    approve(employee, "DL", day, "Surat Tugas 090/12")


def test_it_excuses_approved_duty_travel_and_books_tap(apel: Event, regency: Any) -> None:
    with time_machine.travel(AT_0710, tick=False):
        phone_for(regency.employee).post(f"/api/v1/events/{apel.pk}/checkins", body())
    approve_dl(regency.supervisor, MONDAY)
    with time_machine.travel(LATER, tick=False):
        roll = attendance(apel)
        assert [p.name for p, _ in roll.present] == ["Rahmat Hidayat"]
        assert [(p.name, code) for p, code in roll.excused] == [("Budi Santoso", "DL")]
        absent = {p.name for p in roll.absent}
        assert "Siti Aminah" in absent and "Budi Santoso" not in absent
        missed = missed_in_month(
            [regency.colleague.pk, regency.supervisor.pk], NOVEMBER, rule_table()
        )
        assert [(o.code, o.day, o.pct) for o in missed[regency.colleague.pk]] == [
            ("TAP", MONDAY, Decimal("0"))
        ]  # default 0 until the regency sets one
        assert regency.supervisor.pk not in missed


def test_it_deducts_tap_when_the_rule_table_sets_it(apel: Event, regency: Any) -> None:
    RuleSet.objects.update(absence_pcts={"TAP": "1"})
    pagu(Pagu.Basis.EMPLOYEE, regency.colleague.nip, 5_000_000)
    with time_machine.travel(LATER, tick=False):
        lay_month(regency.colleague)
        result = tpp_for(regency.colleague, NOVEMBER).result
        line = next(line for line in result.lines if line.code == "TAP")
        assert (line.days, line.rupiah) == ((MONDAY,), 20_000)  # 1 % of 2,000,000
        page = logged_in(regency.colleague.user).get("/rekap/", {"bulan": "2026-11"})
    text = page.content.decode()
    assert "Tidak ikut acara wajib (TAP)" in text and "Apel pagi Senin 2/11" in text
    assert "Rp 20.000" in text


def test_it_shows_the_apel_where_people_look(apel: Event, regency: Any) -> None:
    with time_machine.travel(AT_0710, tick=False):
        home = logged_in(regency.employee.user).get("/").content.decode()
        assert "Acara hari ini" in home and "Apel pagi Senin" in home
        phone_for(regency.employee).post(f"/api/v1/events/{apel.pk}/checkins", body())
        operator = logged_in(regency.operator)
        monitor = operator.get("/monitor/").content.decode()
        assert "Apel pagi Senin" in monitor and "hadir 1" in monitor
        detail = operator.get(f"/acara/{apel.pk}/").content.decode()
        assert "Rahmat Hidayat" in detail and "Belum presensi" in detail
        assert logged_in(regency.outsider).get(f"/acara/{apel.pk}/").status_code == 404
    with time_machine.travel(LATER, tick=False):
        report = logged_in(regency.operator).get("/laporan/", {"tanggal": "2026-11-02"})
        assert "Apel pagi Senin" in report.content.decode()
        detail = logged_in(regency.operator).get(f"/acara/{apel.pk}/").content.decode()
        assert "Tidak hadir (TAP)" in detail


def test_it_lets_an_operator_create_an_event_for_the_own_unit(regency: Any) -> None:
    form = {
        "nama": "Upacara 17-an", "jenis": "upacara", "tanggal": "2026-11-17", "buka": "07:00",
        "tutup": "08:30", "lintang": "-2.94", "bujur": "115.16", "radius": "150",
        "tempat": "Lapangan Tapin", "unit": [str(regency.unit.pk)], "wajib": "1",
    }  # fmt: skip
    client = logged_in(regency.operator)
    created = client.post("/acara/", form)
    assert created.status_code == 302
    event = Event.objects.get()
    assert (event.place, event.radius_m, list(event.units.all())) == (
        "Lapangan Tapin", 150, [regency.unit]
    )  # fmt: skip
    # A unit outside the scope is 404 like any id there; the form comes back as typed.
    other = client.post("/acara/", {**form, "unit": [str(regency.other_unit.pk)]})
    assert other.status_code == 404
    assert "Unit kerja yang dipilih tidak ditemukan dalam cakupan Anda." in other.content.decode()
    assert 'value="Upacara 17-an"' in other.content.decode()
    mixed = client.post("/acara/", {**form, "unit": [str(regency.unit.pk), "999999"]})
    assert mixed.status_code == 404
    no_units = client.post("/acara/", {**form, "unit": []})
    assert no_units.status_code == 422 and "Pilih unit wajib hadir" in no_units.content.decode()
    reversed_window = client.post("/acara/", {**form, "buka": "09:00"})
    assert (
        reversed_window.status_code == 422
        and "sesudah jam buka" in reversed_window.content.decode()
    )
    no_place = client.post("/acara/", {**form, "lintang": ""})
    assert no_place.status_code == 422
    for refused in (regency.inovator, regency.employee.user):
        response = logged_in(refused).post("/acara/", form)
        assert response.status_code == 403
        page = response.content.decode()
        assert 'data-code="forbidden"' in page
        assert "Hanya operator dan Tim IT yang dapat membuat acara." in page
    assert Event.objects.count() == 1


def test_it_refuses_an_event_outside_the_scope_in_english(regency: Any) -> None:
    form = {
        "nama": "Apel", "jenis": "apel_pagi", "tanggal": "2026-11-17", "buka": "07:00",
        "tutup": "08:00", "lintang": "-2.94", "bujur": "115.16", "radius": "150",
        "unit": [str(regency.other_unit.pk)],
    }  # fmt: skip
    english = {"accept-language": "en"}
    outside = logged_in(regency.operator).post("/acara/", form, headers=english)
    assert outside.status_code == 404
    assert "A selected work unit was not found within your scope." in outside.content.decode()
    refused = logged_in(regency.inovator).post("/acara/", form, headers=english)
    assert "Only operators and the IT team may create events." in refused.content.decode()
    assert not Event.objects.exists()


@needs_pdftotext
def test_it_lists_the_apel_in_the_daily_report_files(apel: Event, regency: Any, tmp_path) -> None:
    import io

    from openpyxl import load_workbook

    with time_machine.travel(AT_0710, tick=False):
        phone_for(regency.employee).post(f"/api/v1/events/{apel.pk}/checkins", body())
    approve_dl(regency.supervisor, MONDAY)
    with time_machine.travel(LATER, tick=False):
        client = logged_in(regency.operator)
        xlsx = client.get("/laporan/harian.xlsx", {"tanggal": "2026-11-02"})
        pdf = client.get("/laporan/harian.pdf", {"tanggal": "2026-11-02"})
    rows = [row for row in load_workbook(io.BytesIO(xlsx.content)).active.values]
    start = next(i for i, row in enumerate(rows) if row and row[0] == "Apel dan upacara")
    # Unit DISKOMINFO: Rahmat present, Budi on DL, Siti and Andi (the operator) absent.
    assert rows[start + 2][:6] == ("Apel pagi Senin", "07:00-07:30", 1, 1, 2, 0)
    path = tmp_path / "harian.pdf"
    path.write_bytes(pdf.content)
    text = pdf_layout_text(path)
    assert "Apel dan upacara" in text and "Apel pagi Senin" in text


NAMED = {
    "nama": "Senam Jumat", "jenis": "senam", "tanggal": "2026-11-06", "buka": "07:00",
    "tutup": "07:30", "lintang": str(OFFICE_LAT), "bujur": str(OFFICE_LON), "radius": "150",
    "tempat": "Halaman kantor", "wajib": "1",
}  # fmt: skip


def test_it_lets_an_operator_name_the_employees_who_must_attend(regency: Any) -> None:
    client = logged_in(regency.operator)
    created = client.post("/acara/", {**NAMED, "pegawai": f"{regency.employee.nip}\n"})
    assert created.status_code == 302
    event = Event.objects.get()
    assert list(event.units.all()) == [] and list(event.employees.all()) == [regency.employee]
    friday = datetime(2026, 11, 5, 23, 10, tzinfo=UTC)  # Friday 6 Nov, 07:10 WITA
    with time_machine.travel(friday, tick=False):
        on_friday = body(client_time="2026-11-06T07:10:00+08:00")
        mine = phone_for(regency.employee).post(f"/api/v1/events/{event.pk}/checkins", on_friday)
        not_named = phone_for(regency.colleague).post(
            f"/api/v1/events/{event.pk}/checkins", {**on_friday, "idempotency_key": "siti-0001"}
        )
    assert mine.status_code == 201, mine.json()
    assert not_named.status_code == 403 and not_named.json()["error"]["code"] == "not_invited"
    with time_machine.travel(LATER, tick=False):
        roll = attendance(event)
        missed = missed_in_month(
            [regency.employee.pk, regency.colleague.pk], NOVEMBER, rule_table()
        )
    assert [p.name for p, _ in roll.present] == ["Rahmat Hidayat"]
    assert roll.absent == [] and missed == {}


def test_it_books_tap_for_a_named_employee_who_stays_away(regency: Any) -> None:
    client = logged_in(regency.operator)
    client.post("/acara/", {**NAMED, "pegawai": regency.colleague.nip})
    event = Event.objects.get()
    with time_machine.travel(LATER, tick=False):
        assert [p.name for p in attendance(event).absent] == ["Siti Aminah"]
        missed = missed_in_month(
            [regency.colleague.pk, regency.employee.pk], NOVEMBER, rule_table()
        )
    assert [(o.code, o.day) for o in missed[regency.colleague.pk]] == [("TAP", date(2026, 11, 6))]
    assert regency.employee.pk not in missed  # his unit was not invited, nor he


@pytest.mark.parametrize("lang", ["id", "en"])
def test_it_refuses_a_named_employee_outside_the_scope(regency: Any, lang: str) -> None:
    client = logged_in(regency.operator)
    headers = {"accept-language": lang}
    outside = regency.other_employee.nip  # DINKES: not the operator's unit
    refused = client.post(
        "/acara/", {**NAMED, "pegawai": f"{regency.employee.nip}\n{outside}"}, headers=headers
    )
    unknown = client.post("/acara/", {**NAMED, "pegawai": "199999999999999999"}, headers=headers)
    empty = client.post("/acara/", {**NAMED, "tutup": "06:00"}, headers=headers)
    assert refused.status_code == 404 and unknown.status_code == 404 and empty.status_code == 422
    text = refused.content.decode()
    assert outside in text and regency.employee.nip in text  # named, and what was typed kept
    expected = {
        "id": ("tidak ditemukan dalam cakupan Anda", "Jam tutup harus sesudah jam buka."),
        "en": ("No employee with NIP", "The closing time must be after the opening"),
    }[lang]
    assert expected[0] in text and expected[1] in empty.content.decode()
    assert not Event.objects.exists()


def test_it_confirms_a_new_event_in_english(regency: Any) -> None:
    client = logged_in(regency.operator)
    english = {"accept-language": "en"}
    created = client.post(
        "/acara/", {**NAMED, "unit": [str(regency.unit.pk)]}, headers=english, follow=True
    )
    assert "Event Senam Jumat (2026-11-06) created." in created.content.decode()
    no_one = client.post("/acara/", NAMED, headers=english)
    assert no_one.status_code == 422
    assert "Choose the units that must attend or type the NIPs" in no_one.content.decode()


def test_it_excuses_approved_annual_leave_like_duty_travel(apel: Event, regency: Any) -> None:
    approve(regency.colleague, "CT", MONDAY)
    with time_machine.travel(LATER, tick=False):
        roll = attendance(apel)
        missed = missed_in_month([regency.colleague.pk], NOVEMBER, rule_table())
    assert ("Siti Aminah", "CT") in [(p.name, code) for p, code in roll.excused]
    assert missed == {}


def test_it_books_no_tap_for_an_event_that_is_not_mandatory(apel: Event, regency: Any) -> None:
    with time_machine.travel(LATER, tick=False):
        assert regency.colleague.pk in missed_in_month(
            [regency.colleague.pk], NOVEMBER, rule_table()
        )
        Event.objects.filter(pk=apel.pk).update(mandatory=False)
        assert missed_in_month([regency.colleague.pk], NOVEMBER, rule_table()) == {}
