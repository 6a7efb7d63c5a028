"""English is a real, selectable UI language; Indonesian stays the default."""

import pytest
from django.conf import settings
from django.test import Client

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
