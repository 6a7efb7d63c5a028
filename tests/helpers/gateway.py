"""An HTTP server that plays the WhatsApp/Telegram gateway and the browsers' push service, for
the notify tests and for every test that follows a message out (a reset code by WhatsApp)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


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


@contextmanager
def serving_sink() -> Iterator[HttpSink]:
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


def as_whatsapp_gateway(
    settings: Any, notify_settings: dict[str, Any], http_sink: HttpSink
) -> HttpSink:
    """Point Govem's WhatsApp channel (Fonnte's request form) at ``http_sink``."""
    settings.GOVEM_NOTIFY = {
        **notify_settings,
        "WHATSAPP_URL": http_sink.url + "/send",
        "WHATSAPP_TOKEN": "rahasia-gateway",
        "WHATSAPP_BODY": '{"target": "{phone}", "message": "{message}", "countryCode": "62"}',
        "WHATSAPP_AUTH": "{token}",
        "WHATSAPP_SUCCESS": "status=true",
    }
    return http_sink
