"""A refused check-in says why in the page's language: Indonesian by default, English when the
employee chose English (the language cookie) or the phone asks for it. The code, the details
and what is stored do not change with the language."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from govem.attendance.models import Punch
from govem.people.models import Employee, WorkLocation
from tests.attendance.test_web import logged_in, post_punch, punch_body
from tests.conftest import OFFICE_LAT, OFFICE_LON, ApiClient
from tests.english import indonesian_words

pytestmark = pytest.mark.django_db

# Monday 30 November 2026, 04:00 WITA: before the default schedule's check-in opens.
BEFORE_OPENING = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)


def in_english(browser: Client) -> Client:
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return browser


def refusal(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    error: dict[str, Any] = response.json()["error"]
    assert not indonesian_words(error["message"], allowed=["Kantor Diskominfo", "WITA"]), error
    return error


@pytest.mark.parametrize(
    ("overrides", "code", "english", "indonesian"),
    [
        (
            {"latitude": OFFICE_LAT + 0.01},
            "outside_geofence",
            "Outside the radius: 1106 m from Kantor Diskominfo (radius 100 m).",
            "Di luar radius: 1106 m dari Kantor Diskominfo (radius 100 m).",
        ),
        (
            {"accuracy_m": 450.0},
            "accuracy_too_low",
            "Location accuracy is too low (±450 m, limit 100 m). Turn on GPS in high-accuracy "
            "mode and try in the open.",
            "Akurasi lokasi terlalu rendah (±450 m, batas 100 m). Aktifkan GPS dengan mode "
            "akurasi tinggi dan coba di tempat terbuka.",
        ),
        (
            {"client_time": "9999-12-31T23:59:59-14:00"},
            "invalid_client_time",
            "Your device's time makes no sense. Check the date and time on your phone (set them "
            "automatically from the network), then try again.",
            "Waktu perangkat tidak masuk akal. Periksa tanggal dan jam di ponsel Anda (atur "
            "otomatis dari jaringan), lalu coba lagi.",
        ),
    ],
)
def test_it_says_a_check_in_refusal_in_english_and_keeps_it_indonesian_by_default(
    clock: Any, employee: Employee, overrides: dict[str, Any], code: str, english: str,
    indonesian: str,
) -> None:  # fmt: skip
    english_page = in_english(logged_in(employee))
    error = refusal(post_punch(english_page, punch_body("in", **overrides)), 422)
    assert (error["code"], error["message"]) == (code, english)

    indonesian_page = logged_in(employee)
    default = indonesian_page.post(
        "/presensi/", punch_body("in", **overrides), content_type="application/json"
    ).json()["error"]
    assert (default["code"], default["message"]) == (code, indonesian)
    assert default["details"].keys() == error["details"].keys()
    assert Punch.objects.filter(reason_code=code).count() == 2


def test_it_names_the_area_boundary_in_english_for_a_polygon_office(
    clock: Any, employee: Employee, office: WorkLocation
) -> None:
    d = 0.0005
    office.polygon = [
        [OFFICE_LAT - d, OFFICE_LON - d],
        [OFFICE_LAT - d, OFFICE_LON + d],
        [OFFICE_LAT + d, OFFICE_LON + d],
        [OFFICE_LAT + d, OFFICE_LON - d],
    ]
    office.save()
    error = refusal(
        post_punch(in_english(logged_in(employee)), punch_body(latitude=OFFICE_LAT + 0.01)), 422
    )
    assert error["code"] == "outside_geofence"
    assert error["message"].startswith("Outside the area: ")
    assert error["message"].endswith(" m from the boundary of Kantor Diskominfo.")


def test_it_says_a_second_check_in_in_english_with_the_first_time(
    clock: Any, employee: Employee
) -> None:
    browser = in_english(logged_in(employee))
    assert post_punch(browser, punch_body("in")).status_code == 201
    error = refusal(post_punch(browser, punch_body("in")), 409)
    assert error["code"] == "already_checked_in"
    assert error["message"] == "You already checked in today at 07:10:00 WITA."


def test_it_says_when_check_in_opens_in_english(employee: Employee) -> None:
    with time_machine.travel(BEFORE_OPENING, tick=False):
        error = refusal(post_punch(in_english(logged_in(employee)), punch_body("in")), 422)
    assert error["code"] == "outside_window"
    assert error["message"].startswith("Check-in is not open yet. It opens at ")
    assert error["message"].endswith(" WITA.")


def test_it_says_a_mock_location_refusal_in_english(
    clock: Any, employee: Employee, settings: Any
) -> None:
    settings.GOVEM = {**settings.GOVEM, "MOCK_LOCATION_POLICY": "reject"}
    error = refusal(
        post_punch(in_english(logged_in(employee)), punch_body(mock_location=True)), 422
    )
    assert error["code"] == "mock_location"
    assert error["message"] == (
        "A fake (mock) location was detected. Turn off the location-faking app, then try again."
    )


def test_it_says_no_work_location_in_english(
    clock: Any, employee: Employee, office: WorkLocation
) -> None:
    office.units.clear()
    error = refusal(post_punch(in_english(logged_in(employee)), punch_body()), 422)
    assert error["code"] == "no_location"
    assert error["message"] == (
        "No work location has been allowed for you yet. Contact your unit's operator."
    )


def test_it_answers_the_api_in_indonesian_unless_the_request_asks_for_english(
    clock: Any, phone: ApiClient
) -> None:
    far = {"latitude": OFFICE_LAT + 0.01}
    default = phone.punch("in", **far)
    phone.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    asked = phone.punch("in", **far)
    assert default.json()["error"]["message"].startswith("Di luar radius: ")
    assert asked.json()["error"]["message"].startswith("Outside the radius: ")
    assert default.json()["error"]["code"] == asked.json()["error"]["code"] == "outside_geofence"
