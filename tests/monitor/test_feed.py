from __future__ import annotations

from datetime import timedelta

from django.test import Client

from tests.conftest import ApiClient
from tests.helpers.regency import OTHER_LAT, OTHER_LON, logged_in


def _phone(employee) -> ApiClient:
    phone = ApiClient(Client())
    assert phone.login(employee.nip).status_code == 200
    return phone


def test_it_returns_only_what_happened_since_the_cursor(clock, regency) -> None:
    desk = logged_in(regency.tim_it)
    first = desk.get("/monitor/feed").json()
    assert first["punches"] == []
    _phone(regency.employee).punch("in")
    clock.shift(timedelta(seconds=2))  # tile counts are cached for up to 2 s per process
    second = desk.get("/monitor/feed", {"after": first["cursor"]}).json()
    assert [p["employee"]["name"] for p in second["punches"]] == ["Rahmat Hidayat"]
    assert second["punches"][0]["text"] == "diterima"
    assert second["tiles"]["checked_in"] == 1
    third = desk.get("/monitor/feed", {"after": second["cursor"]}).json()
    # the look-back may repeat a very recent punch; the page drops ids it already shows
    assert {p["id"] for p in third["punches"]} <= {p["id"] for p in second["punches"]}
    assert int(third["cursor"].split(":")[0]) >= int(second["cursor"].split(":")[0])


def test_it_reports_rejected_attempts_with_their_reason(clock, regency) -> None:
    desk = logged_in(regency.tim_it)
    cursor = desk.get("/monitor/feed").json()["cursor"]
    _phone(regency.employee).punch("in", latitude=-2.9416, longitude=115.1613)
    punch = desk.get("/monitor/feed", {"after": cursor}).json()["punches"][0]
    assert punch["verdict"] == "rejected"
    assert punch["text"].startswith("ditolak: di luar radius, ")
    assert punch["text"].endswith(" m dari Kantor Diskominfo")


def test_it_scopes_the_feed_to_the_operators_unit(clock, regency) -> None:
    _phone(regency.other_employee).punch("in", latitude=OTHER_LAT, longitude=OTHER_LON)
    _phone(regency.employee).punch("in")
    body = logged_in(regency.operator).get("/monitor/feed", {"after": "0:0"}).json()
    assert [p["employee"]["name"] for p in body["punches"]] == ["Rahmat Hidayat"]
    assert body["tiles"]["checked_in"] == 1
    other = logged_in(regency.outsider).get("/monitor/feed", {"after": "0:0"}).json()
    assert [p["employee"]["name"] for p in other["punches"]] == ["Dewi Lestari"]


def test_it_refuses_a_unit_outside_the_scope_and_a_bad_cursor(clock, regency) -> None:
    operator = logged_in(regency.operator)
    assert operator.get("/monitor/feed", {"unit": regency.other_unit.pk}).status_code == 404
    response = operator.get("/monitor/feed", {"after": "kemarin"})
    assert response.status_code == 422
    assert response.json()["error"]["details"]["field"] == "after"


def test_it_is_a_range_query_on_the_punch_id(clock, regency, django_assert_max_num_queries) -> None:
    desk = logged_in(regency.tim_it)
    cursor = desk.get("/monitor/feed").json()["cursor"]
    phone = _phone(regency.employee)
    phone.punch("in")
    phone.punch("out")
    with django_assert_max_num_queries(25):
        body = desk.get("/monitor/feed", {"after": cursor}).json()
    assert [p["kind"] for p in body["punches"]] == ["in", "out"]


def test_it_reports_day_records_changed_since_the_cursor(clock, regency) -> None:
    desk = logged_in(regency.tim_it)
    cursor = desk.get("/monitor/feed").json()["cursor"]
    clock.shift(timedelta(seconds=10))
    _phone(regency.employee).punch("in")
    body = desk.get("/monitor/feed", {"after": cursor}).json()
    changed = {row["employee_id"]: row["codes"] for row in body["days"]}
    assert "H" in changed[regency.employee.pk]
    assert regency.other_employee.pk not in changed


def test_polls_with_one_cursor_in_one_second_share_a_page_built_once(clock, regency) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    desk = logged_in(regency.tim_it)
    cursor = desk.get("/monitor/feed").json()["cursor"]
    _phone(regency.employee).punch("in")
    first = desk.get("/monitor/feed", {"after": cursor})
    _phone(regency.other_employee).punch("in", latitude=OTHER_LAT, longitude=OTHER_LON)
    with CaptureQueriesContext(connection) as again:
        second = desk.get("/monitor/feed", {"after": cursor})
    # The second dashboard of the same second gets the same page without reading punches,
    # day records or tiles (only its session and user are read).
    assert second.content == first.content
    assert not [q["sql"] for q in again if "attendance_" in q["sql"]], again.captured_queries
    assert [p["employee"]["name"] for p in first.json()["punches"]] == ["Rahmat Hidayat"]
    clock.shift(timedelta(seconds=2))  # next page bucket (and tile bucket)
    later = desk.get("/monitor/feed", {"after": cursor}).json()
    assert [p["employee"]["name"] for p in later["punches"]] == ["Rahmat Hidayat", "Dewi Lestari"]
    # A dashboard continuing from the first page's cursor gets the punch it had not seen.
    following = desk.get("/monitor/feed", {"after": first.json()["cursor"]}).json()
    assert "Dewi Lestari" in [p["employee"]["name"] for p in following["punches"]]


def test_a_page_is_per_scope_and_language(clock, regency) -> None:
    _phone(regency.employee).punch("in")
    _phone(regency.other_employee).punch("in", latitude=OTHER_LAT, longitude=OTHER_LON)
    everyone = logged_in(regency.tim_it).get("/monitor/feed", {"after": "0:0"}).json()
    operator = logged_in(regency.operator).get("/monitor/feed", {"after": "0:0"}).json()
    assert len(everyone["punches"]) == 2
    assert [p["employee"]["name"] for p in operator["punches"]] == ["Rahmat Hidayat"]
    english = logged_in(regency.operator)
    english.cookies["django_language"] = "en"
    in_english = english.get("/monitor/feed", {"after": "0:0"}).json()
    assert in_english["punches"][0]["kind_label"] != operator["punches"][0]["kind_label"]


def test_the_tiles_follow_a_roster_change_on_the_next_refresh(clock, regency) -> None:
    # The employees and their plans are kept per punch-context generation: a change to an
    # employee bumps it, so the kept list is not used again.
    desk = logged_in(regency.tim_it)
    before = desk.get("/monitor/feed").json()["tiles"]
    regency.other_employee.active = False
    regency.other_employee.save()
    clock.shift(timedelta(seconds=2))
    after = desk.get("/monitor/feed").json()["tiles"]
    assert after["scheduled"] == before["scheduled"] - 1
    assert after["not_yet"] == before["not_yet"] - 1
