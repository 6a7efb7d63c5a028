"""The API's one dependency (govem.accounts.access.api_access): read-only roles, callers
without an employee record and the order against django-ninja's own validation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from govem.absences.models import AbsenceRequest
from govem.absences.services import create_request
from govem.accounts.services import issue_token
from govem.api import api
from govem.helpdesk.models import Ticket


def _headers(user: Any) -> dict[str, str]:
    raw, _token = issue_token(user=user, device=None)
    return {"Authorization": f"Bearer {raw}"}


REQUEST = {
    "type": "I",
    "start_date": "2026-12-07",
    "end_date": "2026-12-07",
    "reason": "Urusan keluarga",
}
TICKET = {"category": "login", "description": "Tidak bisa masuk"}


@pytest.mark.parametrize(
    ("path", "body", "model"),
    [("/api/v1/requests", REQUEST, AbsenceRequest), ("/api/v1/tickets", TICKET, Ticket)],
)
def test_a_read_only_role_is_refused_before_anything_is_written(
    regency, client, path, body, model
) -> None:
    response = client.post(path, body, headers=_headers(regency.inovator))
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "read_only"
    assert error["message"] == "Peran Anda hanya dapat melihat data."
    assert not model.objects.exists()


def test_a_bad_body_is_a_422_before_the_role_is_looked_at(regency, client) -> None:
    response = client.post(
        "/api/v1/tickets", {"category": "login"}, headers=_headers(regency.inovator)
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


@pytest.mark.parametrize(
    "path", ["/api/v1/me", "/api/v1/requests", "/api/v1/tickets", "/api/v1/events"]
)
def test_an_account_without_an_employee_record_is_refused(regency, client, path) -> None:
    response = client.get(path, headers=_headers(regency.tim_it))
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "not_an_employee"
    assert error["message"] == "Akun ini tidak terhubung dengan data pegawai aktif."


def test_a_writer_who_is_not_an_employee_may_still_decide(regency, client) -> None:
    """Deciding needs an approver who may write, not an employee record: Tim IT's queue is
    every pending request of the regency (the web approvals page's), others are refused."""
    pending = create_request(
        employee=regency.employee, type_code="I", start_date=date(2026, 12, 7),
        end_date=date(2026, 12, 7), reason="Urusan keluarga", by=regency.employee.user,
    )  # fmt: skip
    response = client.get("/api/v1/requests/pending", headers=_headers(regency.tim_it))
    assert response.status_code == 200
    assert [item["id"] for item in response.json()] == [pending.pk]
    refused = client.get("/api/v1/requests/pending", headers=_headers(regency.inovator))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "read_only"
    plain = client.get("/api/v1/requests/pending", headers=_headers(regency.colleague.user))
    assert plain.status_code == 403
    assert plain.json()["error"] == {
        "code": "forbidden",
        "message": "Hanya atasan, operator unit dan Tim IT yang memutuskan pengajuan.",
        "details": {},
    }


def test_the_injected_employee_is_not_an_api_parameter() -> None:
    schema = api.get_openapi_schema()
    for operations in schema["paths"].values():
        for operation in operations.values():
            names = {parameter["name"] for parameter in operation.get("parameters", [])}
            assert "employee" not in names
            for content in operation.get("requestBody", {}).get("content", {}).values():
                properties = content["schema"].get("properties", {})
                assert "employee" not in properties
