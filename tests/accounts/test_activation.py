"""First passwords and resets: activation sheets, self-service reset codes, operator resets."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from openpyxl import load_workbook

from govem.accounts.models import ApiToken, AuditEntry, OneTimeCode, RoleScope
from govem.accounts.roles import OPERATOR, PEGAWAI, TIM_IT
from govem.notify import outbox
from govem.notify.models import Message
from govem.people.models import Employee, Unit
from tests.conftest import ApiClient, Mailbox, make_employee
from tests.helpers.files import codes_in_pdf
from tests.helpers.gateway import HttpSink, as_whatsapp_gateway, serving_sink

pytestmark = pytest.mark.django_db
PAGE = "/akun-pegawai/"
NEW_PASSWORD = "Rantau-Sehat-2026"


def fresh_employee(unit: Unit, nip: str, name: str, **extra: Any) -> Employee:
    """An employee as the import leaves them: an account without a usable password."""
    user = get_user_model().objects.create_user(username=nip, password=None)
    user.groups.add(Group.objects.get(name=PEGAWAI))
    return Employee.objects.create(
        user=user, employee_type="PNS", nip=nip, name=name, unit=unit, **extra
    )


@pytest.fixture
def newcomers(unit: Unit, office: Any) -> list[Employee]:
    return [
        fresh_employee(unit, "199104152019032004", "Dewi Lestari", email="dewi@tapinkab.go.id"),
        fresh_employee(unit, "199208012020121001", "Budi Santoso"),
    ]


@pytest.fixture
def operator(client: Client, unit: Unit) -> Any:
    user = get_user_model().objects.create_user("op.diskominfo", password="x-operator-1")
    user.groups.add(Group.objects.get(name=OPERATOR))
    RoleScope.objects.create(user=user, unit=unit)
    client.force_login(user)
    return user


def print_sheet(client: Client, unit: Unit, people: list[Employee], fmt: str = "pdf") -> Any:
    return client.post(
        PAGE,
        {
            "action": "sheet",
            "unit": unit.pk,
            "format": fmt,
            "employee": [p.pk for p in people],
        },
    )


def activate(client: Client, nip: str, code: str, password: str = NEW_PASSWORD) -> Any:
    return client.post(
        "/aktivasi/",
        {"nip": nip, "code": code, "new_password": password, "new_password2": password},
    )


def test_it_prints_activation_slips_and_the_employee_sets_a_first_password(
    client: Client, operator: Any, unit: Unit, newcomers: list[Employee]
) -> None:
    page = client.get(PAGE).content.decode()
    assert "Dewi Lestari" in page and "Belum aktivasi" in page

    response = print_sheet(client, unit, newcomers)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    codes = codes_in_pdf(response.content)
    assert set(codes) == {"199104152019032004", "199208012020121001"}
    stored = list(OneTimeCode.objects.values_list("code_hash", flat=True))
    assert len(stored) == 2
    assert not any(code.replace("-", "") in value for code in codes.values() for value in stored)
    issued = AuditEntry.objects.get(action="activation_codes_issued")
    assert (issued.actor, issued.object_type, issued.after["count"]) == (
        operator,
        "people.unit",
        2,
    )

    employee = Client()
    done = activate(employee, "199104152019032004", codes["199104152019032004"].lower())

    assert (done.status_code, done["Location"]) == (302, "/")
    assert employee.get("/").status_code == 200  # signed in
    dewi = get_user_model().objects.get(username="199104152019032004")
    assert dewi.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.get(action="password_set").after == {"via": "activation"}
    again = activate(Client(), "199104152019032004", codes["199104152019032004"], "Lain-2026-xy")
    assert again.status_code == 401
    assert "sudah dipakai" in again.content.decode()
    # Someone else's code does not open this account.
    assert activate(Client(), "199104152019032004", codes["199208012020121001"]).status_code == 401


def test_it_writes_the_sheet_as_xlsx_and_a_reprint_replaces_the_codes(
    client: Client, operator: Any, unit: Unit, newcomers: list[Employee]
) -> None:
    first = print_sheet(client, unit, newcomers[:1], "xlsx")
    sheet = load_workbook(io.BytesIO(first.content)).active
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert [(row[1], row[2]) for row in rows] == [("199104152019032004", "Dewi Lestari")]
    old_code = rows[0][5]

    second = codes_in_pdf(print_sheet(client, unit, newcomers[:1]).content)

    assert activate(Client(), "199104152019032004", old_code).status_code == 401
    assert activate(Client(), "199104152019032004", second["199104152019032004"]).status_code == 302


def test_it_refuses_an_expired_code_and_a_weak_password(
    client: Client, operator: Any, unit: Unit, newcomers: list[Employee]
) -> None:
    codes = codes_in_pdf(print_sheet(client, unit, newcomers).content)

    weak = activate(Client(), "199104152019032004", codes["199104152019032004"], "12345678")
    assert weak.status_code == 422
    assert "Kata sandi baru ditolak" in weak.content.decode()
    with time_machine.travel(timedelta(days=15)):
        late = activate(Client(), "199208012020121001", codes["199208012020121001"])
    assert late.status_code == 401
    assert not get_user_model().objects.get(username="199208012020121001").has_usable_password()


def test_it_limits_wrong_codes_per_nip_and_burns_a_guessed_code(
    client: Client, operator: Any, unit: Unit, newcomers: list[Employee]
) -> None:
    codes = codes_in_pdf(print_sheet(client, unit, newcomers).content)
    guesser = Client()
    for _ in range(5):
        assert activate(guesser, "199104152019032004", "AAAAA-AAAAA").status_code == 401

    blocked = activate(guesser, "199104152019032004", codes["199104152019032004"])

    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan" in blocked.content.decode()
    assert OneTimeCode.objects.get(user__username="199104152019032004").attempts == 5
    # The code itself is spent after five wrong tries, even after the window.
    with time_machine.travel(timedelta(minutes=16)):
        later = activate(Client(), "199104152019032004", codes["199104152019032004"])
    assert later.status_code == 401


def test_it_keeps_an_operator_to_their_unit_subtree(
    client: Client, operator: Any, unit: Unit, newcomers: list[Employee]
) -> None:
    other = Unit.objects.create(code="BKPSDM", name="BKPSDM")
    outsider = fresh_employee(other, "198001012005011001", "Di Unit Lain")
    child = Unit.objects.create(code="DISKOMINFO-TIK", name="Bidang TIK", parent=unit)
    inside = fresh_employee(child, "198102022006042002", "Di Sub Unit")

    assert client.get(PAGE, {"unit": other.pk}).status_code == 404
    reset = client.post(PAGE, {"action": "reset", "unit": unit.pk, "employee": outsider.pk})
    assert reset.status_code == 404
    codes = codes_in_pdf(print_sheet(client, unit, [*newcomers, inside, outsider]).content)
    assert set(codes) == {"199104152019032004", "199208012020121001", "198102022006042002"}
    assert not OneTimeCode.objects.filter(user=outsider.user).exists()

    pegawai = Client()
    pegawai.force_login(newcomers[0].user)
    assert pegawai.get(PAGE).status_code == 403


def test_it_lets_the_operator_set_a_temporary_password_that_must_be_replaced(
    client: Client, operator: Any, unit: Unit, employee: Employee
) -> None:
    phone = ApiClient(Client())
    assert phone.login(employee.nip).status_code == 200
    confirm = client.post(
        PAGE, {"action": "confirm-reset", "unit": unit.pk, "employee": employee.pk}
    )
    assert 'id="confirm-reset"' in confirm.content.decode()
    assert employee.user.check_password("rahasia-123")  # nothing changed yet

    shown = client.post(PAGE, {"action": "reset", "unit": unit.pk, "employee": employee.pk})

    temporary = re.search(r'<code class="code"[^>]*>([A-Z2-9]{12})</code>', shown.content.decode())[
        1
    ]
    assert shown["Cache-Control"] == "no-store"
    assert temporary not in client.get(PAGE).content.decode()  # shown once
    assert not ApiToken.objects.filter(user=employee.user, revoked_at__isnull=True).exists()
    entry = AuditEntry.objects.get(action="password_reset_by_operator")
    assert (entry.actor, entry.after["employee"]) == (operator, employee.nip)

    browser = Client()
    # The same phone, now in its browser (its device binding stays).
    login = browser.post(
        "/masuk/", {"login": employee.nip, "password": temporary, "device_id": phone.device_id}
    )
    assert login["Location"] == "/akun/sandi-baru/"
    assert browser.get("/").status_code == 302  # not signed in yet
    same = browser.post(
        "/akun/sandi-baru/", {"new_password": temporary, "new_password2": temporary}
    )
    assert "harus berbeda" in same.content.decode()
    changed = browser.post(
        "/akun/sandi-baru/", {"new_password": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert changed.status_code == 302
    assert browser.get("/").status_code == 200
    employee.user.refresh_from_db()
    assert employee.user.check_password(NEW_PASSWORD)


def test_it_asks_the_app_to_replace_a_temporary_password(
    client: Client, operator: Any, unit: Unit, employee: Employee
) -> None:
    shown = client.post(PAGE, {"action": "reset", "unit": unit.pk, "employee": employee.pk})
    temporary = re.search(r">([A-Z2-9]{12})</code>", shown.content.decode())[1]
    phone = ApiClient(Client())

    refused = phone.login(employee.nip, temporary)

    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "password_change_required"
    activated = phone.post(
        "/api/v1/auth/activate",
        {
            "nip": employee.nip,
            "code": temporary,
            "new_password": NEW_PASSWORD,
            "device_id": phone.device_id,
        },
    )
    assert activated.status_code == 200, activated.json()
    assert activated.json()["employee"]["nip"] == employee.nip
    assert phone.login(employee.nip, NEW_PASSWORD).status_code == 200


def test_it_sends_a_reset_code_by_email_for_the_app(
    smtp_server: Mailbox, newcomers: list[Employee], clock: time_machine.Coordinates
) -> None:
    phone = ApiClient(Client())

    asked = phone.post("/api/v1/auth/reset", {"nip": "199104152019032004"})

    assert asked.status_code == 202
    assert asked.json()["expires_in_s"] == 900
    assert outbox.send_due().sent == 1
    [envelope] = smtp_server.envelopes
    mail = envelope.content.decode()
    assert envelope.rcpt_tos == ["dewi@tapinkab.go.id"]
    assert "Selamat pagi, Dewi Lestari." in mail
    assert "https://presensi.tapinkab.go.id/aktivasi/?nip=199104152019032004" in mail
    code = re.search(r"Govem Anda: (\d{6})", mail)[1]
    assert code not in OneTimeCode.objects.get().code_hash

    activated = phone.post(
        "/api/v1/auth/activate",
        {
            "nip": "199104152019032004",
            "code": code,
            "new_password": NEW_PASSWORD,
            "device_id": phone.device_id,
        },
    )

    assert activated.status_code == 200
    assert activated.json()["token"].startswith("gvm_")
    assert code not in Message.objects.get().body  # the outbox forgets a used code
    actions = list(AuditEntry.objects.values_list("action", flat=True).order_by("id"))
    assert "password_reset_requested" in actions and "password_set" in actions


@pytest.fixture
def whatsapp(settings: Any, notify_settings: dict[str, Any]) -> Iterator[HttpSink]:
    with serving_sink() as sink:
        yield as_whatsapp_gateway(settings, notify_settings, sink)


def test_it_sends_a_reset_code_by_whatsapp_when_there_is_no_email(
    whatsapp: HttpSink, unit: Unit, clock: time_machine.Coordinates, client: Client
) -> None:
    fresh_employee(unit, "199305052021012003", "Sari Wulandari", phone="+6281234567890")

    asked = client.post("/lupa-sandi/", {"nip": "199305052021012003"})

    assert asked.status_code == 200
    assert outbox.send_due().sent == 1
    [request] = whatsapp.requests
    sent = request.json()
    assert sent["target"] == "6281234567890"  # the gateway's form of the number
    assert "Selamat pagi, Sari Wulandari." in sent["message"]
    assert "https://presensi.tapinkab.go.id/aktivasi/?nip=199305052021012003" in sent["message"]
    code = re.search(r"Govem Anda: (\d{6})", sent["message"])[1]
    requested = AuditEntry.objects.get(action="password_reset_requested")
    assert requested.after == {"channel": "whatsapp", "to": "…7890"}

    done = activate(Client(), "199305052021012003", code)

    assert (done.status_code, done["Location"]) == (302, "/")
    sari = get_user_model().objects.get(username="199305052021012003")
    assert sari.check_password(NEW_PASSWORD)
    assert activate(Client(), "199305052021012003", code, "Lain-2026-xy").status_code == 401


def test_it_answers_alike_without_a_channel_and_limits_requests(
    smtp_server: Mailbox, newcomers: list[Employee], client: Client
) -> None:
    unknown = client.post("/lupa-sandi/", {"nip": "199901012020011001"})
    silent = client.post("/lupa-sandi/", {"nip": "199208012020121001"})  # Budi: no email/phone

    assert unknown.status_code == silent.status_code == 200
    assert "Bila NIP ini terdaftar" in unknown.content.decode()
    assert "Bila NIP ini terdaftar" in silent.content.decode()
    assert not Message.objects.exists()
    assert AuditEntry.objects.filter(action="password_reset_unreachable").count() == 2
    for _ in range(2):
        client.post("/lupa-sandi/", {"nip": "199104152019032004"})
    assert Message.objects.count() == 2
    assert OneTimeCode.objects.filter(revoked_at__isnull=True).count() == 1  # the latest only

    assert client.post("/lupa-sandi/", {"nip": "199104152019032004"}).status_code == 200
    limited = client.post("/lupa-sandi/", {"nip": "199104152019032004"})  # 4th in an hour
    assert limited.status_code == 429
    assert "Terlalu banyak percobaan" in limited.content.decode()


def test_it_documents_the_endpoints_in_openapi(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/auth/activate", "/api/v1/auth/reset"} <= set(paths)


def test_it_offers_the_it_team_every_unit(
    client: Client, unit: Unit, newcomers: list[Employee]
) -> None:
    it = get_user_model().objects.create_user("timit", password="x-timit-12")
    it.groups.add(Group.objects.get(name=TIM_IT))
    client.force_login(it)
    other = Unit.objects.create(code="BKPSDM", name="BKPSDM")
    make_employee(other, "198001012005011001", "Di Unit Lain")

    page = client.get(PAGE, {"unit": other.pk}).content.decode()

    assert "Di Unit Lain" in page and "BKPSDM" in page


@pytest.mark.parametrize("endpoint", ["/api/v1/auth/activate", "/api/v1/auth/reset"])
def test_it_refuses_control_characters_in_the_nip(client: Client, endpoint: str) -> None:
    body = {"nip": "1990\u0000", "code": "AAAAA-AAAAA", "new_password": NEW_PASSWORD,
            "device_id": "device-12345678"}  # fmt: skip
    response = client.post(endpoint, body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"
