"""Every page and API endpoint of the monitoring console and the helpdesk, for every role.

Rows: an endpoint (method, path built from the small regency, and the form it sends).
Columns: the expected status for anonymous, Pegawai, Atasan, Operator of the unit, an
Operator of another unit ("outsider"), Tim IT and Inovator. The objects (employee, ticket,
flagged punch) belong to the Diskominfo unit, so the outsider must get 404 on them, and the
Inovator 403 on every write.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from govem.accounts.services import issue_token
from govem.attendance.models import Punch
from govem.helpdesk.services import create_ticket
from tests.monitor.conftest import _fast_and_fresh  # noqa: F401
from tests.monitor.regency import Regency, build_regency, image_bytes, logged_in

ROLES = ("anonymous", "pegawai", "atasan", "operator", "outsider", "tim_it", "inovator")


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    path: str
    expected: tuple[int, int, int, int, int, int, int]
    data: Any = None
    api: bool = False
    json: bool = False  # the body as JSON (the API's JSON endpoints)


MONITOR_READ = (302, 403, 200, 200, 200, 200, 200)
SCOPED_READ = (302, 403, 200, 200, 404, 200, 200)
DESK_READ = (302, 403, 403, 200, 200, 200, 200)
DESK_DETAIL = (302, 403, 403, 200, 404, 200, 200)
DESK_REPLY = (302, 403, 403, 302, 404, 302, 403)
IT_ACTION = (302, 403, 403, 403, 403, 302, 403)

ROWS = [
    Row("dashboard", "get", "/monitor/", MONITOR_READ),
    Row("dashboard unit", "get", "/monitor/?unit={unit}", SCOPED_READ),
    Row("feed", "get", "/monitor/feed?after=0:0", MONITOR_READ),
    Row("feed unit", "get", "/monitor/feed?unit={unit}", SCOPED_READ),
    Row("map", "get", "/monitor/peta/", MONITOR_READ),
    Row("not yet", "get", "/monitor/belum-presensi/", MONITOR_READ),
    Row("employee day", "get", "/monitor/pegawai/{employee}/{day}/", SCOPED_READ),
    Row("review queue", "get", "/monitor/tinjauan/", MONITOR_READ),
    Row(
        "review decision",
        "post",
        "/monitor/tinjauan/{flagged}/",
        (302, 403, 403, 302, 404, 302, 403),
        {"decision": "accept", "reason": "Di dalam gedung, GPS meleset"},
    ),
    Row("ticket desk", "get", "/monitor/kendala/", DESK_READ),
    Row("ticket detail", "get", "/monitor/kendala/{ticket}/", DESK_DETAIL),
    Row("ticket reply", "post", "/monitor/kendala/{ticket}/balas/", DESK_REPLY, {"body": "Oke"}),
    Row("ticket assign", "post", "/monitor/kendala/{ticket}/tugaskan/", IT_ACTION, {}),
    Row(
        "ticket status",
        "post",
        "/monitor/kendala/{ticket}/status/",
        IT_ACTION,
        {"status": "resolved"},
    ),
    Row(
        "release device",
        "post",
        "/monitor/kendala/{ticket}/lepas-perangkat/",
        IT_ACTION,
        {"reason": "Ganti ponsel"},
    ),
    Row(
        "manual punch",
        "post",
        "/monitor/kendala/{ticket}/presensi-manual/",
        IT_ACTION,
        {"kind": "in", "date": "{day}", "time": "07:00:00", "reason": "GPS mati"},
    ),
    Row(
        "technical exemption",
        "post",
        "/monitor/kendala/{ticket}/alasan-teknis/",
        IT_ACTION,
        {"date": "{day}", "reason": "Server gangguan"},
    ),
    Row(
        "screenshot",
        "get",
        "/kendala/{ticket}/tangkapan-layar/",
        (302, 200, 404, 200, 404, 200, 200),
    ),
    Row("own tickets page", "get", "/kendala/", (302, 200, 200, 200, 200, 403, 403)),
    Row(
        "report a problem",
        "post",
        "/kendala/",
        (302, 302, 302, 302, 302, 403, 403),
        {"category": "other", "description": "Tombol tidak muncul"},
    ),
    Row(
        "api list tickets", "get", "/api/v1/tickets", (401, 200, 200, 200, 200, 403, 403), api=True
    ),
    Row(
        "api report a problem",
        "post",
        "/api/v1/tickets",
        (401, 201, 201, 201, 201, 403, 403),
        {"category": "location", "description": "Di luar radius padahal di kantor"},
        api=True,
    ),
    Row(
        "api event reviews",
        "get",
        "/api/v1/events/reviews",
        (401, 403, 200, 200, 200, 200, 200),
        api=True,
    ),
    Row(
        "api event review decision",
        "post",
        "/api/v1/events/{event}/checkins/{event_checkin}/review",
        (401, 403, 403, 200, 404, 200, 403),
        {"decision": "accept", "reason": "Terlihat di lapangan"},
        api=True,
        json=True,
    ),
]

CASES = [
    pytest.param(row, role, row.expected[index], id=f"{row.name}-{role}")
    for row in ROWS
    for index, role in enumerate(ROLES)
]


@pytest.fixture
def town(unit: Any, office: Any, employee: Any, colleague: Any) -> Regency:
    return build_regency(unit, office, employee, colleague)


def _objects(regency: Regency) -> dict[str, Any]:
    employee = regency.employee
    ticket = create_ticket(
        employee=employee,
        category="login",
        description="Tidak bisa masuk",
        screenshot=SimpleUploadedFile("a.png", image_bytes()),
        by=employee.user,
    )
    from govem.people.services import bind_device

    bind_device(employee=employee, device_id="ponsel-lama-123", label="Ponsel lama")
    flagged = Punch.objects.create(
        employee=employee,
        kind="in",
        server_time=timezone.now(),
        local_date=timezone.localdate(),
        time_zone="Asia/Makassar",
        latitude=-2.9402,
        longitude=115.1613,
        accuracy_m=40,
        distance_m=120,
        location=regency.office,
        verdict="flagged",
        flags=["borderline_location"],
        source="api",
    )
    from govem.events.models import Event, EventCheckin

    event = Event.objects.create(
        name="Apel pagi", kind="apel_pagi", date=timezone.localdate(), opens_at="07:00",
        closes_at="07:30", location=regency.office,
    )  # fmt: skip
    event.units.add(regency.unit)
    event_checkin = EventCheckin.objects.create(
        event=event, employee=employee, server_time=timezone.now(), latitude=-2.9402,
        longitude=115.1613, accuracy_m=40, distance_m=120, verdict="flagged",
        flags=["borderline_location"], source="api",
    )  # fmt: skip
    return {
        "event": event.pk,
        "event_checkin": event_checkin.pk,
        "unit": regency.unit.pk,
        "employee": employee.pk,
        "day": timezone.localdate().isoformat(),
        "ticket": ticket.pk,
        "flagged": flagged.pk,
    }


def _client(regency: Regency, role: str, api: bool) -> tuple[Client, dict[str, str]]:
    user = regency.user(role)
    if not api:
        return logged_in(user), {}
    if user is None:
        return Client(), {}
    raw, _ = issue_token(user=user, device=None)
    return Client(), {"Authorization": f"Bearer {raw}"}


@pytest.mark.parametrize(("row", "role", "expected"), CASES)
def test_it_enforces_the_role_and_unit_matrix(
    clock, town: Regency, row: Row, role: str, expected: int
) -> None:
    ids = _objects(town)
    path = row.path.format(**ids)
    client, headers = _client(town, role, row.api)
    if row.method == "get":
        response = client.get(path, headers=headers)
    else:
        data = {key: value.format(**ids) for key, value in (row.data or {}).items()}
        if row.json:
            response = client.post(path, data, content_type="application/json", headers=headers)
        else:
            response = client.post(path, data, headers=headers)
    assert response.status_code == expected, (row.name, role, response.content[:300])
    if expected == 302 and role == "anonymous":
        assert response["Location"].startswith("/masuk/")
