"""Refusals speak the page's language: English when the browser or the footer switcher asks for
it, Indonesian by default; the stable code is the same in both (issue 11)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from govem.accounts.services import issue_token
from govem.helpdesk.models import Ticket
from govem.helpdesk.services import create_ticket
from govem.people.models import Device, Employee
from tests.english import indonesian_words
from tests.helpers.regency import logged_in

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}
_REFUSAL = re.compile(r'<(?:div|p)[^>]*data-error-code="([a-z_]+)"[^>]*>(.*?)</(?:div|p)>', re.S)


def refusal(page: Any) -> tuple[str, str]:
    """(code, text) of the one refusal shown on an HTML page."""
    html = page.content.decode()
    found = _REFUSAL.findall(html)
    assert len(found) == 1, found or html
    code, text = found[0]
    return code, " ".join(text.split())


def in_english(page: Any, code: str, message: str) -> None:
    shown_code, shown = refusal(page)
    assert (shown_code, shown) == (code, message)
    assert indonesian_words(shown) == []


def _ticket(regency: Any) -> Ticket:
    return create_ticket(
        employee=regency.employee,
        category="login",
        description="Ganti ponsel, tidak bisa masuk",
        by=regency.employee.user,
    )


def test_a_wrong_password_is_refused_in_english_on_the_english_login_page(
    client: Client, employee: Employee
) -> None:
    page = client.post("/masuk/", {"login": employee.nip, "password": "salah-sekali"}, headers=EN)
    assert page.status_code == 401
    assert "Sign in to Govem" in page.content.decode()
    in_english(page, "invalid_credentials", "Wrong NIP or password.")


def test_the_language_chosen_in_the_footer_switcher_translates_the_refusal(
    client: Client, employee: Employee
) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/masuk/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.post("/masuk/", {"login": employee.nip, "password": "salah-sekali"})
    in_english(page, "invalid_credentials", "Wrong NIP or password.")


def test_the_refusal_stays_indonesian_by_default(client: Client, employee: Employee) -> None:
    page = client.post("/masuk/", {"login": employee.nip, "password": "salah-sekali"})
    assert page.status_code == 401
    assert refusal(page) == ("invalid_credentials", "NIP atau kata sandi salah.")


def test_an_absence_ending_before_it_starts_is_refused_in_english(clock, regency) -> None:
    page = logged_in(regency.employee.user).post(
        "/pengajuan/",
        {"type": "S", "start_date": "2026-12-03", "end_date": "2026-12-01", "reason": "Demam"},
        headers=EN,
    )
    assert page.status_code == 422
    in_english(page, "invalid_range", "End date is before start date.")


def test_an_attachment_that_is_no_document_is_refused_in_english(clock, regency) -> None:
    page = logged_in(regency.employee.user).post(
        "/pengajuan/",
        {
            "type": "S",
            "start_date": "2026-12-01",
            "end_date": "2026-12-01",
            "reason": "Demam",
            "attachment": SimpleUploadedFile("surat.pdf", b"bukan pdf"),
        },
        headers=EN,
    )
    assert page.status_code == 422
    in_english(
        page, "attachment_not_allowed", "The attachment must be a valid PDF, JPEG or PNG file."
    )


def test_a_manual_punch_in_the_future_is_refused_in_english(clock, regency) -> None:
    ticket = _ticket(regency)
    later = timezone.localtime() + timedelta(hours=2)
    page = logged_in(regency.tim_it).post(
        f"/monitor/kendala/{ticket.pk}/presensi-manual/",
        {
            "kind": "in",
            "date": later.date().isoformat(),
            "time": later.strftime("%H:%M:%S"),
            "reason": "GPS ponsel mati",
        },
        headers=EN,
        follow=True,
    )
    in_english(page, "invalid_input", "A manual punch cannot be in the future.")
    assert not ticket.employee.punches.exists()


def test_a_device_release_without_a_reason_is_refused_in_english(clock, regency) -> None:
    Device.objects.create(employee=regency.employee, device_id="ponsel-lama-0001")
    ticket = _ticket(regency)
    page = logged_in(regency.tim_it).post(
        f"/monitor/kendala/{ticket.pk}/lepas-perangkat/", {"reason": " "}, headers=EN, follow=True
    )
    in_english(page, "invalid_input", "A reason for releasing the device is required.")
    assert Device.objects.get(employee=regency.employee).released_at is None


def test_verifying_the_report_of_a_future_date_is_refused_in_english(clock, regency) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    page = logged_in(regency.tim_it).post(
        "/laporan/verifikasi/",
        {"tanggal": tomorrow.isoformat(), "unit": ""},
        headers=EN,
        follow=True,
    )
    in_english(page, "invalid_input", "A report for a future date cannot be verified yet.")


def test_api_refusals_follow_accept_language_and_keep_their_code(client: Client, regency) -> None:
    raw, _token = issue_token(user=regency.employee.user, device=None)
    auth = {"Authorization": f"Bearer {raw}"}
    path = "/api/v1/days?from=2026-12-10&to=2026-12-01"
    english = client.get(path, headers={**auth, **EN})
    indonesian = client.get(path, headers=auth)
    assert english.status_code == indonesian.status_code == 422
    assert english.json()["error"]["code"] == indonesian.json()["error"]["code"] == "invalid_input"
    assert english.json()["error"]["message"] == "The 'to' date is before 'from'."
    assert indonesian.json()["error"]["message"] == "Tanggal 'to' sebelum 'from'."


def test_a_message_marked_at_module_level_is_translated_when_raised(
    client: Client, regency
) -> None:
    """READ_ONLY_MESSAGE is a gettext_noop constant: translated per request, served as str."""
    raw, _token = issue_token(user=regency.inovator, device=None)
    body = {"category": "login", "description": "Tidak bisa masuk"}
    refused = client.post("/api/v1/tickets", body, headers={"Authorization": f"Bearer {raw}", **EN})
    assert refused.status_code == 403
    assert refused.json()["error"] == {
        "code": "read_only",
        "message": "Your role can only view data.",
        "details": {},
    }


def test_the_lockout_counts_minutes_in_english(db: Any, settings: Any) -> None:
    from django.utils import translation

    from govem.accounts.services import lockout_error

    settings.AXES_COOLOFF_TIME = 1 / 60
    with translation.override("en"):
        assert lockout_error().message == (
            "Too many failed sign-in attempts. Try again in 1 minute."
        )
    settings.AXES_COOLOFF_TIME = 0.25
    with translation.override("en"):
        assert lockout_error().message.endswith("Try again in 15 minutes.")
    with translation.override("id"):
        assert lockout_error().message.endswith("Coba lagi dalam 15 menit.")
