"""Simultaneous punches of one employee (a double tap on two phones, a retry racing the original).

Real transactions and one database connection per thread, so the locking that serialises one
employee's punches is what is tested (SQLite's IMMEDIATE transactions, PostgreSQL's row lock).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client

from govem.attendance.models import Punch
from govem.people.models import Employee
from tests.conftest import OFFICE_LAT, OFFICE_LON, ApiClient
from tests.helpers.threads import in_threads

pytestmark = pytest.mark.django_db(transaction=True)


def punch(token: str, kind: str, key: str) -> tuple[int, dict[str, Any]]:
    response = Client().post(
        "/api/v1/punches",
        {
            "kind": kind,
            "latitude": OFFICE_LAT,
            "longitude": OFFICE_LON,
            "accuracy_m": 10.0,
            "client_time": datetime.now(UTC).isoformat(),
            "idempotency_key": key,
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.status_code, response.json()


@pytest.fixture
def token(clock: Any, client: Client, employee: Employee) -> str:
    api = ApiClient(client)
    assert api.login(employee.nip).status_code == 200
    assert api.token
    return api.token


def test_it_accepts_exactly_one_of_two_simultaneous_check_ins(token: str) -> None:
    results = in_threads(
        2, lambda i: punch(token, "in", f"double-tap-{i}-{uuid.uuid4()}"), together=True
    )
    statuses = sorted(result[0] for result in results)
    assert statuses == [201, 409], results
    conflict = next(body for status, body in results if status == 409)
    assert conflict["error"]["code"] == "already_checked_in"
    counted = Punch.objects.filter(kind="in").exclude(verdict="rejected")
    assert counted.count() == 1
    assert conflict["error"]["details"]["punch_id"] == counted.get().pk
    assert Punch.objects.count() == 2  # the refused attempt is kept as evidence


def test_it_accepts_exactly_one_of_many_simultaneous_check_ins(token: str) -> None:
    results = in_threads(6, lambda i: punch(token, "in", f"rush-{i}-{uuid.uuid4()}"), together=True)
    statuses = sorted(result[0] for result in results)
    assert statuses == [201, 409, 409, 409, 409, 409], results
    assert Punch.objects.filter(kind="in", verdict="accepted").count() == 1


def test_it_answers_a_retry_racing_the_original_with_the_same_outcome(token: str) -> None:
    results = in_threads(4, lambda i: punch(token, "in", "same-tap-0001"), together=True)
    assert all(not isinstance(result, BaseException) for result in results), results
    assert {result[0] for result in results} == {201}
    assert len({result[1]["id"] for result in results}) == 1
    assert len({result[1]["receipt"] for result in results}) == 1
    assert Punch.objects.count() == 1


def test_it_keeps_every_simultaneous_check_out(token: str) -> None:
    results = in_threads(3, lambda i: punch(token, "out", f"out-{i}-{uuid.uuid4()}"), together=True)
    assert [result[0] for result in results] == [201, 201, 201], results
    assert Punch.objects.filter(kind="out", verdict="accepted").count() == 3
