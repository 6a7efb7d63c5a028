"""Web login at /masuk/: NIP + password, the API's lockout, device binding, staff exemption."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from govem.accounts.roles import TIM_IT
from govem.accounts.views import DEVICE_COOKIE, DEVICE_SESSION_KEY
from govem.people.models import Device, Employee
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

DEVICE_A = "web-device-aaaaaaaa"
DEVICE_B = "web-device-bbbbbbbb"


def login(client: Client, nip: str, password: str = PASSWORD, device_id: str = DEVICE_A) -> Any:
    return client.post("/masuk/", {"login": nip, "password": password, "device_id": device_id})


def test_it_shows_the_login_form_in_indonesian(client: Client) -> None:
    response = client.get("/masuk/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "NIP atau nomor induk non-ASN" in page
    assert 'name="device_id"' in page
    assert "govem/login.js" in page


def test_it_sends_anonymous_visitors_of_the_home_page_to_the_login(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/?next=/")


def test_it_logs_in_with_nip_and_password_and_binds_the_device(
    client: Client, employee: Employee
) -> None:
    response = login(client, employee.nip)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session[DEVICE_SESSION_KEY] == DEVICE_A
    assert Device.objects.get(employee=employee, released_at=None).device_id == DEVICE_A
    home = client.get("/")
    assert home.status_code == 200
    assert "Rahmat Hidayat" in home.content.decode()


def test_it_follows_a_safe_next_url_only(client: Client, employee: Employee) -> None:
    response = client.post(
        "/masuk/?next=https://evil.example/",
        {"login": employee.nip, "password": PASSWORD, "device_id": DEVICE_A},
    )
    assert response["Location"] == "/"
    client.post("/keluar/")
    response = client.post(
        "/masuk/",
        {"login": employee.nip, "password": PASSWORD, "device_id": DEVICE_A, "next": "/riwayat/"},
    )
    assert response["Location"] == "/riwayat/"


def test_it_refuses_a_wrong_password_with_the_api_message(
    client: Client, employee: Employee
) -> None:
    response = login(client, employee.nip, password="salah-sekali")
    assert response.status_code == 401
    assert "NIP atau kata sandi salah." in response.content.decode()
    assert DEVICE_SESSION_KEY not in client.session
    assert client.get("/").status_code == 302


def test_it_locks_the_account_after_repeated_failures(
    client: Client, employee: Employee, settings: Any
) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, employee.nip, password="salah-sekali")
    response = login(client, employee.nip)  # even the right password is refused now
    assert response.status_code == 429
    page = response.content.decode()
    assert "Terlalu banyak percobaan masuk yang gagal" in page
    assert "<form" in page  # the form, not a bare JSON answer
    assert client.get("/").status_code == 302


def test_it_refuses_an_employee_on_another_device(client: Client, employee: Employee) -> None:
    assert login(client, employee.nip, device_id=DEVICE_A).status_code == 302
    other = Client()
    response = login(other, employee.nip, device_id=DEVICE_B)
    assert response.status_code == 403
    assert "Akun Anda terikat pada perangkat lain" in response.content.decode()
    assert other.get("/").status_code == 302
    assert list(Device.objects.filter(employee=employee).values_list("device_id", flat=True)) == [
        DEVICE_A
    ]


def test_it_lets_staff_log_in_from_any_device_without_binding(
    client: Client, employee: Employee
) -> None:
    Device.objects.create(employee=employee, device_id=DEVICE_A)
    employee.user.groups.add(Group.objects.get_or_create(name=TIM_IT)[0])
    response = login(client, employee.nip, device_id=DEVICE_B)
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert Device.objects.filter(employee=employee).count() == 1


def test_it_falls_back_to_a_server_cookie_without_javascript(
    client: Client, employee: Employee
) -> None:
    response = client.post("/masuk/", {"login": employee.nip, "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies[DEVICE_COOKIE].value
    assert cookie.startswith("web-")
    assert Device.objects.get(employee=employee).device_id == cookie
    client.post("/keluar/")
    # The same browser (same cookie) logs in again: still the same device.
    assert client.post("/masuk/", {"login": employee.nip, "password": PASSWORD}).status_code == 302


def test_it_logs_out_with_post_only(client: Client, employee: Employee) -> None:
    login(client, employee.nip)
    assert client.get("/keluar/").status_code == 405
    response = client.post("/keluar/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_it_requires_csrf_to_log_in_and_out(employee: Employee) -> None:
    browser = Client(enforce_csrf_checks=True)
    assert login(browser, employee.nip).status_code == 403
    form = browser.get("/masuk/")
    token = form.cookies["csrftoken"].value
    response = browser.post(
        "/masuk/",
        {
            "login": employee.nip,
            "password": PASSWORD,
            "device_id": DEVICE_A,
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    assert browser.post("/keluar/").status_code == 403


def test_it_greets_a_user_without_an_employee_record(client: Client, django_user_model) -> None:
    django_user_model.objects.create_user(username="operator1", password=PASSWORD)
    assert login(client, "operator1").status_code == 302
    page = client.get("/")
    assert page.status_code == 200
    assert "tidak terhubung dengan data pegawai" in page.content.decode()
    assert client.get("/riwayat/").status_code == 200
