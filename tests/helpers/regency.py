"""The people of the tests: an employee factory, role users, a small regency with one user per
role, and their clients (a logged-in browser session, an API bearer header)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from govem.accounts import roles
from govem.accounts.services import issue_token
from govem.people.models import Employee, Unit, WorkLocation

PASSWORD = "rahasia-123"
# Kantor Bupati Tapin, Rantau (approximate, test data)
OFFICE_LAT, OFFICE_LON = -2.9395, 115.1613
OTHER_LAT, OTHER_LON = -2.9500, 115.1700


def make_employee(unit: Unit, nip: str, name: str, **extra: Any) -> Employee:
    user = get_user_model().objects.create_user(username=nip, password=PASSWORD)
    return Employee.objects.create(
        user=user, employee_type="PNS", nip=nip, name=name, unit=unit, **extra
    )


def grant(user: Any, *names: str) -> Any:
    for name in names:
        user.groups.add(Group.objects.get(name=name))
    return user


def staff_user(username: str, *names: str) -> Any:
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    return grant(user, *names)


@dataclass
class Regency:
    unit: Unit
    other_unit: Unit
    office: WorkLocation
    other_office: WorkLocation
    employee: Employee
    colleague: Employee
    other_employee: Employee
    supervisor: Employee
    operator: Any
    outsider: Any
    tim_it: Any
    inovator: Any

    def user(self, role: str) -> Any:
        return {
            "anonymous": None,
            "pegawai": self.employee.user,
            "atasan": self.supervisor.user,
            "operator": self.operator,
            "outsider": self.outsider,
            "tim_it": self.tim_it,
            "inovator": self.inovator,
        }[role]


def build_regency(
    unit: Unit, office: WorkLocation, employee: Employee, colleague: Employee
) -> Regency:
    other_unit = Unit.objects.create(code="DINKES", name="Dinas Kesehatan")
    other_office = WorkLocation.objects.create(
        name="Kantor Dinas Kesehatan", latitude=OTHER_LAT, longitude=OTHER_LON, radius_m=100
    )
    other_unit.locations.add(other_office)
    supervisor = make_employee(unit, "197001011995031001", "Budi Santoso", phone="+6281100000001")
    employee.supervisor = supervisor
    employee.phone = "+6281234567890"
    employee.save()
    grant(employee.user, roles.PEGAWAI)
    grant(colleague.user, roles.PEGAWAI)
    grant(supervisor.user, roles.PEGAWAI, roles.ATASAN)
    other = make_employee(other_unit, "198201012006042002", "Dewi Lestari")
    grant(other.user, roles.PEGAWAI)
    operator_employee = make_employee(unit, "198806062012121001", "Andi Operator")
    grant(operator_employee.user, roles.PEGAWAI, roles.OPERATOR)
    outsider_employee = make_employee(other_unit, "199101012019031001", "Yusuf Operator")
    grant(outsider_employee.user, roles.PEGAWAI, roles.OPERATOR)
    return Regency(
        unit=unit,
        other_unit=other_unit,
        office=office,
        other_office=other_office,
        employee=employee,
        colleague=colleague,
        other_employee=other,
        supervisor=supervisor,
        operator=operator_employee.user,
        outsider=outsider_employee.user,
        tim_it=staff_user("timit", roles.TIM_IT),
        inovator=staff_user("inovator", roles.INOVATOR),
    )


def logged_in(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def bearer(user: Any) -> dict[str, str]:
    """The API header of a fresh token of ``user`` (no device)."""
    raw, _ = issue_token(user=user, device=None)
    return {"Authorization": f"Bearer {raw}"}
