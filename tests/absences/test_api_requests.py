from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from govem.absences.models import AbsenceRequest
from govem.accounts.models import AuditEntry
from govem.uploads import ATTACHMENT
from tests.conftest import ApiClient
from tests.helpers.files import assert_private, image_bytes, pdf_bytes


def _post(phone: ApiClient, **fields):
    data = {
        "type": "S",
        "start_date": "2026-12-01",
        "end_date": "2026-12-02",
        "reason": "Demam",
    }
    data.update(fields)
    return phone.client.post("/api/v1/requests", data, headers=phone._headers())


def test_it_files_a_sick_request_with_a_pdf_and_lists_it(clock, phone: ApiClient) -> None:
    letter = SimpleUploadedFile("surat.pdf", pdf_bytes(), content_type="application/pdf")
    response = _post(phone, attachment=letter)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "pending" and body["has_attachment"] is True
    stored = AbsenceRequest.objects.get(pk=body["id"])
    assert stored.attachment_type == "application/pdf"
    with ATTACHMENT.open_stored(stored.attachment) as stored_file:
        assert stored_file.read().startswith(b"%PDF-")
    assert_private(f"private/absences/{stored.attachment}")
    assert AuditEntry.objects.filter(object_type="absences.absencerequest").exists()
    listed = phone.get("/api/v1/requests").json()
    assert [item["id"] for item in listed] == [body["id"]]


def test_it_accepts_a_png_attachment(clock, phone: ApiClient) -> None:
    shot = SimpleUploadedFile("surat.png", image_bytes("PNG"), content_type="image/png")
    assert _post(phone, attachment=shot).status_code == 201


def test_it_refuses_a_fake_pdf(clock, phone: ApiClient) -> None:
    fake = SimpleUploadedFile("surat.pdf", b"%PDF-1.4 bukan pdf", content_type="application/pdf")
    response = _post(phone, attachment=fake)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "attachment_not_allowed"
    assert not AbsenceRequest.objects.exists()


def test_it_refuses_a_webp_attachment(clock, phone: ApiClient) -> None:
    webp = SimpleUploadedFile("surat.webp", image_bytes("WEBP"), content_type="image/webp")
    assert _post(phone, attachment=webp).json()["error"]["code"] == "attachment_not_allowed"


def test_it_refuses_an_oversized_attachment(clock, phone: ApiClient, settings) -> None:
    settings.GOVEM = {**settings.GOVEM, "ABSENCE_ATTACHMENT_MAX_BYTES": 1000}
    big = SimpleUploadedFile("surat.pdf", pdf_bytes() + b"\0" * 2000)
    response = _post(phone, attachment=big)
    assert response.json()["error"]["code"] == "attachment_too_large"


def test_it_refuses_an_end_before_the_start(clock, phone: ApiClient) -> None:
    response = _post(phone, start_date="2026-12-03", end_date="2026-12-01")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_range"


def test_it_refuses_an_overlapping_request(clock, phone: ApiClient) -> None:
    assert _post(phone).status_code == 201
    response = _post(phone, start_date="2026-12-02", end_date="2026-12-04")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "overlapping_request"


def test_it_requires_evidence_for_dinas_luar(clock, phone: ApiClient) -> None:
    response = _post(phone, type="DL")
    assert response.status_code == 422
    assert response.json()["error"]["details"]["field"] == "attachment"


def test_it_keeps_a_dinas_luar_location(clock, phone: ApiClient) -> None:
    letter = SimpleUploadedFile("spt.pdf", pdf_bytes(), content_type="application/pdf")
    response = _post(
        phone, type="DL", attachment=letter, latitude=-3.3, longitude=114.6, radius_m=200
    )
    assert response.status_code == 201, response.json()
    assert response.json()["location"]["radius_m"] == 200


def test_it_refuses_a_location_on_a_sick_request(clock, phone: ApiClient) -> None:
    response = _post(phone, latitude=-3.3, longitude=114.6, radius_m=200)
    assert response.status_code == 422


def test_it_requires_a_time_for_a_late_arrival(clock, phone: ApiClient) -> None:
    day = {"type": "I", "start_date": "2026-12-01", "end_date": "2026-12-01"}
    response = _post(phone, part_of_day="late_arrival", **day)
    assert response.json()["error"]["details"]["field"] == "time"
    response = _post(phone, part_of_day="late_arrival", time="09:00", **day)
    assert response.status_code == 201, response.json()
    assert response.json()["time"] == "09:00"


def took_leave_in_2025(employee) -> None:
    """Three days of CT in 2025: the two-untaken-years rule (24 days) does not apply."""
    from datetime import date

    from govem.absences.models import AbsenceType

    AbsenceRequest.objects.create(
        employee=employee,
        type=AbsenceType.objects.get(code="CT"),
        start_date=date(2025, 6, 2),
        end_date=date(2025, 6, 4),
        reason="Keluarga",
        status=AbsenceRequest.Status.APPROVED,
    )


def test_it_refuses_annual_leave_beyond_the_balance(clock, phone: ApiClient, employee) -> None:
    took_leave_in_2025(employee)
    # December 2026: 1 Dec is a Tuesday; 1-31 Dec holds more than 18 working days.
    response = _post(phone, type="CT", start_date="2026-12-01", end_date="2026-12-31")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "insufficient_leave_balance"
    assert error["details"]["remaining"] == 18


def test_it_counts_pending_annual_leave_against_the_balance(
    clock, phone: ApiClient, employee
) -> None:
    took_leave_in_2025(employee)
    first = _post(phone, type="CT", start_date="2026-12-01", end_date="2026-12-14")
    assert first.status_code == 201, first.json()
    second = _post(phone, type="CT", start_date="2026-12-15", end_date="2026-12-31")
    assert second.json()["error"]["code"] == "insufficient_leave_balance"
    assert second.json()["error"]["details"]["remaining"] == 8


def test_it_counts_a_punch_at_an_approved_dinas_luar_location_as_inside(
    clock, phone: ApiClient, employee
) -> None:
    from datetime import date

    from govem.absences.services import create_request, decide_request

    today = date(2026, 11, 30)
    away = {"latitude": -3.3194, "longitude": 114.5908, "accuracy_m": 10.0}
    before = phone.punch("in", **away)
    assert before.status_code >= 400
    item = create_request(
        employee=employee,
        type_code="DL",
        start_date=today,
        end_date=today,
        reason="Rapat di Banjarmasin",
        by=employee.user,
        attachment=SimpleUploadedFile("spt.pdf", pdf_bytes()),
        latitude=-3.3194,
        longitude=114.5908,
        radius_m=300,
    )
    decide_request(request=item, approve=True, by=employee.user)
    after = phone.punch("in", **away)
    assert after.status_code == 201, after.json()
