from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govem.accounts.models import AuditEntry
from govem.attendance.models import Punch
from govem.helpdesk.models import Ticket
from govem.helpdesk.services import create_ticket
from govem.people.models import Device
from tests.conftest import body_of, status_of
from tests.helpers.files import image_bytes
from tests.helpers.regency import logged_in


def _ticket(regency, **extra) -> Ticket:
    return create_ticket(
        employee=regency.employee,
        category="login",
        description="Ganti ponsel, tidak bisa masuk",
        by=regency.employee.user,
        **extra,
    )


def test_it_lets_an_employee_report_and_follow_a_problem(clock, regency) -> None:
    page = logged_in(regency.employee.user)
    response = page.post(
        "/kendala/",
        {
            "category": "location",
            "description": "Lokasi selalu di luar radius",
            "screenshot": SimpleUploadedFile("a.jpg", image_bytes("JPEG")),
        },
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    logged_in(regency.tim_it).post(
        f"/monitor/kendala/{ticket.pk}/balas/", {"body": "Coba aktifkan mode akurasi tinggi."}
    )
    listing = page.get("/kendala/").content.decode()
    assert "Lokasi selalu di luar radius" in listing
    assert "Coba aktifkan mode akurasi tinggi." in listing
    assert "Sedang ditangani" in listing
    shot = page.get(f"/kendala/{ticket.pk}/tangkapan-layar/")
    assert shot.status_code == 200
    assert shot["Content-Type"] == "image/jpeg"
    assert body_of(shot).startswith(b"\xff\xd8")  # the re-encoded JPEG


def test_it_refuses_a_text_file_posing_as_a_screenshot_on_the_page(clock, regency) -> None:
    response = logged_in(regency.employee.user).post(
        "/kendala/",
        {
            "category": "app_error",
            "description": "Aplikasi tertutup sendiri",
            "screenshot": SimpleUploadedFile("layar.png", b"hello, not a picture"),
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'data-error-code="screenshot_not_image"' in page
    assert "bukan gambar JPEG, PNG, atau WebP" in page
    assert not Ticket.objects.exists()


def test_it_serves_a_screenshot_only_to_those_who_may_see_the_ticket(clock, regency) -> None:
    ticket = _ticket(regency, screenshot=SimpleUploadedFile("a.png", image_bytes()))
    url = f"/kendala/{ticket.pk}/tangkapan-layar/"
    assert status_of(logged_in(regency.colleague.user).get(url)) == 404
    assert status_of(logged_in(regency.outsider).get(url)) == 404
    for reader in (regency.operator, regency.inovator):
        shot = logged_in(reader).get(url)
        assert shot.status_code == 200 and shot["Content-Type"].startswith("image/")
        assert body_of(shot)


def test_it_assigns_and_resolves_with_an_audit_trail(clock, regency) -> None:
    ticket = _ticket(regency)
    desk = logged_in(regency.tim_it)
    desk.post(f"/monitor/kendala/{ticket.pk}/tugaskan/", {"assignee": regency.tim_it.pk})
    desk.post(f"/monitor/kendala/{ticket.pk}/status/", {"status": "resolved", "note": "Beres."})
    ticket.refresh_from_db()
    assert ticket.assignee == regency.tim_it
    assert ticket.status == "resolved"
    assert ticket.resolved_at is not None
    updates = AuditEntry.objects.filter(object_type="helpdesk.ticket", action="update")
    assert updates.filter(actor=regency.tim_it).count() >= 2


def test_it_releases_the_device_binding_from_a_ticket(clock, client, regency, phone) -> None:
    ticket = _ticket(regency)
    response = logged_in(regency.tim_it).post(
        f"/monitor/kendala/{ticket.pk}/lepas-perangkat/", {"reason": "Ponsel rusak, ganti baru"}
    )
    assert response.status_code == 302
    device = Device.objects.get(employee=regency.employee)
    assert device.released_at is not None
    assert device.released_by == regency.tim_it
    assert AuditEntry.objects.filter(action="release_device", actor=regency.tim_it).exists()
    assert ticket.replies.filter(action="release_device").exists()


def test_it_enters_a_manual_punch_marked_as_manual_everywhere(clock, regency) -> None:
    ticket = _ticket(regency)
    day = timezone.localdate()
    desk = logged_in(regency.tim_it)
    refused = desk.post(
        f"/monitor/kendala/{ticket.pk}/presensi-manual/",
        {"kind": "in", "date": day.isoformat(), "time": "07:05:00", "reason": " "},
    )
    assert refused.status_code == 302
    assert not Punch.objects.exists()
    desk.post(
        f"/monitor/kendala/{ticket.pk}/presensi-manual/",
        {"kind": "in", "date": day.isoformat(), "time": "07:05:00", "reason": "GPS ponsel mati"},
    )
    punch = Punch.objects.get()
    assert (punch.source, punch.verdict, punch.note) == ("manual", "accepted", "GPS ponsel mati")
    assert punch.created_by == regency.tim_it
    assert timezone.localtime(punch.server_time).strftime("%H:%M") == "07:05"
    entry = AuditEntry.objects.get(action="manual_punch")
    assert entry.actor == regency.tim_it and entry.reason == "GPS ponsel mati"
    day_page = desk.get(f"/monitor/pegawai/{regency.employee.pk}/{day.isoformat()}/")
    assert "MANUAL" in day_page.content.decode()
    feed = desk.get("/monitor/feed", {"after": "0:0"}).json()["punches"]
    assert feed[0]["source"] == "manual" and feed[0]["text"].startswith("manual: ")
    own = regency.employee
    from govem.attendance.queries import punches_between

    assert punches_between(own, day, day)[0].source == "manual"


def test_it_refuses_a_manual_punch_in_the_future(clock, regency) -> None:
    from govem.errors import DomainError
    from govem.helpdesk.services import enter_manual_punch

    ticket = _ticket(regency)
    try:
        enter_manual_punch(
            employee=regency.employee,
            by=regency.tim_it,
            kind="in",
            at=timezone.now() + timedelta(hours=2),
            reason="uji",
            ticket=ticket,
        )
    except DomainError as error:
        assert error.details["field"] == "at"
    else:
        raise AssertionError("a future manual punch was accepted")


def test_it_recomputes_the_day_after_a_manual_punch(clock, regency) -> None:
    from govem.attendance.models import DayRecord

    ticket = _ticket(regency)
    day = timezone.localdate()
    logged_in(regency.tim_it).post(
        f"/monitor/kendala/{ticket.pk}/presensi-manual/",
        {"kind": "in", "date": day.isoformat(), "time": "07:05:00", "reason": "GPS ponsel mati"},
    )
    record = DayRecord.objects.get(employee=regency.employee, date=day)
    assert timezone.localtime(record.first_in).strftime("%H:%M") == "07:05"
    assert "H" in record.codes


def test_it_grants_an_alasan_teknis_exemption_for_the_day(clock, regency) -> None:
    from govem.absences.models import AbsenceRequest
    from govem.attendance.models import DayRecord

    ticket = _ticket(regency)
    day = timezone.localdate()
    response = logged_in(regency.tim_it).post(
        f"/monitor/kendala/{ticket.pk}/alasan-teknis/",
        {"date": day.isoformat(), "reason": "Server presensi gangguan 07.00–09.00"},
    )
    assert response.status_code == 302
    request = AbsenceRequest.objects.get(employee=regency.employee)
    assert (request.type.code, request.status, request.start_date) == ("AT", "approved", day)
    assert "AT" in DayRecord.objects.get(employee=regency.employee, date=day).codes
    assert ticket.replies.filter(action="exemption").exists()
    assert AuditEntry.objects.filter(action="grant_exemption", actor=regency.tim_it).exists()
    tiles = logged_in(regency.tim_it).get("/monitor/").context["tile_items"]
    assert dict((key, value) for key, _, value in tiles)["leave"] == 1
