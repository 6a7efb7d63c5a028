"""Bad input to the punch endpoint: always a 422 naming the field, never a 500, nothing stored."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from govem.attendance.models import Punch
from tests.conftest import OFFICE_LAT, OFFICE_LON, ApiClient

URL = "/api/v1/punches"


def valid() -> dict[str, Any]:
    return {
        "kind": "in",
        "latitude": OFFICE_LAT,
        "longitude": OFFICE_LON,
        "accuracy_m": 12.0,
        "client_time": datetime.now(UTC).isoformat(),
        "idempotency_key": "tap-0000-0001",
    }


def send_raw(phone: ApiClient, raw: str | bytes, content_type: str = "application/json") -> Any:
    return phone.client.post(URL, raw, content_type=content_type, headers=phone._headers())


def refused_fields(response: Any) -> list[str]:
    assert response.status_code == 422, (response.status_code, response.content[:500])
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    fields = [item["field"] for item in error["details"]["fields"]]
    for name in fields:
        assert name in error["message"] or name == "body"
    return fields


def test_it_accepts_the_valid_body_these_tests_break(clock: Any, phone: ApiClient) -> None:
    assert phone.post(URL, valid()).status_code == 201


@pytest.mark.parametrize(
    "field", ["kind", "latitude", "longitude", "accuracy_m", "client_time", "idempotency_key"]
)
def test_it_names_a_missing_field(clock: Any, phone: ApiClient, field: str) -> None:
    body = valid()
    del body[field]
    assert field in refused_fields(phone.post(URL, body))
    assert not Punch.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "masuk"),
        ("kind", None),
        ("kind", ["in"]),
        ("latitude", "-2.9395"),  # a string is not a number, even when it looks like one
        ("latitude", True),  # nor is a boolean
        ("latitude", 90.0001),
        ("latitude", -91),
        ("latitude", None),
        ("latitude", {"value": -2.9}),
        ("longitude", 180.5),
        ("longitude", -181),
        ("longitude", False),
        ("longitude", 1e400),  # json.dumps writes Infinity
        ("accuracy_m", -0.1),
        ("accuracy_m", "12"),
        ("accuracy_m", 1e9),
        ("client_time", "2026-11-30T07:10:00"),  # no offset: ambiguous
        ("client_time", "kemarin"),
        ("client_time", 1764457800),
        ("client_time", ""),
        ("idempotency_key", "k" * 10_000),
        ("idempotency_key", "short"),
        ("idempotency_key", "tap 0001 with spaces"),
        ("idempotency_key", "kunci-ünïcode-0001"),
        ("idempotency_key", "tap-0001\n"),
        ("idempotency_key", 12345678),
        ("mock_location", "yes"),
        ("mock_location", 1),
        ("mock_location", None),
    ],
)
def test_it_names_a_field_of_the_wrong_type_or_range(
    clock: Any, phone: ApiClient, field: str, value: Any
) -> None:
    body = valid()
    body[field] = value
    assert field in refused_fields(send_raw(phone, json.dumps(body)))
    assert not Punch.objects.exists()


@pytest.mark.parametrize(
    ("field", "token"),
    [("latitude", "NaN"), ("longitude", "Infinity"), ("accuracy_m", "-Infinity")],
)
def test_it_refuses_nan_and_infinity(clock: Any, phone: ApiClient, field: str, token: str) -> None:
    raw = json.dumps(valid()).replace(json.dumps(valid()[field]), token, 1)
    assert token in raw
    assert field in refused_fields(send_raw(phone, raw))
    assert not Punch.objects.exists()


@pytest.mark.parametrize(
    "raw",
    [
        "{not json",
        '{"kind": "in",',
        "",
        "[]",
        '["in", -2.9, 115.1]',
        "null",
        "42",
        '"in"',
        b"\xff\xfe\x00garbage",
        '{"kind": "in"}' * 3,
        "[" * 50_000 + "]" * 50_000,  # nesting deeper than any parser's recursion limit
        '{"a":' * 50_000 + "1" + "}" * 50_000,
    ],
)
def test_it_refuses_a_body_that_is_not_a_json_object(
    clock: Any, phone: ApiClient, raw: str | bytes
) -> None:
    fields = refused_fields(send_raw(phone, raw))
    assert fields  # names the body, or the fields it could not find
    assert not Punch.objects.exists()


def test_it_refuses_a_form_encoded_body(clock: Any, phone: ApiClient) -> None:
    response = send_raw(phone, "kind=in&latitude=-2.9", "application/x-www-form-urlencoded")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


def test_it_refuses_a_huge_body_without_reading_it(clock: Any, phone: ApiClient) -> None:
    body = valid()
    body["idempotency_key"] = "k" * (3 * 1024 * 1024)
    response = send_raw(phone, json.dumps(body))
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "payload_too_large"
    assert error["message"] == "Permintaan terlalu besar."
    assert not Punch.objects.exists()


def test_it_ignores_fields_it_does_not_know_but_never_takes_the_server_time_from_them(
    clock: Any, phone: ApiClient
) -> None:
    body = valid() | {"server_time": "2026-11-30T07:00:00+08:00", "verdict": "accepted"}
    response = phone.post(URL, body | {"latitude": OFFICE_LAT + 0.01})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "outside_geofence"
    assert Punch.objects.get().verdict == "rejected"
