"""The event check-in page says a refusal in the page's language, naming the event."""

from __future__ import annotations

import json
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from govem.events.models import Event
from tests.attendance.test_web import logged_in
from tests.events.test_events import AT_0650, AT_0710, apel, body

pytestmark = pytest.mark.django_db

__all__ = ["apel"]


def check_in(browser: Client, event: Event, **overrides: Any) -> Any:
    return browser.post(
        f"/acara/{event.pk}/hadir", json.dumps(body(**overrides)), content_type="application/json"
    )


def english(browser: Client) -> Client:
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return browser


def test_it_says_the_event_is_not_open_yet_in_english(apel: Event, regency: Any) -> None:
    with time_machine.travel(AT_0650, tick=False):
        early = check_in(english(logged_in(regency.employee)), apel)
        default = check_in(logged_in(regency.employee), apel, idempotency_key="apel-key-0002")
    assert early.status_code == 422
    assert early.json()["error"] == {
        **early.json()["error"],
        "code": "outside_window",
        "message": "Attendance for Apel pagi Senin is not open yet. It opens at 07:00.",
    }
    assert default.json()["error"]["message"] == (
        "Presensi Apel pagi Senin belum dibuka. Dibuka pukul 07:00."
    )


def test_it_says_a_second_check_in_and_a_far_one_in_english(apel: Event, regency: Any) -> None:
    browser = english(logged_in(regency.employee))
    with time_machine.travel(AT_0710, tick=False):
        far = check_in(browser, apel, latitude=body()["latitude"] + 0.01)
        assert check_in(browser, apel, idempotency_key="apel-key-0003").status_code == 201
        again = check_in(browser, apel, idempotency_key="apel-key-0004")
    assert far.json()["error"]["code"] == "outside_geofence"
    assert far.json()["error"]["message"].startswith("Outside the radius: ")
    assert (again.status_code, again.json()["error"]["message"]) == (
        409,
        "You have already checked in for Apel pagi Senin.",
    )


def test_it_says_who_is_not_invited_in_english(apel: Event, regency: Any) -> None:
    apel.units.clear()
    with time_machine.travel(AT_0710, tick=False):
        refused = check_in(english(logged_in(regency.employee)), apel)
    assert refused.status_code == 403
    assert refused.json()["error"] == {
        **refused.json()["error"],
        "code": "not_invited",
        "message": "You are not among the required participants of this event.",
    }


def test_it_says_a_malformed_check_in_in_english(apel: Event, regency: Any) -> None:
    browser = english(logged_in(regency.employee))
    refused = browser.post(f"/acara/{apel.pk}/hadir", "{", content_type="application/json")
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "invalid_input")
    assert refused.json()["error"]["message"] == "Invalid data."
