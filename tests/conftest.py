"""Shared fixtures: a small regency (unit, office, employees) and API helpers."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client

from govem.people.models import Employee, Unit, WorkLocation

PASSWORD = "rahasia-123"
# Kantor Bupati Tapin, Rantau (approximate, test data)
OFFICE_LAT, OFFICE_LON = -2.9395, 115.1613

# A Monday 07:10 WITA = 2026-11-30 23:10 UTC on the Sunday before.
MONDAY_0710_WITA = datetime(2026, 11, 29, 23, 10, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _counting_started(settings: Any) -> Iterator[None]:
    """The suite lives on fixed dates, some before the day its database was migrated: count
    from long before them (the go-live tests set their own start)."""
    from govem.attendance import context
    from govem.monitor import feed
    from govem.operations import golive

    settings.GOVEM_COUNTING_STARTS = date(2020, 1, 1)
    golive.forget()
    context.forget()  # a rolled-back test must not leave its punch contexts behind
    feed.forget()  # nor feed pages (the clock is frozen: one page bucket for the whole test)
    yield
    golive.forget()
    context.forget()
    feed.forget()


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(MONDAY_0710_WITA, tick=False) as traveller:
        yield traveller


@pytest.fixture
def unit(db: Any) -> Unit:
    return Unit.objects.create(code="DISKOMINFO", name="Dinas Komunikasi dan Informatika")


@pytest.fixture
def office(unit: Unit) -> WorkLocation:
    location = WorkLocation.objects.create(
        name="Kantor Diskominfo", latitude=OFFICE_LAT, longitude=OFFICE_LON, radius_m=100
    )
    unit.locations.add(location)
    return location


def make_employee(unit: Unit, nip: str, name: str, **extra: Any) -> Employee:
    user = get_user_model().objects.create_user(username=nip, password=PASSWORD)
    return Employee.objects.create(
        user=user, employee_type="PNS", nip=nip, name=name, unit=unit, **extra
    )


@pytest.fixture
def employee(unit: Unit, office: WorkLocation) -> Employee:
    return make_employee(unit, "198705122010011003", "Rahmat Hidayat", position="Pranata Komputer")


@pytest.fixture
def colleague(unit: Unit, office: WorkLocation) -> Employee:
    return make_employee(unit, "199002022015032001", "Siti Aminah")


class ApiClient:
    """The phone app: logs in with a device id and sends JSON with the bearer token."""

    def __init__(self, client: Client, device_id: str | None = None) -> None:
        self.client = client
        self.device_id = device_id or f"device-{uuid.uuid4()}"
        self.token: str | None = None

    def login(self, nip: str, password: str = PASSWORD) -> Any:
        response = self.client.post(
            "/api/v1/auth/token",
            {"nip": nip, "password": password, "device_id": self.device_id},
            content_type="application/json",
        )
        if response.status_code == 200:
            self.token = response.json()["token"]
        return response

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self._headers())

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(
            path, body, content_type="application/json", headers=self._headers()
        )

    def punch(self, kind: str = "in", **overrides: Any) -> Any:
        body = {
            "kind": kind,
            "latitude": OFFICE_LAT,
            "longitude": OFFICE_LON,
            "accuracy_m": 12.0,
            "client_time": datetime.now(UTC).isoformat(),
            "idempotency_key": str(uuid.uuid4()),
        }
        body.update(overrides)
        return self.post("/api/v1/punches", body)


@pytest.fixture
def phone(client: Client, employee: Employee) -> ApiClient:
    api = ApiClient(client)
    assert api.login(employee.nip).status_code == 200
    return api
