"""Messages that read well on a phone: greeting of the hour, names as stored, absolute links."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine

from govem.monitor.texts import whatsapp_link
from govem.notify import outbox, reminders
from govem.notify.rendering import substitute
from govem.notify.wording import absolute_url, greeting
from govem.people.models import Employee
from tests.conftest import Mailbox
from tests.helpers.gateway import HttpSink

WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")
MONDAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("hour", "expected"),
    [
        (4, "Selamat pagi"),
        (10, "Selamat pagi"),
        (11, "Selamat siang"),
        (14, "Selamat siang"),
        (15, "Selamat sore"),
        (17, "Selamat sore"),
        (18, "Selamat malam"),
        (23, "Selamat malam"),
        (3, "Selamat malam"),
    ],
)
def test_it_greets_by_the_local_hour(hour: int, expected: str) -> None:
    assert greeting(datetime(2026, 11, 30, hour, 30, tzinfo=WITA), WITA) == expected


def test_it_greets_by_the_hour_where_the_employee_is() -> None:
    moment = datetime(2026, 11, 30, 2, 30, tzinfo=UTC)  # 10:30 WITA, 11:30 WIT
    assert (greeting(moment, WITA), greeting(moment, WIT)) == ("Selamat pagi", "Selamat siang")


def test_it_uses_names_as_stored_without_doubling_their_punctuation() -> None:
    context = {"nama": "Dr. H. Rahmat Hidayat, S.Kom., M.T.", "catatan": "Lengkap."}
    text = substitute("Halo, {nama}. Catatan: {catatan}. {tidak_dikenal}.", context)
    assert text == "Halo, Dr. H. Rahmat Hidayat, S.Kom., M.T. Catatan: Lengkap. {tidak_dikenal}."
    assert substitute("{nama}, silakan.", {"nama": "Siti Aminah"}) == "Siti Aminah, silakan."


def test_it_makes_every_message_link_absolute(settings: Any) -> None:
    settings.SITE_URL = "https://presensi.tapinkab.go.id"
    assert absolute_url("/klarifikasi/saya/") == "https://presensi.tapinkab.go.id/klarifikasi/saya/"
    assert absolute_url("https://contoh.go.id/x") == "https://contoh.go.id/x"
    assert absolute_url("") == ""


@pytest.mark.django_db
def test_it_sends_a_whatsapp_reminder_with_the_greeting_and_the_site_link(
    whatsapp: HttpSink, employee: Employee, clock: time_machine.Coordinates
) -> None:
    Employee.objects.filter(pk=employee.pk).update(
        phone="+6281111111111", name="Rahmat Hidayat, S.Kom."
    )

    assert reminders.queue_checkin_reminders(MONDAY).queued == 1
    assert outbox.send_due().sent == 1

    [request] = whatsapp.requests
    text = request.json()["message"]
    assert "Selamat pagi, Rahmat Hidayat, S.Kom. Hari ini Senin" in text
    assert ".." not in text
    assert text.endswith("\n\nhttps://presensi.tapinkab.go.id/")


@pytest.mark.django_db
def test_it_emails_the_absolute_link(smtp_server: Mailbox, employee: Employee) -> None:
    outbox.enqueue(
        channel="email",
        address="rahmat@tapinkab.go.id",
        subject="Klarifikasi presensi",
        body="Silakan jawab.",
        url="/klarifikasi/saya/",
    )

    assert outbox.send_due().sent == 1

    [envelope] = smtp_server.envelopes
    content = envelope.content.decode()
    assert "Silakan jawab.\r\n\r\nhttps://presensi.tapinkab.go.id/klarifikasi/saya/" in content


def test_it_greets_in_the_console_whatsapp_link_by_the_hour() -> None:
    evening = datetime(2026, 11, 30, 11, 0, tzinfo=UTC)  # 19:00 WITA: calling after work
    with time_machine.travel(evening, tick=False):
        link = whatsapp_link(phone="+6281234567890", name="Rahmat, S.Kom.", day=MONDAY)
    message = parse_qs(urlsplit(link).query)["text"][0]
    assert message.startswith("Selamat malam Bapak/Ibu Rahmat, S.Kom. Kami dari Tim IT")
    with time_machine.travel(evening - timedelta(hours=11), tick=False):  # 08:00 WITA
        link = whatsapp_link(phone="+6281234567890", name="Siti Aminah", day=MONDAY)
    assert parse_qs(urlsplit(link).query)["text"][0].startswith("Selamat pagi Bapak/Ibu Siti")
