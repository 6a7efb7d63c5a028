from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from govem.absences.models import AbsenceRequest
from govem.absences.services import create_request
from govem.accounts.models import AuditEntry
from govem.attendance.models import DayRecord
from tests.conftest import body_of, status_of
from tests.helpers.files import pdf_bytes
from tests.helpers.regency import logged_in


def _request(regency, **extra) -> AbsenceRequest:
    fields = {
        "employee": regency.employee,
        "type_code": "S",
        "start_date": date(2026, 12, 1),
        "end_date": date(2026, 12, 1),
        "reason": "Demam tinggi",
        "by": regency.employee.user,
        "attachment": SimpleUploadedFile("surat.pdf", pdf_bytes()),
    }
    fields.update(extra)
    return create_request(**fields)


def test_it_lets_an_employee_file_a_request_on_the_page(clock, regency) -> None:
    page = logged_in(regency.employee.user)
    response = page.post(
        "/pengajuan/",
        {
            "type": "S",
            "start_date": "2026-12-01",
            "end_date": "2026-12-01",
            "reason": "Demam",
            "attachment": SimpleUploadedFile("surat.pdf", pdf_bytes()),
        },
    )
    assert response.status_code == 302
    assert "Demam" in page.get("/pengajuan/").content.decode()


def test_it_shows_the_refusal_on_the_page(clock, regency) -> None:
    response = logged_in(regency.employee.user).post(
        "/pengajuan/",
        {"type": "S", "start_date": "2026-12-03", "end_date": "2026-12-01", "reason": "x"},
    )
    assert response.status_code == 422
    assert 'data-error-code="invalid_range"' in response.content.decode()


def test_it_lets_the_supervisor_approve_and_recomputes_the_day(clock, regency) -> None:
    friday = date(2026, 11, 27)
    item = _request(regency, start_date=friday, end_date=friday)
    page = logged_in(regency.supervisor.user)
    assert "Demam tinggi" in page.get("/pengajuan/persetujuan/").content.decode()
    response = page.post(f"/pengajuan/{item.pk}/putuskan/", {"decision": "approve"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == AbsenceRequest.Status.APPROVED
    assert item.decided_by == regency.supervisor.user
    day = DayRecord.objects.get(employee=regency.employee, date=friday)
    assert day.status == "S"
    assert AuditEntry.objects.filter(
        object_type="absences.absencerequest", action="update"
    ).exists()


def test_it_lets_the_unit_operator_reject_with_a_note(clock, regency) -> None:
    item = _request(regency)
    page = logged_in(regency.operator)
    page.post(f"/pengajuan/{item.pk}/putuskan/", {"decision": "reject", "note": "Tanpa surat"})
    item.refresh_from_db()
    assert item.status == AbsenceRequest.Status.REJECTED
    assert item.note == "Tanpa surat"


def test_it_requires_a_note_to_reject(clock, regency) -> None:
    item = _request(regency)
    logged_in(regency.operator).post(f"/pengajuan/{item.pk}/putuskan/", {"decision": "reject"})
    item.refresh_from_db()
    assert item.status == AbsenceRequest.Status.PENDING


def test_it_hides_requests_from_an_operator_of_another_unit(clock, regency) -> None:
    item = _request(regency)
    page = logged_in(regency.outsider)
    assert "Demam tinggi" not in page.get("/pengajuan/persetujuan/").content.decode()
    response = page.post(f"/pengajuan/{item.pk}/putuskan/", {"decision": "approve"})
    assert response.status_code == 404
    assert status_of(page.get(f"/pengajuan/{item.pk}/lampiran/")) == 404
    item.refresh_from_db()
    assert item.status == AbsenceRequest.Status.PENDING


def test_it_refuses_writes_by_the_inovator(clock, regency) -> None:
    item = _request(regency)
    page = logged_in(regency.inovator)
    assert page.post(f"/pengajuan/{item.pk}/putuskan/", {"decision": "approve"}).status_code == 403
    assert page.get("/pengajuan/persetujuan/").status_code == 403
    assert body_of(page.get(f"/pengajuan/{item.pk}/lampiran/")).startswith(b"%PDF-")


def test_it_does_not_let_an_employee_approve_their_own_request(clock, regency) -> None:
    item = _request(regency)
    page = logged_in(regency.employee.user)
    assert page.post(f"/pengajuan/{item.pk}/putuskan/", {"decision": "approve"}).status_code == 404


def test_it_serves_the_attachment_only_to_those_allowed(clock, regency) -> None:
    item = _request(regency)
    owner = logged_in(regency.employee.user).get(f"/pengajuan/{item.pk}/lampiran/")
    assert owner.status_code == 200
    assert owner["Content-Type"] == "application/pdf"
    assert body_of(owner).startswith(b"%PDF-")
    url = f"/pengajuan/{item.pk}/lampiran/"
    assert body_of(logged_in(regency.supervisor.user).get(url)).startswith(b"%PDF-")
    assert body_of(logged_in(regency.tim_it).get(url)).startswith(b"%PDF-")
    assert status_of(logged_in(regency.colleague.user).get(url)) == 404
