"""The employee page: home, the session punch endpoint (CSRF), history, manifest, worker."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from django.test import Client

from govem.attendance.models import Punch
from govem.people.models import Employee
from tests.conftest import OFFICE_LAT, OFFICE_LON, PASSWORD, body_of

pytestmark = pytest.mark.django_db

DEVICE = "web-device-aaaaaaaa"


def logged_in(employee: Employee, *, csrf: bool = False, device: str = DEVICE) -> Client:
    browser = Client(enforce_csrf_checks=csrf)
    form = browser.get("/masuk/")
    response = browser.post(
        "/masuk/",
        {
            "login": employee.nip,
            "password": PASSWORD,
            "device_id": device,
            "csrfmiddlewaretoken": form.cookies["csrftoken"].value,
        },
    )
    assert response.status_code == 302, response.content
    return browser


def punch_body(kind: str = "in", **overrides: Any) -> dict[str, Any]:
    body = {
        "kind": kind,
        "latitude": OFFICE_LAT,
        "longitude": OFFICE_LON,
        "accuracy_m": 12.0,
        "client_time": datetime.now(UTC).isoformat(),
        "idempotency_key": str(uuid.uuid4()),
    }
    body.update(overrides)
    return body


def post_punch(browser: Client, body: Any, *, token: str | None = None) -> Any:
    headers = {"X-CSRFToken": token} if token else {}
    data = body if isinstance(body, str) else json.dumps(body)
    return browser.post("/presensi/", data, content_type="application/json", headers=headers)


def csrf_token(browser: Client) -> str:
    return browser.cookies["csrftoken"].value


def test_it_shows_the_home_page_with_schedule_map_data_and_the_masuk_button(
    clock: Any, employee: Employee
) -> None:
    browser = logged_in(employee)
    response = browser.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Jadwal hari ini" in page
    assert "07:30" in page and "16:00" in page  # Monday, the national default
    assert 'data-kind="in"' in page
    assert "leaflet/leaflet.js" in page
    data = json.loads(
        page.split('id="govem-page" type="application/json">')[1].split("</script>")[0]
    )
    assert data["locations"][0]["name"] == "Kantor Diskominfo"
    assert data["locations"][0]["radius_m"] == 100
    assert data["tiles"].startswith("https://")
    assert data["time_url"] == "/api/v1/time"


def test_it_records_a_punch_through_the_page_and_returns_the_receipt(
    clock: Any, employee: Employee
) -> None:
    browser = logged_in(employee, csrf=True)
    response = post_punch(browser, punch_body("in"), token=csrf_token(browser))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["verdict"] == "accepted"
    assert body["location"]["name"] == "Kantor Diskominfo"
    assert body["local_time"] == "07:10:00"
    assert body["receipt"].startswith("GVM-")
    punch = Punch.objects.get(pk=body["id"])
    assert punch.source == "app"
    assert punch.device.device_id == DEVICE
    assert punch.ip == "127.0.0.1"
    # The page now offers Pulang and shows the receipt.
    page = browser.get("/").content.decode()
    assert 'data-kind="out"' in page
    assert body["receipt"] in page


def test_it_enforces_csrf_on_the_punch_endpoint(clock: Any, employee: Employee) -> None:
    browser = logged_in(employee, csrf=True)
    response = post_punch(browser, punch_body("in"))
    assert response.status_code == 403
    assert not Punch.objects.exists()


def test_it_answers_anonymous_punches_with_401_json(client: Client) -> None:
    response = post_punch(client, punch_body("in"))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_it_returns_the_same_refusal_as_the_api_outside_the_office(
    clock: Any, employee: Employee
) -> None:
    browser = logged_in(employee)
    response = post_punch(browser, punch_body("in", latitude=OFFICE_LAT + 0.01))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "outside_geofence"
    assert "Kantor Diskominfo" in error["message"]
    assert error["details"]["distance_m"] > 1000
    assert Punch.objects.get().verdict == "rejected"


def test_it_replays_a_retried_tap_with_the_same_key(clock: Any, employee: Employee) -> None:
    browser = logged_in(employee)
    body = punch_body("in")
    first = post_punch(browser, body)
    again = post_punch(browser, body)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Punch.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("{not json", "body"),
        ("[" * 5000 + "]" * 5000, "body"),  # deeper than json's recursion limit
        ("[]", None),
        ({"kind": "in"}, "latitude"),
        ({**punch_body(), "latitude": 91}, "latitude"),
        ({**punch_body(), "accuracy_m": -1}, "accuracy_m"),
        ({**punch_body(), "latitude": "1.0"}, "latitude"),
        ({**punch_body(), "kind": "lunch"}, "kind"),
        ({**punch_body(), "idempotency_key": "x" * 500}, "idempotency_key"),
        ({**punch_body(), "client_time": "2026-01-01T07:00:00"}, "client_time"),
    ],
)
def test_it_rejects_bad_input_as_invalid_input_naming_the_field(
    clock: Any, employee: Employee, body: Any, field: str | None
) -> None:
    browser = logged_in(employee)
    response = post_punch(browser, body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    if field:
        assert field in [item["field"] for item in error["details"]["fields"]]
    assert not Punch.objects.exists()


def test_it_rejects_nan_coordinates(clock: Any, employee: Employee) -> None:
    browser = logged_in(employee)
    raw = json.dumps(punch_body()).replace(str(OFFICE_LAT), "NaN")
    response = post_punch(browser, raw)
    assert response.status_code == 422
    assert response.json()["error"]["details"]["fields"][0]["field"] == "latitude"


def test_it_refuses_punches_from_a_user_without_an_employee_record(
    client: Client, django_user_model: Any
) -> None:
    user = django_user_model.objects.create_user(username="operator1", password=PASSWORD)
    client.force_login(user)
    response = post_punch(client, punch_body())
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_an_employee"


def test_it_shows_only_own_punches_in_the_history(
    clock: Any, employee: Employee, colleague: Employee
) -> None:
    mine = post_punch(logged_in(employee), punch_body("in")).json()
    theirs = post_punch(logged_in(colleague, device="web-device-colleague"), punch_body("in"))
    theirs_body = theirs.json()
    page = logged_in(employee).get("/riwayat/").content.decode()
    assert mine["receipt"] in page
    assert f'data-punch-id="{mine["id"]}"' in page
    assert theirs_body["receipt"] not in page
    assert f'data-punch-id="{theirs_body["id"]}"' not in page
    assert "Diterima" in page and "Kantor Diskominfo" in page


def test_it_lists_refusals_in_the_history_with_their_reason(clock: Any, employee: Employee) -> None:
    browser = logged_in(employee)
    post_punch(browser, punch_body("in", latitude=OFFICE_LAT + 0.01))
    page = browser.get("/riwayat/").content.decode()
    assert "Ditolak" in page
    assert "di luar radius" in page


def test_it_keeps_the_history_to_thirty_days(clock: Any, employee: Employee) -> None:
    browser = logged_in(employee)
    first = post_punch(browser, punch_body("in")).json()
    clock.shift(31 * 24 * 3600)
    assert f'data-punch-id="{first["id"]}"' not in browser.get("/riwayat/").content.decode()


def test_it_serves_the_web_app_manifest(client: Client) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["short_name"] == "Govem"
    assert manifest["lang"] == "id"
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        served = client.get(icon["src"])
        assert served.status_code == 200 and body_of(served)  # read to the end: closed


def test_it_serves_the_service_worker_from_the_root_scope(client: Client) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    script = response.content.decode()
    assert "/static/govem/govem.css" in script
    assert "/static/leaflet/leaflet.js" in script
    assert '"/api/"' in script and '"/presensi/"' in script  # never cached
    assert 'request.method !== "GET"' in script


def test_it_serves_leaflet_from_the_python_package(client: Client) -> None:
    response = client.get("/static/leaflet/leaflet.js")
    assert response.status_code == 200
    assert b"Leaflet" in b"".join(response.streaming_content)
