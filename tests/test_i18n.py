"""English is a real, selectable UI language; Indonesian stays the default."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from govem.accounts import roles
from govem.people.models import Employee

pytestmark = pytest.mark.django_db


def test_it_shows_the_login_page_in_indonesian_by_default(client: Client) -> None:
    page = client.get("/masuk/").content.decode()
    assert "Masuk ke Govem" in page
    assert "Sign in to Govem" not in page


def test_it_shows_the_login_page_in_english_when_the_browser_asks(client: Client) -> None:
    page = client.get("/masuk/", headers={"accept-language": "en"}).content.decode()
    assert "Sign in to Govem" in page
    assert "Password" in page
    assert 'lang="en"' in page


def test_it_remembers_the_language_chosen_in_the_switcher(client: Client) -> None:
    chosen = client.post("/i18n/setlang/", {"language": "en", "next": "/masuk/"})
    assert chosen.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/masuk/").content.decode()
    assert "Sign in to Govem" in page


def test_it_offers_both_languages_in_the_footer_switcher(client: Client) -> None:
    page = client.get("/masuk/").content.decode()
    assert 'action="/i18n/setlang/"' in page
    assert ">Bahasa Indonesia</option>" in page
    assert ">English</option>" in page


def test_it_keeps_api_refusals_as_domain_codes_in_any_language(client: Client) -> None:
    refused = client.get("/api/v1/me", headers={"accept-language": "en"})
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "unauthorized"


@pytest.fixture
def it_staff(client: Client) -> Client:
    """A Tim IT user (reads and verifies reports for the whole regency), logged in."""
    user = get_user_model().objects.create_user(username="timit-i18n", password="x-123456")
    user.groups.add(Group.objects.get(name=roles.TIM_IT))
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_it_shows_the_daily_report_page_in_english(it_staff: Client) -> None:
    page = it_staff.get("/laporan/", headers={"accept-language": "en"}).content.decode()
    for english in (
        "Daily attendance report",
        "Monthly summary and chart",
        "Work unit",
        "Verify report",
        "Not verified yet: this report is still a draft.",
        "No employees in this scope.",
        ">Daily report</a>",
    ):
        assert english in page
    assert "Laporan presensi harian" not in page


def test_it_shows_the_monthly_summary_page_in_english(it_staff: Client) -> None:
    page = it_staff.get("/laporan/bulanan/", headers={"accept-language": "en"}).content.decode()
    assert "Monthly attendance summary" in page
    assert "Daily attendance rate per unit (%)" in page
    assert "Rekap presensi bulanan" not in page


def test_it_keeps_the_report_page_in_indonesian_by_default(it_staff: Client) -> None:
    page = it_staff.get("/laporan/").content.decode()
    assert "Laporan presensi harian" in page
    assert "Daily attendance report" not in page


def test_it_shows_the_monitoring_console_and_recap_in_english(it_staff: Client) -> None:
    english = {"accept-language": "en"}
    monitor = it_staff.get("/monitor/", headers=english).content.decode()
    for text in (
        "Attendance monitoring",
        "Overview",
        "Not checked in yet",
        "Scheduled today",
        "By unit",
        "Present %",
    ):
        assert text in monitor
    assert "Monitoring presensi" not in monitor
    recap = it_staff.get("/rekap/", headers=english).content.decode()
    for text in (
        "Previous month",
        "Discipline (PP 94/2021)",
        "Employees in scope",
        "Choose a unit to see the summary per employee.",
    ):
        assert text in recap
    assert "Pegawai dalam cakupan" not in recap


def test_it_says_check_in_on_the_attendance_page_and_sign_in_on_the_login_page(
    client: Client, employee: Employee
) -> None:
    login = client.get("/masuk/", headers={"accept-language": "en"}).content.decode()
    assert ">Sign in</button>" in login
    assert "Check in" not in login
    client.force_login(employee.user, backend="django.contrib.auth.backends.ModelBackend")
    home = client.get("/", headers={"accept-language": "en"}).content.decode()
    assert 'data-label-in="Check in" data-label-out="Check out"' in home
    assert "Sign in" not in home.split('id="punch-button"')[1].split("</button>")[0]
    recap = client.get("/rekap/", headers={"accept-language": "en"}).content.decode()
    assert "My summary" in recap
    assert "<th>Check in</th><th>Check out</th>" in recap


def test_it_keeps_check_in_as_masuk_in_indonesian(client: Client, employee: Employee) -> None:
    client.force_login(employee.user, backend="django.contrib.auth.backends.ModelBackend")
    home = client.get("/").content.decode()
    assert 'data-label-in="Masuk" data-label-out="Pulang"' in home
    recap = client.get("/rekap/").content.decode()
    assert "<th>Masuk</th><th>Pulang</th>" in recap
    assert "Rekap saya" in recap


def test_it_serves_the_api_docs_from_the_package(client: Client) -> None:
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
