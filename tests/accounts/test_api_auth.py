"""Token login through the API: credentials, lockout per NIP and per IP, revocation, devices."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from govem.accounts.models import ApiToken, AuditEntry
from govem.accounts.services import hash_token
from govem.people.models import Device, Employee
from tests.conftest import PASSWORD, ApiClient

TOKEN_URL = "/api/v1/auth/token"


def login(client: Client, nip: str, password: str, device_id: str, ip: str = "10.0.0.1") -> Any:
    return client.post(
        TOKEN_URL,
        {"nip": nip, "password": password, "device_id": device_id},
        content_type="application/json",
        REMOTE_ADDR=ip,
    )


def error_of(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}
    return body["error"]


def test_it_issues_a_bearer_token_stored_only_as_its_hash(
    client: Client, employee: Employee
) -> None:
    response = login(client, employee.nip, PASSWORD, "phone-aaaa-0001")
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["token"].startswith("gvm_")
    assert body["employee"]["nip"] == employee.nip
    assert body["employee"]["name"] == "Rahmat Hidayat"
    assert body["expires_at"].endswith("+08:00")
    stored = ApiToken.objects.get(user=employee.user)
    assert stored.token_hash == hash_token(body["token"])
    assert body["token"] not in stored.token_hash
    assert stored.device is not None and stored.device.device_id == "phone-aaaa-0001"
    employee.user.refresh_from_db()
    assert employee.user.last_login is not None


def test_it_refuses_a_wrong_password(client: Client, employee: Employee) -> None:
    response = login(client, employee.nip, "salah-sandi", "phone-aaaa-0001")
    assert response.status_code == 401
    error = error_of(response)
    assert error["code"] == "invalid_credentials"
    assert error["message"] == "NIP atau kata sandi salah."
    assert not ApiToken.objects.exists()


def test_it_refuses_an_unknown_nip_and_an_inactive_account_alike(
    client: Client, employee: Employee
) -> None:
    unknown = login(client, "199901012020011001", PASSWORD, "phone-aaaa-0001")
    employee.user.is_active = False
    employee.user.save()
    inactive = login(client, employee.nip, PASSWORD, "phone-aaaa-0001")
    assert unknown.status_code == inactive.status_code == 401
    assert error_of(unknown) == error_of(inactive)


def test_it_locks_an_account_after_repeated_failures_from_any_address(
    client: Client, employee: Employee
) -> None:
    for attempt in range(4):
        response = login(client, employee.nip, "salah", "phone-aaaa-0001", ip=f"10.0.1.{attempt}")
        assert response.status_code == 401
    # The failure that reaches the limit already answers with the lockout.
    fifth = login(client, employee.nip, "salah", "phone-aaaa-0001", ip="10.0.1.4")
    assert fifth.status_code == 429
    # The right password from yet another address is still refused: the NIP is locked.
    locked = login(client, employee.nip, PASSWORD, "phone-aaaa-0001", ip="10.0.9.9")
    assert locked.status_code == 429
    error = error_of(locked)
    assert error["code"] == "too_many_attempts"
    assert "15 menit" in error["message"]
    assert error["details"]["retry_after_s"] == 900
    assert not ApiToken.objects.exists()


def test_it_locks_an_address_that_tries_many_nips(
    client: Client, employee: Employee, colleague: Employee
) -> None:
    for suffix in range(5):
        response = login(client, f"19870512201001100{suffix + 4}", "salah", "x-device-01")
        assert response.status_code == (429 if suffix == 4 else 401)
    from_that_address = login(client, employee.nip, PASSWORD, "phone-aaaa-0001", ip="10.0.0.1")
    assert from_that_address.status_code == 429
    assert error_of(from_that_address)["code"] == "too_many_attempts"
    # Someone else, elsewhere, is not punished for it.
    elsewhere = login(client, colleague.nip, PASSWORD, "phone-bbbb-0002", ip="10.0.0.2")
    assert elsewhere.status_code == 200


def test_it_lets_the_account_in_again_after_the_cool_off(
    client: Client, employee: Employee
) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(5):
            login(client, employee.nip, "salah", "phone-aaaa-0001")
        assert login(client, employee.nip, PASSWORD, "phone-aaaa-0001").status_code == 429
        clock.shift(timedelta(minutes=16))
        assert login(client, employee.nip, PASSWORD, "phone-aaaa-0001").status_code == 200


def test_it_forgets_failures_after_a_successful_login(client: Client, employee: Employee) -> None:
    for _ in range(4):
        login(client, employee.nip, "salah", "phone-aaaa-0001")
    assert login(client, employee.nip, PASSWORD, "phone-aaaa-0001").status_code == 200
    for _ in range(4):
        assert login(client, employee.nip, "salah", "phone-aaaa-0001").status_code == 401
    assert login(client, employee.nip, PASSWORD, "phone-aaaa-0001").status_code == 200


def test_it_revokes_the_token_on_delete(phone: ApiClient) -> None:
    assert phone.get("/api/v1/me").status_code == 200
    response = phone.client.delete(TOKEN_URL, headers=phone._headers())
    assert response.status_code == 204
    after = phone.get("/api/v1/me")
    assert after.status_code == 401
    assert error_of(after)["code"] == "unauthorized"
    assert ApiToken.objects.get().revoked_at is not None
    assert phone.punch("in").status_code == 401


def test_it_refuses_an_expired_token(phone: ApiClient) -> None:
    with time_machine.travel(timezone.now() + timedelta(days=30, seconds=1)):
        response = phone.get("/api/v1/me")
    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthorized"


def test_it_refuses_requests_without_a_valid_token(client: Client, employee: Employee) -> None:
    for headers in ({}, {"Authorization": "Bearer gvm_bukan-token"}, {"Authorization": "Basic x"}):
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401
        assert error_of(response)["code"] == "unauthorized"
    huge = client.get("/api/v1/me", headers={"Authorization": "Bearer " + "a" * 10_000})
    assert huge.status_code == 401


def test_it_refuses_a_second_device_until_it_team_releases_the_first(
    client: Client, employee: Employee
) -> None:
    assert login(client, employee.nip, PASSWORD, "phone-aaaa-0001").status_code == 200
    second = login(client, employee.nip, PASSWORD, "phone-bbbb-0002")
    assert second.status_code == 403
    error = error_of(second)
    assert error["code"] == "device_not_allowed"
    assert "Tim IT" in error["message"]
    assert error["details"]["bound_since"]
    assert ApiToken.objects.count() == 1
    # Logging in again from the bound phone keeps working.
    assert login(client, employee.nip, PASSWORD, "phone-aaaa-0001").status_code == 200


def test_it_releases_a_device_through_the_admin_action_with_an_audited_reason(
    client: Client, employee: Employee
) -> None:
    old_phone = ApiClient(Client(), device_id="phone-aaaa-0001")
    assert old_phone.login(employee.nip).status_code == 200
    device = Device.objects.get(employee=employee)
    admin = get_user_model().objects.create_superuser("admin-it", password="sandi-admin-123")
    admin_client = Client()
    admin_client.force_login(admin)

    without_reason = admin_client.post(
        "/admin/people/device/",
        {"action": "release_binding", "_selected_action": [device.pk], "apply": "1"},
    )
    assert without_reason.status_code == 200  # the form again, asking for the reason
    device.refresh_from_db()
    assert device.released_at is None

    response = admin_client.post(
        "/admin/people/device/",
        {
            "action": "release_binding",
            "_selected_action": [device.pk],
            "apply": "1",
            "reason": "HP hilang, laporan tiket #12",
        },
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.released_at is not None
    assert device.released_by == admin
    assert device.release_reason == "HP hilang, laporan tiket #12"

    entry = AuditEntry.objects.filter(object_type="people.device", action="update").get()
    assert entry.actor == admin
    assert entry.after["release_reason"] == "HP hilang, laporan tiket #12"
    assert entry.after["released_by_id"] == admin.pk
    assert entry.before["released_at"] is None

    # The lost phone's token no longer works; the new phone can log in and is bound.
    assert old_phone.get("/api/v1/me").status_code == 401
    new_phone = login(client, employee.nip, PASSWORD, "phone-bbbb-0002")
    assert new_phone.status_code == 200
    active = Device.objects.get(employee=employee, released_at__isnull=True)
    assert active.device_id == "phone-bbbb-0002"
    assert login(client, employee.nip, PASSWORD, "phone-aaaa-0001").status_code == 403


def test_it_gives_a_non_employee_account_a_token_but_no_attendance(
    client: Client, employee: Employee
) -> None:
    get_user_model().objects.create_user("operator-kominfo", password=PASSWORD)
    response = login(client, "operator-kominfo", PASSWORD, "laptop-operator-01")
    assert response.status_code == 200
    assert response.json()["employee"] is None
    headers = {"Authorization": f"Bearer {response.json()['token']}"}
    for answer in (
        client.get("/api/v1/me", headers=headers),
        client.get("/api/v1/punches", {"from": "2026-11-01", "to": "2026-11-30"}, headers=headers),
        client.post(
            "/api/v1/punches",
            {
                "kind": "in",
                "latitude": -2.9395,
                "longitude": 115.1613,
                "accuracy_m": 10.0,
                "client_time": "2026-11-30T07:10:00+08:00",
                "idempotency_key": "operator-try-1",
            },
            content_type="application/json",
            headers=headers,
        ),
    ):
        assert answer.status_code == 403
        assert error_of(answer)["code"] == "not_an_employee"


def test_it_refuses_an_inactive_employee_at_every_attendance_endpoint(
    phone: ApiClient, employee: Employee
) -> None:
    Employee.objects.filter(pk=employee.pk).update(active=False)
    response = phone.punch("in")
    assert response.status_code == 403
    assert error_of(response)["code"] == "not_an_employee"


def test_it_refuses_malformed_login_bodies_by_field(client: Client, employee: Employee) -> None:
    cases = [
        ({"password": PASSWORD, "device_id": "phone-aaaa-0001"}, "nip"),
        ({"nip": employee.nip, "device_id": "phone-aaaa-0001"}, "password"),
        ({"nip": employee.nip, "password": PASSWORD}, "device_id"),
        ({"nip": employee.nip, "password": PASSWORD, "device_id": "short"}, "device_id"),
        ({"nip": "1" * 10_000, "password": PASSWORD, "device_id": "phone-aaaa-0001"}, "nip"),
        ({"nip": 198705122010011003, "password": PASSWORD, "device_id": "phone-01"}, "nip"),
    ]
    for body, field in cases:
        response = client.post(TOKEN_URL, body, content_type="application/json")
        assert response.status_code == 422, (body, response.content)
        error = error_of(response)
        assert error["code"] == "invalid_input"
        assert field in [item["field"] for item in error["details"]["fields"]]
    assert not ApiToken.objects.exists()
