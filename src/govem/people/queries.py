"""Reads of people shaped for the API (the employee's own record in ``/me`` and the login)."""

from __future__ import annotations

from typing import Any

from govem.people.models import Employee


def employee_json(employee: Employee) -> dict[str, Any]:
    return {
        "id": employee.pk,
        "employee_type": employee.employee_type,
        "nip": employee.nip,
        "non_asn_id": employee.non_asn_id,
        "name": employee.name,
        "position": employee.position,
        "phone": employee.phone,
        "email": employee.email,
    }
