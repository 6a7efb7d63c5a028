"""Real servers for the channels: an SMTP server (aiosmtpd) and an HTTP server that plays the
WhatsApp/Telegram gateway and the browsers' push service."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class HttpSink:
    """Records every POST; answers with the queued statuses, then ``default_status``."""

    url: str
    requests: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    default_status: int = 200
    response_body: bytes = b'{"status": true}'
    delay_s: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, received: Received) -> int:
        with self.lock:
            self.requests.append(received)
            return self.statuses.pop(0) if self.statuses else self.default_status


@pytest.fixture
def http_sink() -> Iterator[HttpSink]:
    sink: HttpSink | None = None

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            assert sink is not None
            length = int(self.headers.get("Content-Length") or 0)
            received = Received(
                self.path,
                {k.lower(): v for k, v in self.headers.items()},
                self.rfile.read(length),
            )
            if sink.delay_s:
                time.sleep(sink.delay_s)
            status = sink.answer(received)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(sink.response_body if status < 300 else b'{"error": "down"}')

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    sink = HttpSink(url=f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield sink
    server.shutdown()
    server.server_close()


class Mailbox:
    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings: Any, notify_settings: dict[str, Any]) -> Iterator[Mailbox]:
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.DEFAULT_FROM_EMAIL = "Govem Tapin <govem@tapinkab.go.id>"
    yield mailbox
    controller.stop()


@pytest.fixture
def notify_settings(settings: Any, tmp_path: Any) -> dict[str, Any]:
    """Fast retries, only the channels a test configures, keys in a scratch data dir."""
    settings.DATA_DIR = tmp_path
    settings.SITE_URL = "https://presensi.tapinkab.go.id"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = ""
    settings.GOVEM_NOTIFY = {
        **settings.GOVEM_NOTIFY,
        "WHATSAPP_URL": "",
        "TELEGRAM_URL": "",
        "MAX_ATTEMPTS": 3,
        "HTTP_TIMEOUT_S": 5,
    }
    return settings.GOVEM_NOTIFY


@pytest.fixture
def whatsapp(settings: Any, notify_settings: dict[str, Any], http_sink: HttpSink) -> HttpSink:
    settings.GOVEM_NOTIFY = {
        **notify_settings,
        "WHATSAPP_URL": http_sink.url + "/send",
        "WHATSAPP_TOKEN": "rahasia-gateway",
        "WHATSAPP_BODY": '{"target": "{phone}", "message": "{message}", "countryCode": "62"}',
        "WHATSAPP_AUTH": "{token}",
        "WHATSAPP_SUCCESS": "status=true",
    }
    return http_sink
