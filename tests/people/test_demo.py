"""`govem demo`: the Kabupaten Tapin regency a newcomer logs in to."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from govem.accounts.models import AuditEntry
from govem.accounts.roles import ATASAN, INOVATOR, OPERATOR, PEGAWAI, TIM_IT
from govem.people.models import Employee, Unit, WorkLocation
from govem.rules.nip import parse_nip
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db


def demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def accounts() -> dict[str, dict[str, str]]:
    return {a["role"]: a for a in json.loads(demo("--json"))["accounts"]}


def snapshot() -> dict[str, Any]:
    user_model = get_user_model()
    return {
        "units": list(Unit.objects.values_list("code", "name", "parent__code", "path")),
        "locations": list(WorkLocation.objects.values()),
        "employees": list(Employee.objects.order_by("pk").values()),
        "users": list(user_model.objects.order_by("pk").values()),
        "memberships": list(user_model.groups.through.objects.order_by("pk").values()),
        "unit_locations": list(Unit.locations.through.objects.order_by("pk").values()),
        "audit": AuditEntry.objects.count(),
    }


def test_it_loads_tapins_offices_as_a_tree_with_demo_locations_around_rantau() -> None:
    demo()
    assert 12 <= Unit.objects.count() <= 16
    names = set(Unit.objects.values_list("name", flat=True))
    for office in ("Sekretariat Daerah", "RSUD Datu Sanggul", "Kecamatan Tapin Utara"):
        assert office in names
    aptika = Unit.objects.get(code="DISKOMINFO-APTIKA")
    assert aptika.parent.code == "DISKOMINFO"
    assert aptika in Unit.objects.get(code="DISKOMINFO").subtree()
    assert all(unit.address.endswith("Rantau") for unit in Unit.objects.all())
    locations = WorkLocation.objects.all()
    assert locations and all(loc.is_demo for loc in locations)
    for loc in locations:
        assert abs(loc.latitude - -2.94) < 0.05 and abs(loc.longitude - 115.16) < 0.05
        assert 50 <= loc.radius_m <= 150 and loc.time_zone == "Asia/Makassar"
        loc.full_clean()
    assert sum(1 for loc in locations if loc.polygon) == 1
    for unit in Unit.objects.filter(parent=None):
        assert unit.locations.exists(), unit.code


def test_it_creates_300_employees_with_valid_nips_and_supervisors() -> None:
    demo()
    employees = list(Employee.objects.select_related("unit", "supervisor", "user"))
    assert len(employees) == 300
    types = {kind: sum(e.employee_type == kind for e in employees) for kind in Employee.Type}
    assert all(count >= 20 for count in types.values()), types
    for employee in employees:
        employee.full_clean()  # NIP, phone (+62…) and the identifier constraint
        assert employee.phone.startswith("+62")
        assert employee.user.username == employee.identifier
        if employee.employee_type == Employee.Type.NON_ASN:
            assert employee.nip is None
            assert re.fullmatch(r"NONASN-\d{4}-\d{4}", employee.non_asn_id)
        else:
            parts = parse_nip(employee.nip)
            assert parts.gender in (1, 2) and parts.tmt_year >= parts.birth_date.year + 15
    heads = [e for e in employees if e.supervisor is None]
    assert [h.unit.code for h in heads] == ["SETDA"]
    for employee in employees:
        if employee.supervisor and employee.supervisor.unit_id != employee.unit_id:
            # a head reports to the parent unit's head (the Sekda for the OPDs)
            assert employee.supervisor.subordinates.filter(unit=employee.unit).count() == 1
    staff = [e for e in employees if e.supervisor and e.supervisor.unit_id == e.unit_id]
    assert len(staff) == 300 - Unit.objects.count()


def test_it_gives_each_role_a_login_in_its_group() -> None:
    logins = accounts()
    assert set(logins) == {PEGAWAI, ATASAN, OPERATOR, TIM_IT, INOVATOR}
    user_model = get_user_model()
    for role, account in logins.items():
        user = user_model.objects.get(username=account["login"])
        assert user.groups.filter(name=role).exists()
        assert user.employee.name == account["name"]
        assert user.employee.unit.name == account["unit"]
    pegawai = Employee.objects.get(nip=logins[PEGAWAI]["login"])
    assert pegawai.supervisor.nip == logins[ATASAN]["login"]
    operator = user_model.objects.get(username=logins[OPERATOR]["login"])
    assert operator.is_staff and operator.employee.unit.code == "DISKOMINFO"
    it = user_model.objects.get(username=logins[TIM_IT]["login"])
    assert it.is_staff and it.is_superuser


def test_it_changes_nothing_when_run_twice() -> None:
    first = demo()
    before = snapshot()
    second = demo()
    assert snapshot() == before
    assert "Tidak ada perubahan" in second and "Tidak ada perubahan" not in first


def test_it_lays_a_few_workdays_of_attendance_once(clock: Any) -> None:
    from govem.attendance.models import DayRecord, Punch

    first = json.loads(demo("--json"))["history"]
    assert first["days"] == 5 and first["punches"] > 5 * 300
    assert set(Punch.objects.values_list("note", flat=True)) == {"Data demo"}
    statuses = set(DayRecord.objects.values_list("status", flat=True))
    assert {"H", "TK"} <= statuses and statuses & {"TL1", "TL2", "TL3", "TL4"}
    assert json.loads(demo("--json"))["history"]["punches"] == 0


def test_it_resets_the_passwords_when_given_another() -> None:
    demo()
    demo("--password", "tapin-baru-2024")
    for user in get_user_model().objects.filter(employee__isnull=False):
        assert user.check_password("tapin-baru-2024")
        assert not user.check_password("govem-demo")
        break
    assert len(set(get_user_model().objects.values_list("password", flat=True))) == 1


def test_it_prints_only_json_for_scripts() -> None:
    data = json.loads(demo("--json"))
    assert set(data) == {"accounts", "units", "employees", "locations", "history"}
    assert data["employees"] == 300
    assert data["units"] == Unit.objects.count()
    assert data["locations"] == WorkLocation.objects.count()
    for account in data["accounts"]:
        assert set(account) == {"role", "login", "name", "unit"}


def test_it_prints_the_logins_in_indonesian() -> None:
    text = demo()
    assert "Akun demo" in text and "Kata sandi" in text and "govem-demo" in text
    assert "http://127.0.0.1:8000/" in text
    for account in accounts().values():
        assert account["login"] in text and account["name"] in text


def test_it_lets_a_demo_employee_log_in_and_check_in_at_the_office(
    client: Client, clock: Any
) -> None:
    login = accounts()[PEGAWAI]["login"]
    phone = ApiClient(client)
    assert phone.login(login, "govem-demo").status_code == 200
    office = Employee.objects.get(nip=login).allowed_locations().get()
    response = phone.punch("in", latitude=office.latitude, longitude=office.longitude)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["verdict"] == "accepted"
    assert body["location"]["name"] == office.name == "Kantor Diskominfo Tapin"


def test_it_accepts_a_check_in_inside_the_hospital_polygon(client: Client, clock: Any) -> None:
    demo()
    nurse = Employee.objects.filter(unit__code="RSUD-DS", supervisor__isnull=False).first()
    phone = ApiClient(client)
    assert phone.login(nurse.identifier, "govem-demo").status_code == 200
    response = phone.punch("in", latitude=-2.9289, longitude=115.1672)
    assert response.status_code == 201, response.json()
    assert response.json()["location"]["name"] == "RSUD Datu Sanggul"


def test_it_lets_the_it_team_into_the_admin(client: Client) -> None:
    login = accounts()[TIM_IT]["login"]
    response = client.post(
        "/admin/login/?next=/admin/", {"username": login, "password": "govem-demo"}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/admin/"
    assert client.get("/admin/people/employee/").status_code == 200
