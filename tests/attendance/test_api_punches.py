"""Check-in and check-out through the API: every verdict, every refusal, the evidence kept."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from pyproj import Geod

from govem.attendance.models import Punch
from govem.people.models import Device, Employee, WorkLocation
from govem.people.services import release_device
from tests.conftest import OFFICE_LAT, OFFICE_LON, ApiClient, make_employee

GEOD = Geod(ellps="WGS84")


def wita(day: int, hour: int, minute: int, second: int = 0) -> datetime:
    """A moment in late November / early December 2026, given in WITA (UTC+8)."""
    return datetime(2026, 11, day, hour, minute, second, tzinfo=UTC) - timedelta(hours=8)


def away(metres: float, bearing: float = 90.0) -> dict[str, float]:
    lon, lat, _ = GEOD.fwd(OFFICE_LON, OFFICE_LAT, bearing, metres)
    return {"latitude": lat, "longitude": lon}


def error_of(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code, body
    return body["error"]


def test_it_gives_a_receipt_for_an_accepted_check_in(clock: Any, phone: ApiClient) -> None:
    response = phone.punch("in", accuracy_m=8.5, **away(20))
    assert response.status_code == 201
    body = response.json()
    assert body["kind"] == "in" and body["verdict"] == "accepted" and body["flags"] == []
    assert body["server_time"] == "2026-11-30T07:10:00+08:00"
    assert (body["local_time"], body["local_date"]) == ("07:10:00", "2026-11-30")
    assert body["location"] == {"id": WorkLocation.objects.get().pk, "name": "Kantor Diskominfo"}
    assert body["distance_m"] == pytest.approx(20, abs=0.2)
    assert body["accuracy_m"] == 8.5
    assert body["late_minutes"] == 0
    assert body["receipt"].startswith("GVM-") and len(body["receipt"]) == 15
    assert Punch.objects.get().receipt == body["receipt"]


def test_it_counts_late_minutes_from_the_server_clock(phone: ApiClient) -> None:
    with time_machine.travel(wita(30, 7, 30, 59), tick=False):
        on_time = phone.punch("in")
    assert on_time.json()["late_minutes"] == 0
    Punch.objects.all().delete()
    with time_machine.travel(wita(30, 7, 31, 0), tick=False):
        late = phone.punch("in")
    assert late.status_code == 201 and late.json()["late_minutes"] == 1


def test_it_refuses_a_check_in_outside_the_geofence_with_distance_and_office(
    clock: Any, phone: ApiClient
) -> None:
    response = phone.punch("in", accuracy_m=10.0, **away(512))
    error = error_of(response, 422, "outside_geofence")
    assert "512 m" in error["message"] and "Kantor Diskominfo" in error["message"]
    assert "radius 100 m" in error["message"]
    details = error["details"]
    assert details["distance_m"] == pytest.approx(512, abs=0.2)
    assert details["radius_m"] == 100
    assert details["accuracy_m"] == 10.0
    assert details["location"] == {"id": WorkLocation.objects.get().pk, "name": "Kantor Diskominfo"}
    punch = Punch.objects.get()
    assert (punch.verdict, punch.reason_code) == ("rejected", "outside_geofence")
    assert details["attempt_id"] == punch.pk
    assert punch.receipt == ""


def test_it_refuses_a_check_in_outside_a_polygon_by_its_edge(
    clock: Any, phone: ApiClient, office: WorkLocation
) -> None:
    office.polygon = [
        [away(100 * 2**0.5, bearing)["latitude"], away(100 * 2**0.5, bearing)["longitude"]]
        for bearing in (45, 135, 225, 315)
    ]
    office.full_clean()
    office.save()
    error = error_of(phone.punch("in", accuracy_m=10.0, **away(150)), 422, "outside_geofence")
    assert error["message"] == "Di luar area: 50 m dari batas area Kantor Diskominfo."
    assert error["details"]["distance_m"] == pytest.approx(50, abs=0.5)
    assert error["details"]["radius_m"] == 0
    inside = phone.punch("in", accuracy_m=10.0, **away(80))
    assert inside.status_code == 201 and inside.json()["distance_m"] == 0


def test_it_flags_a_borderline_fix_and_keeps_the_punch(clock: Any, phone: ApiClient) -> None:
    response = phone.punch("in", accuracy_m=40.0, **away(130))
    assert response.status_code == 201
    body = response.json()
    assert (body["verdict"], body["flags"]) == ("flagged", ["borderline_location"])
    assert body["receipt"]
    assert Punch.objects.get().verdict == "flagged"


def test_it_caps_the_accuracy_allowance(clock: Any, phone: ApiClient) -> None:
    # 160 m from a 100 m circle with ±90 m: only 50 m of doubt is granted.
    error_of(phone.punch("in", accuracy_m=90.0, **away(160)), 422, "outside_geofence")
    assert phone.punch("in", accuracy_m=90.0, **away(145)).json()["verdict"] == "flagged"


def test_it_refuses_a_fix_that_is_too_inaccurate_with_advice(clock: Any, phone: ApiClient) -> None:
    error = error_of(phone.punch("in", accuracy_m=150.0), 422, "accuracy_too_low")
    assert "±150 m" in error["message"] and "GPS" in error["message"]
    assert error["details"]["accuracy_max_m"] == 100
    assert error["details"]["location"]["name"] == "Kantor Diskominfo"


def test_it_refuses_a_mock_location(clock: Any, phone: ApiClient) -> None:
    error = error_of(phone.punch("in", mock_location=True), 422, "mock_location")
    assert "lokasi palsu" in error["message"]
    punch = Punch.objects.get()
    assert punch.mock_location is True and punch.verdict == "rejected"


def test_it_only_flags_a_mock_location_when_the_policy_says_so(
    clock: Any, phone: ApiClient, settings: Any
) -> None:
    settings.GOVEM = {**settings.GOVEM, "MOCK_LOCATION_POLICY": "flag"}
    response = phone.punch("in", mock_location=True)
    assert response.status_code == 201
    assert (response.json()["verdict"], response.json()["flags"]) == ("flagged", ["mock_location"])


def test_it_flags_a_phone_clock_more_than_five_minutes_off(clock: Any, phone: ApiClient) -> None:
    skewed = (datetime.now(UTC) - timedelta(minutes=5, seconds=1)).isoformat()
    response = phone.punch("in", client_time=skewed)
    assert response.status_code == 201
    assert (response.json()["verdict"], response.json()["flags"]) == ("flagged", ["clock_skew"])
    within = (datetime.now(UTC) + timedelta(minutes=4, seconds=59)).isoformat()
    assert phone.punch("out", client_time=within).json()["flags"] == []


def test_it_uses_the_server_clock_not_the_phones(clock: Any, phone: ApiClient) -> None:
    # The phone claims 07:00 WITA to dodge lateness; the server says 07:40.
    with time_machine.travel(wita(30, 7, 40), tick=False):
        response = phone.punch("in", client_time="2026-11-30T07:00:00+08:00")
    body = response.json()
    assert body["local_time"] == "07:40:00" and body["late_minutes"] == 10
    assert "clock_skew" in body["flags"]
    punch = Punch.objects.get()
    assert punch.server_time == wita(30, 7, 40)
    assert punch.client_time == wita(30, 7, 0)


def test_it_flags_the_first_punches_from_a_new_phone_after_a_release(
    clock: Any, client: Client, employee: Employee
) -> None:
    old = ApiClient(Client(), device_id="phone-aaaa-0001")
    old.login(employee.nip)
    assert old.punch("in").json()["flags"] == []
    release_device(device=Device.objects.get(), by=None, reason="Ganti HP")
    new = ApiClient(client, device_id="phone-bbbb-0002")
    assert new.login(employee.nip).status_code == 200
    first = new.punch("out")
    assert (first.json()["verdict"], first.json()["flags"]) == ("flagged", ["new_device"])
    assert new.punch("out").json()["flags"] == []  # known from now on


def test_it_refuses_a_punch_from_a_phone_whose_binding_moved_elsewhere(
    clock: Any, client: Client, employee: Employee
) -> None:
    old = ApiClient(Client(), device_id="phone-aaaa-0001")
    old.login(employee.nip)
    # Released behind the API's back (e.g. a database fix), so the old token still lives.
    Device.objects.update(released_at=datetime.now(UTC), release_reason="perbaikan data")
    assert ApiClient(client, device_id="phone-bbbb-0002").login(employee.nip).status_code == 200
    error = error_of(old.punch("in"), 403, "device_not_allowed")
    assert "Tim IT" in error["message"]
    punch = Punch.objects.get()
    assert (punch.verdict, punch.reason_code, punch.device) == (
        "rejected",
        "device_not_allowed",
        None,
    )
    assert punch.device_key == "phone-aaaa-0001"


def test_it_refuses_a_check_in_before_the_window_opens(phone: ApiClient) -> None:
    with time_machine.travel(wita(30, 5, 59, 59), tick=False):
        error = error_of(phone.punch("in"), 422, "outside_window")
    assert error["message"] == "Presensi masuk belum dibuka. Dibuka pukul 06:00 WITA."
    assert error["details"]["check_in_opens"] == "2026-11-30T06:00:00+08:00"
    with time_machine.travel(wita(30, 6, 0), tick=False):
        assert phone.punch("in").status_code == 201


def test_it_refuses_a_check_out_after_closing(phone: ApiClient) -> None:
    with time_machine.travel(wita(30, 18, 0, 1), tick=False):
        error = error_of(phone.punch("out"), 422, "outside_window")
    assert error["message"] == "Presensi sudah ditutup pukul 18:00 WITA."
    assert error["details"]["check_out_closes"] == "2026-11-30T18:00:00+08:00"
    with time_machine.travel(wita(30, 18, 0), tick=False):
        assert phone.punch("out").status_code == 201


def test_it_refuses_a_second_check_in_naming_the_first(phone: ApiClient) -> None:
    with time_machine.travel(wita(30, 7, 12, 5), tick=False):
        first = phone.punch("in")
    with time_machine.travel(wita(30, 8, 0), tick=False):
        error = error_of(phone.punch("in"), 409, "already_checked_in")
    assert "07:12:05 WITA" in error["message"]
    assert error["details"]["first_check_in"] == "2026-11-30T07:12:05+08:00"
    assert error["details"]["punch_id"] == first.json()["id"]


def test_it_ignores_a_rejected_check_in_when_looking_for_the_first(
    clock: Any, phone: ApiClient
) -> None:
    error_of(phone.punch("in", **away(800)), 422, "outside_geofence")
    assert phone.punch("in").status_code == 201


def test_it_lets_check_out_repeat_and_keeps_each(phone: ApiClient) -> None:
    with time_machine.travel(wita(30, 15, 0), tick=False):
        early = phone.punch("out")
    with time_machine.travel(wita(30, 16, 5), tick=False):
        later = phone.punch("out")
    assert (early.status_code, later.status_code) == (201, 201)
    assert early.json()["early_minutes"] == 60
    assert later.json()["early_minutes"] == 0
    outs = Punch.objects.filter(kind="out", verdict="accepted").order_by("server_time")
    assert [p.pk for p in outs] == [early.json()["id"], later.json()["id"]]
    # The history shows the last check-out first: it is the one that counts.
    history = phone.get("/api/v1/punches", **{"from": "2026-11-30", "to": "2026-11-30"}).json()
    assert [p["id"] for p in history] == [later.json()["id"], early.json()["id"]]


def test_it_accepts_a_check_in_on_a_day_off_without_lateness(phone: ApiClient) -> None:
    saturday = datetime(2026, 12, 5, 10, 45, tzinfo=UTC) - timedelta(hours=8)
    with time_machine.travel(saturday, tick=False):
        response = phone.punch("in")
        today = phone.get("/api/v1/me").json()["today"]
    assert response.status_code == 201
    assert response.json()["verdict"] == "accepted"
    assert response.json()["late_minutes"] is None
    assert today["workday"] is False and today["start"] is None


@pytest.mark.parametrize("first_location", ["inside", "outside"])
def test_it_replays_the_original_outcome_for_the_same_idempotency_key(
    clock: Any, phone: ApiClient, first_location: str
) -> None:
    where = away(0) if first_location == "inside" else away(700)
    first = phone.punch("in", idempotency_key="tap-2026-11-30-a", **where)
    count = Punch.objects.count()
    # The retry arrives later and from elsewhere; the original outcome stands.
    clock.shift(timedelta(minutes=3))
    retry = phone.punch("in", idempotency_key="tap-2026-11-30-a", **away(5))
    assert retry.status_code == first.status_code == (201 if first_location == "inside" else 422)
    assert retry.json() == first.json()
    assert Punch.objects.count() == count == 1


def test_it_never_answers_a_check_out_with_the_check_ins_receipt(
    clock: Any, phone: ApiClient
) -> None:
    check_in = phone.punch("in", idempotency_key="reused-key-0001")
    clock.shift(timedelta(hours=9))
    response = phone.punch("out", idempotency_key="reused-key-0001")
    error = error_of(response, 422, "idempotency_key_reused")
    assert error["details"]["field"] == "idempotency_key"
    assert error["details"]["punch_id"] == check_in.json()["id"]
    assert Punch.objects.count() == 1
    assert phone.punch("out", idempotency_key="fresh-key-0002").status_code == 201


def test_it_keeps_idempotency_keys_per_employee(
    clock: Any, phone: ApiClient, colleague: Employee
) -> None:
    other = ApiClient(Client())
    assert other.login(colleague.nip).status_code == 200
    mine = phone.punch("in", idempotency_key="shared-key-0001")
    theirs = other.punch("in", idempotency_key="shared-key-0001")
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"]
    assert Punch.objects.get(pk=theirs.json()["id"]).employee == colleague


def test_it_stores_every_attempt_with_its_evidence(clock: Any, employee: Employee) -> None:
    client = Client(REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Govem/1.0 (Android 14; SM-A155F)")
    phone = ApiClient(client, device_id="phone-aaaa-0001")
    phone.login(employee.nip)
    phone.punch("in", **away(900), accuracy_m=14.5, client_time="2026-11-30T07:09:58+08:00")
    phone.punch("in", mock_location=True)
    phone.punch("in", accuracy_m=300.0)
    phone.punch("in")
    phone.punch("in")
    punches = list(Punch.objects.order_by("id"))
    assert [(p.verdict, p.reason_code) for p in punches] == [
        ("rejected", "outside_geofence"),
        ("rejected", "mock_location"),
        ("rejected", "accuracy_too_low"),
        ("accepted", ""),
        ("rejected", "already_checked_in"),
    ]
    first = punches[0]
    assert (first.latitude, first.longitude) == (away(900)["latitude"], away(900)["longitude"])
    assert first.accuracy_m == 14.5
    assert first.client_time == wita(30, 7, 9, 58)
    assert first.server_time == wita(30, 7, 10)
    assert first.distance_m == pytest.approx(900, abs=0.5)
    assert first.location == WorkLocation.objects.get()
    assert first.device == Device.objects.get() and first.device_key == "phone-aaaa-0001"
    assert first.ip == "203.0.113.7"
    assert first.user_agent == "Govem/1.0 (Android 14; SM-A155F)"
    assert first.source == "api" and first.idempotency_key
    assert first.local_date.isoformat() == "2026-11-30" and first.time_zone == "Asia/Makassar"
    assert all(p.response_status in (201, 409, 422) and p.response_body for p in punches)


def test_it_describes_the_employee_and_today(clock: Any, phone: ApiClient) -> None:
    phone.punch("in")
    body = phone.get("/api/v1/me").json()
    assert body["employee"]["nip"] == "198705122010011003"
    assert body["employee"]["name"] == "Rahmat Hidayat"
    assert body["employee"]["position"] == "Pranata Komputer"
    assert body["unit"]["code"] == "DISKOMINFO"
    assert body["unit"]["name"] == "Dinas Komunikasi dan Informatika"
    office = body["locations"][0]
    assert {k: office[k] for k in ("name", "latitude", "longitude", "radius_m")} == {
        "name": "Kantor Diskominfo",
        "latitude": OFFICE_LAT,
        "longitude": OFFICE_LON,
        "radius_m": 100,
    }
    assert isinstance(office["id"], int)
    today = body["today"]
    assert today["date"] == "2026-11-30" and today["workday"] is True
    assert today["start"] == "2026-11-30T07:30:00+08:00"
    assert today["end"] == "2026-11-30T16:00:00+08:00"
    assert today["check_in_opens"] == "2026-11-30T06:00:00+08:00"
    assert today["check_out_closes"] == "2026-11-30T18:00:00+08:00"
    assert [p["kind"] for p in today["punches"]] == ["in"]
    assert today["punches"][0]["server_time"] == "2026-11-30T07:10:00+08:00"


def test_it_lists_locations_inherited_from_parent_units_and_extras(
    clock: Any, phone: ApiClient, employee: Employee, unit: Any
) -> None:
    from govem.people.models import Unit

    section = Unit.objects.create(code="DISKOMINFO-TIK", name="Bidang TIK", parent=unit)
    employee.unit = section
    employee.save()
    field_site = WorkLocation.objects.create(
        name="Menara BTS Tapin Selatan", latitude=-3.05, longitude=115.10, radius_m=50
    )
    employee.extra_locations.add(field_site)
    names = [loc["name"] for loc in phone.get("/api/v1/me").json()["locations"]]
    assert sorted(names) == ["Kantor Diskominfo", "Menara BTS Tapin Selatan"]
    lon, lat = field_site.longitude, field_site.latitude
    at_site = phone.punch("in", latitude=lat, longitude=lon)
    assert at_site.json()["location"]["name"] == "Menara BTS Tapin Selatan"


def test_it_lists_only_the_employees_own_punches(
    clock: Any, phone: ApiClient, colleague: Employee
) -> None:
    outsider = ApiClient(Client())
    outsider.login(colleague.nip)
    mine = phone.punch("in").json()["id"]
    theirs = outsider.punch("in").json()["id"]
    outsider.punch("out", **away(900))
    window = {"from": "2026-11-01", "to": "2026-11-30"}
    assert [p["id"] for p in phone.get("/api/v1/punches", **window).json()] == [mine]
    seen_by_outsider = [p["id"] for p in outsider.get("/api/v1/punches", **window).json()]
    assert mine not in seen_by_outsider and theirs in seen_by_outsider
    assert len(seen_by_outsider) == 2  # the rejected attempt is in their own history


def test_it_lists_punches_within_the_date_range(phone: ApiClient) -> None:
    for day in (27, 30):
        with time_machine.travel(wita(day, 7, 15), tick=False):
            phone.punch("in")
    with time_machine.travel(wita(30, 9, 0), tick=False):
        only_monday = phone.get("/api/v1/punches", **{"from": "2026-11-30", "to": "2026-11-30"})
        both = phone.get("/api/v1/punches", **{"from": "2026-11-27", "to": "2026-11-30"})
    assert [p["local_date"] for p in only_monday.json()] == ["2026-11-30"]
    assert [p["local_date"] for p in both.json()] == ["2026-11-30", "2026-11-27"]
    entry = both.json()[0]
    assert entry["server_time"] == "2026-11-30T07:15:00+08:00"
    assert entry["location"]["name"] == "Kantor Diskominfo" and entry["receipt"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-11-30"}, "to"),
        ({"to": "2026-11-30"}, "from"),
        ({"from": "30-11-2026", "to": "2026-11-30"}, "from"),
        ({"from": "2026-11-30", "to": "2026-11-01"}, "to"),
        ({"from": "2024-01-01", "to": "2026-11-30"}, "to"),
    ],
)
def test_it_refuses_a_bad_history_range(
    clock: Any, phone: ApiClient, params: dict[str, str], field: str
) -> None:
    response = phone.get("/api/v1/punches", **params)
    error = error_of(response, 422, "invalid_input")
    fields = [f["field"] for f in error["details"].get("fields", [])]
    assert field in fields or error["details"].get("field") == field


def test_it_judges_each_employee_against_their_own_locations(
    clock: Any, phone: ApiClient, unit: Any
) -> None:
    from govem.people.models import Unit

    puskesmas = Unit.objects.create(code="PKM-RANTAU", name="Puskesmas Rantau")
    clinic = WorkLocation.objects.create(
        name="Puskesmas Rantau", latitude=-2.95, longitude=115.17, radius_m=80
    )
    puskesmas.locations.add(clinic)
    nurse = make_employee(puskesmas, "199105052019032004", "Nurul Huda")
    nurse_phone = ApiClient(Client())
    nurse_phone.login(nurse.nip)
    # Standing at the Diskominfo office does not let the nurse check in.
    error = error_of(nurse_phone.punch("in"), 422, "outside_geofence")
    assert error["details"]["location"]["name"] == "Puskesmas Rantau"


def test_it_refuses_when_the_employee_has_no_location(clock: Any, client: Client, db: Any) -> None:
    from govem.people.models import Unit

    lonely = Unit.objects.create(code="BARU", name="Unit Baru")
    person = make_employee(lonely, "199203032020121002", "Ahmad Fauzi")
    api = ApiClient(client)
    api.login(person.nip)
    error = error_of(api.punch("in"), 422, "no_location")
    assert "operator" in error["message"]
    assert Punch.objects.get().reason_code == "no_location"


def test_it_answers_the_server_time_without_a_token(clock: Any, client: Client) -> None:
    body = client.get("/api/v1/time").json()
    assert body["server_time"] == "2026-11-30T07:10:00+08:00"
    assert body["epoch_ms"] == int(wita(30, 7, 10).timestamp() * 1000)


def test_it_never_reuses_a_receipt(clock: Any, phone: ApiClient) -> None:
    receipts = {phone.punch("out", idempotency_key=str(uuid.uuid4())).json()["receipt"]}
    for _ in range(5):
        clock.shift(timedelta(seconds=1))
        receipts.add(phone.punch("out").json()["receipt"])
    assert len(receipts) == 6
