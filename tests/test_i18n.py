"""English is a real, selectable UI language; Indonesian stays the default."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from govem.accounts import roles

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
        ">Reports</a>",
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
