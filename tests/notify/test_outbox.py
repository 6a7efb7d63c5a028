"""The outbox against real servers: delivery, retries with backoff, dead letters, no double
sends, dedupe."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import OperationalError, connection
from django.utils import timezone

from govem.notify import outbox
from govem.notify.models import Message
from govem.people.models import Employee
from tests.conftest import Mailbox
from tests.helpers.gateway import HttpSink
from tests.helpers.ports import free_port

pytestmark = pytest.mark.django_db


def whatsapp_message(employee: Employee | None = None, **extra: Any) -> Message:
    values = {
        "channel": "whatsapp",
        "address": "+6281234567890",
        "subject": "Pengingat presensi masuk 30 November 2026",
        "body": "Selamat pagi, Rahmat Hidayat. Jam masuk Anda 07:30.",
        "employee": employee,
        "template_key": "pengingat-masuk",
        **extra,
    }
    message = outbox.enqueue(**values)
    assert message is not None
    return message


def test_it_posts_the_configured_json_to_the_whatsapp_gateway(
    whatsapp: HttpSink, employee: Employee
) -> None:
    message = whatsapp_message(employee)

    report = outbox.send_due()

    assert report.as_dict() == {"claimed": 1, "sent": 1, "failed": 0, "dead": 0, "requeued": 0}
    [request] = whatsapp.requests
    assert request.path == "/send"
    assert request.headers["authorization"] == "rahasia-gateway"
    assert request.json() == {
        "target": "6281234567890",
        "message": "*Pengingat presensi masuk 30 November 2026*\n\n"
        "Selamat pagi, Rahmat Hidayat. Jam masuk Anda 07:30.",
        "countryCode": "62",
    }
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("sent", 1, "")
    assert message.sent_at is not None


def test_it_sends_telegram_to_the_chat_id(
    settings: Any, notify_settings: dict[str, Any], http_sink: HttpSink
) -> None:
    settings.GOVEM_NOTIFY = {
        **notify_settings,
        "TELEGRAM_URL": http_sink.url + "/bot{token}/sendMessage",
        "TELEGRAM_TOKEN": "123:ABC",
    }
    outbox.enqueue(channel="telegram", address="987654", subject="Judul", body='Isi "kutip"')

    assert outbox.send_due().sent == 1

    [request] = http_sink.requests
    assert request.path == "/bot123:ABC/sendMessage"
    assert request.json() == {"chat_id": "987654", "text": 'Judul\n\nIsi "kutip"'}
    assert "authorization" not in request.headers


def test_it_retries_a_failing_gateway_with_exponential_backoff_then_gives_up(
    whatsapp: HttpSink, clock: time_machine.Coordinates
) -> None:
    whatsapp.default_status = 500
    message = whatsapp_message()
    started = timezone.now()

    assert outbox.send_due().failed == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 1)
    assert message.next_attempt_at == started + timedelta(minutes=1)
    assert "HTTP 500" in message.last_error
    assert outbox.send_due().claimed == 0  # not due yet

    clock.shift(timedelta(minutes=1))
    assert outbox.send_due().failed == 1
    message.refresh_from_db()
    assert message.next_attempt_at == timezone.now() + timedelta(minutes=5)

    clock.shift(timedelta(minutes=5))
    assert outbox.send_due().dead == 1  # MAX_ATTEMPTS = 3
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("dead", 3)
    clock.shift(timedelta(hours=3))
    assert outbox.send_due().claimed == 0
    assert len(whatsapp.requests) == 3


def test_it_recovers_when_the_gateway_comes_back(
    whatsapp: HttpSink, clock: time_machine.Coordinates
) -> None:
    whatsapp.statuses = [500]
    message = whatsapp_message()

    outbox.send_due()
    clock.shift(timedelta(minutes=1))
    outbox.send_due()

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)


def test_it_counts_a_200_with_a_failure_flag_as_a_failure(whatsapp: HttpSink) -> None:
    whatsapp.response_body = b'{"status": false, "reason": "device disconnected"}'
    message = whatsapp_message()

    outbox.send_due()

    message.refresh_from_db()
    assert message.status == "failed"
    assert "device disconnected" in message.last_error


def test_it_queues_a_reminder_once_per_dedupe_key(whatsapp: HttpSink) -> None:
    first = whatsapp_message(dedupe_key="pengingat-masuk:2026-11-30:1")
    again = outbox.enqueue(
        channel="whatsapp",
        address="+6281234567890",
        subject="x",
        body="y",
        dedupe_key="pengingat-masuk:2026-11-30:1",
    )

    assert first is not None
    assert again is None
    assert Message.objects.count() == 1


def test_it_retries_a_message_left_sending_by_a_dead_worker(
    whatsapp: HttpSink, clock: time_machine.Coordinates
) -> None:
    message = whatsapp_message()
    Message.objects.filter(pk=message.pk).update(
        status="sending", claim_token="dead-worker", claimed_at=timezone.now()
    )
    assert outbox.send_due().claimed == 0  # still within the sending timeout

    clock.shift(timedelta(minutes=6))
    report = outbox.send_due()

    assert (report.requeued, report.sent) == (1, 1)
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)


def test_it_drops_a_reminder_that_expired_before_it_could_go_out(
    whatsapp: HttpSink, clock: time_machine.Coordinates
) -> None:
    message = whatsapp_message(expires_at=timezone.now() + timedelta(minutes=20))
    clock.shift(timedelta(minutes=30))

    outbox.send_due()

    message.refresh_from_db()
    assert (message.status, message.last_error) == ("dead", "kedaluwarsa sebelum terkirim")
    assert whatsapp.requests == []


def test_it_sends_email_through_a_real_smtp_server(
    smtp_server: Mailbox, notify_settings: dict[str, Any]
) -> None:
    outbox.enqueue(
        channel="email",
        address="rahmat@tapinkab.go.id",
        subject="Pengingat presensi pulang 30 November 2026",
        body="Rahmat Hidayat, jam kerja hari ini berakhir pukul 16:00.",
    )

    assert outbox.send_due().sent == 1

    [envelope] = smtp_server.envelopes
    assert envelope.rcpt_tos == ["rahmat@tapinkab.go.id"]
    assert envelope.mail_from == "govem@tapinkab.go.id"
    content = envelope.content.decode()
    assert "Subject: Pengingat presensi pulang 30 November 2026" in content
    assert "berakhir pukul 16:00" in content


def test_it_retries_email_when_the_smtp_server_is_down(
    settings: Any, notify_settings: dict[str, Any]
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = (
        "127.0.0.1",
        free_port(),
        False,
    )
    message = outbox.enqueue(channel="email", address="a@b.id", subject="s", body="b")

    outbox.send_due()

    message.refresh_from_db()
    assert message.status == "failed"
    assert message.last_error.startswith("SMTP: ConnectionRefusedError")


def test_it_reports_the_backlog_for_health_checks(whatsapp: HttpSink) -> None:
    whatsapp_message()

    backlog = outbox.backlog()

    assert backlog["counts"]["queued"] == 1
    assert backlog["channels"] == ["whatsapp"]


def send_due_retrying(limit: int) -> outbox.SendReport:
    """SQLite's in-memory test database (shared cache) refuses a second writer at once instead
    of waiting as the WAL file database does; such a refusal comes before any send."""
    for _ in range(50):
        try:
            return outbox.send_due(limit=limit)
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            time.sleep(0.01)
    raise AssertionError("database stayed locked")


@pytest.mark.django_db(transaction=True)
def test_it_never_sends_a_message_twice_with_two_workers(whatsapp: HttpSink) -> None:
    whatsapp.delay_s = 0.01
    for number in range(40):
        whatsapp_message(address=f"+62812000000{number:02d}")
    reports: list[outbox.SendReport] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(5):
                reports.append(send_due_retrying(limit=15))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    targets = [request.json()["target"] for request in whatsapp.requests]
    assert len(targets) == 40
    assert len(set(targets)) == 40
    assert sum(report.sent for report in reports) == 40
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db(transaction=True)
def test_it_sends_a_batch_several_at_a_time(settings: Any, whatsapp: HttpSink) -> None:
    settings.GOVEM_NOTIFY = {**settings.GOVEM_NOTIFY, "CONCURRENCY": 4}
    whatsapp.delay_s = 0.1
    for number in range(12):
        whatsapp_message(address=f"+62813000000{number:02d}")
    started = time.perf_counter()

    report = send_due_retrying(limit=50)

    assert report.sent == 12
    assert time.perf_counter() - started < 12 * 0.1 * 0.75  # one at a time would take 1.2 s
    assert len({r.json()["target"] for r in whatsapp.requests}) == 12
