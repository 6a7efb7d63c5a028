"""Error pages in the app's layout and language (DEBUG is off in tests, as in `make run`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views import defaults

pytestmark = pytest.mark.django_db


def test_it_answers_an_unknown_address_with_the_layout_and_the_way_home(
    client: Client, employee: Any
) -> None:
    client.force_login(employee.user, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/tidak-ada/")
    assert page.status_code == 404
    html = page.content.decode()
    assert "Halaman tidak ditemukan" in html
    assert 'id="app-menu"' in html and 'href="/"' in html  # the menu and the way home
    assert "Using the URLconf" not in html  # never Django's technical page
    english = client.get("/tidak-ada/", headers={"accept-language": "en"}).content.decode()
    assert "Page not found" in english and "Halaman tidak ditemukan" not in english


def test_it_refuses_a_page_of_another_role_in_the_layout(client: Client, employee: Any) -> None:
    client.force_login(employee.user, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/impor-pegawai/")
    assert page.status_code == 403
    html = page.content.decode()
    assert "Akses ditolak" in html and 'id="app-menu"' in html
    assert (
        "Access denied"
        in client.get("/impor-pegawai/", headers={"accept-language": "en"}).content.decode()
    )


def test_it_renders_the_server_error_page_without_the_database() -> None:
    request = RequestFactory().get("/")
    with translation.override("id"):
        response = defaults.server_error(request)
    assert response.status_code == 500
    assert "Terjadi kesalahan server" in response.content.decode()
    assert "bootstrap.min.css" in response.content.decode()
