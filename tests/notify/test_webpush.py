"""Web Push: VAPID keys from `govem vapid`, subscriptions from the app and the web page, and
the encrypted push through pywebpush to a local push service."""

from __future__ import annotations

import base64
import io
import json
import os
from typing import Any

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import call_command
from django.test import Client

from govem.files import store as files
from govem.notify import outbox, vapid
from govem.notify.channels.webpush import payload
from govem.notify.models import Message, PushSubscription
from govem.people.models import Employee
from tests.conftest import ApiClient
from tests.helpers.gateway import HttpSink

pytestmark = pytest.mark.django_db


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class Browser:
    """A browser's push keys: what PushManager.subscribe() returns, and the means to decrypt."""

    def __init__(self, endpoint: str) -> None:
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.endpoint = endpoint

    def subscription(self) -> dict[str, Any]:
        public = self.private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"endpoint": self.endpoint, "keys": {"p256dh": b64(public), "auth": b64(self.auth)}}

    def decrypt(self, body: bytes) -> Any:
        clear = http_ece.decrypt(
            body, private_key=self.private, auth_secret=self.auth, version="aes128gcm"
        )
        return json.loads(clear)


def test_it_creates_vapid_keys_once_and_prints_the_public_key(
    notify_settings: dict[str, Any], settings: Any
) -> None:
    out = io.StringIO()

    call_command("vapid", stdout=out, stderr=io.StringIO())
    public = out.getvalue().strip()
    again = io.StringIO()
    call_command("vapid", stdout=again, stderr=io.StringIO())

    assert again.getvalue().strip() == public
    assert len(base64.urlsafe_b64decode(public + "=")) == 65  # uncompressed P-256 point
    key_file = settings.DATA_DIR / "private" / "vapid" / "private_key.pem"
    if files.kind() == "local":
        assert key_file.stat().st_mode & 0o777 == 0o600
    else:  # every node reads it from the database; nothing on this node's disk
        assert files.exists(vapid.KEY_NAME) and not key_file.exists()
    assert vapid.load().public_key == public  # type: ignore[union-attr]


def test_it_builds_the_notification_payload(notify_settings: dict[str, Any]) -> None:
    message = Message(
        pk=7, subject="Pengingat presensi masuk", body="Jam masuk 07:30", template_key="x"
    )

    assert payload(message) == {
        "title": "Pengingat presensi masuk",
        "body": "Jam masuk 07:30",
        "url": "https://presensi.tapinkab.go.id/",
        "tag": "x",
    }


def test_it_pushes_an_encrypted_notification_signed_with_vapid(
    notify_settings: dict[str, Any], http_sink: HttpSink, phone: ApiClient, employee: Employee
) -> None:
    http_sink.default_status = 201
    keys, _ = vapid.create()
    browser = Browser(http_sink.url + "/push/abc123")
    assert phone.post("/api/v1/push/subscriptions", browser.subscription()).status_code == 201
    message = outbox.enqueue(
        channel="webpush",
        address=f"user:{employee.user_id}",
        employee=employee,
        subject="Pengingat presensi masuk 30 November 2026",
        body="Selamat pagi, Rahmat Hidayat.",
        template_key="pengingat-masuk",
    )

    assert outbox.send_due().sent == 1

    [request] = http_sink.requests
    assert request.path == "/push/abc123"
    assert request.headers["content-encoding"] == "aes128gcm"
    assert request.headers["authorization"].startswith("vapid t=")
    assert f"k={keys.public_key}" in request.headers["authorization"]
    assert browser.decrypt(request.body) == {
        "title": "Pengingat presensi masuk 30 November 2026",
        "body": "Selamat pagi, Rahmat Hidayat.",
        "url": "https://presensi.tapinkab.go.id/",
        "tag": "pengingat-masuk",
    }
    message.refresh_from_db()  # type: ignore[union-attr]
    assert message.status == "sent"  # type: ignore[union-attr]


def test_it_drops_a_subscription_the_push_service_says_is_gone(
    notify_settings: dict[str, Any], http_sink: HttpSink, employee: Employee
) -> None:
    http_sink.default_status = 410
    vapid.create()
    browser = Browser(http_sink.url + "/push/gone")
    subscription = PushSubscription.objects.create(
        user=employee.user,
        endpoint=browser.endpoint,
        p256dh=browser.subscription()["keys"]["p256dh"],
        auth=browser.subscription()["keys"]["auth"],
    )
    message = outbox.enqueue(
        channel="webpush", address="", employee=employee, subject="s", body="b"
    )

    outbox.send_due()

    subscription.refresh_from_db()
    message.refresh_from_db()  # type: ignore[union-attr]
    assert subscription.disabled_at is not None
    assert message.status == "dead"  # type: ignore[union-attr]


def test_it_refuses_a_malformed_subscription(phone: ApiClient) -> None:
    response = phone.post(
        "/api/v1/push/subscriptions",
        {"endpoint": "https://push.example/abc", "keys": {"p256dh": "pendek", "auth": "x"}},
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


def test_it_needs_a_token_to_subscribe(client: Client) -> None:
    response = client.post(
        "/api/v1/push/subscriptions", {"endpoint": "x"}, content_type="application/json"
    )

    assert response.status_code == 401


def test_it_subscribes_the_web_page_through_the_session(
    client: Client, employee: Employee, notify_settings: dict[str, Any]
) -> None:
    keys, _ = vapid.create()
    client.force_login(employee.user)
    browser = Browser("https://fcm.googleapis.com/fcm/send/abc")

    info = client.get("/notifikasi/push/").json()
    created = client.post(
        "/notifikasi/push/", browser.subscription(), content_type="application/json"
    )

    assert info == {"public_key": keys.public_key}
    assert created.status_code == 201
    assert PushSubscription.objects.get().user == employee.user
    removed = client.delete(
        "/notifikasi/push/", {"endpoint": browser.endpoint}, content_type="application/json"
    )
    assert removed.status_code == 200
    assert not PushSubscription.objects.exists()
