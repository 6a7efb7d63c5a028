"""Approvers decide requests through the API: the same service, scope and refusals as the page."""

from __future__ import annotations

from datetime import date

import pytest

from govem.absences.models import AbsenceRequest, AbsenceType
from govem.attendance.days import recompute_days
from govem.attendance.models import DayRecord
from tests.helpers.regency import bearer

MONDAY = date(2026, 11, 2)


@pytest.fixture
def pending(regency) -> AbsenceRequest:
    return AbsenceRequest.objects.create(
        employee=regency.employee,
        type=AbsenceType.objects.get(code="S"),
        start_date=MONDAY,
        end_date=MONDAY,
        reason="Demam",
    )


def _decide(client, user, pk, **body):
    return client.post(
        f"/api/v1/requests/{pk}/decision",
        body,
        content_type="application/json",
        headers=bearer(user),
    )


def test_the_supervisor_lists_and_approves(client, regency, pending) -> None:
    listed = client.get("/api/v1/requests/pending", headers=bearer(regency.supervisor.user))
    assert [item["id"] for item in listed.json()] == [pending.pk]
    response = _decide(client, regency.supervisor.user, pending.pk, decision="approve")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"
    again = _decide(client, regency.supervisor.user, pending.pk, decision="reject", note="x")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_decided"


@pytest.mark.parametrize(
    ("who", "body", "status", "code"),
    [
        ("supervisor", {"decision": "reject"}, 422, "invalid_input"),
        ("supervisor", {"decision": "maybe"}, 422, "invalid_input"),
        ("employee", {"decision": "approve"}, 404, "not_found"),  # never one's own
        ("outsider", {"decision": "approve"}, 404, "not_found"),
        ("inovator", {"decision": "approve"}, 403, "read_only"),
    ],
)
def test_the_refusals(client, regency, pending, who, body, status, code) -> None:
    user = {
        "supervisor": regency.supervisor.user,
        "employee": regency.employee.user,
        "outsider": regency.outsider,
        "inovator": regency.inovator,
    }[who]
    response = _decide(client, user, pending.pk, **body)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    pending.refresh_from_db()
    assert pending.status == AbsenceRequest.Status.PENDING


def test_a_verified_day_needs_the_note(client, regency, pending, december) -> None:
    recompute_days([regency.employee.pk], MONDAY, MONDAY)
    DayRecord.objects.filter(employee=regency.employee, date=MONDAY).update(locked=True)
    refused = _decide(client, regency.operator, pending.pk, decision="approve")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "day_locked"
    done = _decide(client, regency.operator, pending.pk, decision="approve", note="surat dokter")
    assert done.status_code == 200
    assert DayRecord.objects.get(employee=regency.employee, date=MONDAY).status == "S"
