"""A verified (locked) day changes only with a reason: every absences path that changes days.

Without the reason the path is refused with 409 ``day_locked`` and nothing is written; with
it the day changes and an audit entry keeps the reason with the day's before and after.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govem.absences.clarifications import open_clarifications, record_outcome
from govem.absences.models import AbsenceRequest, Clarification
from govem.absences.services import create_request, decide_request, grant_technical_exemption
from govem.accounts.models import AuditEntry
from govem.attendance.days import recompute_days
from govem.attendance.models import DayRecord
from govem.errors import DomainError
from govem.notify.models import Message
from tests.absences.conftest import FRIDAY
from tests.helpers.files import pdf_bytes
from tests.helpers.regency import bearer, logged_in


def _lock(employee, day: date = FRIDAY) -> DayRecord:
    recompute_days([employee.pk], day, day)
    DayRecord.objects.filter(employee=employee, date=day).update(
        locked=True, lock_reason="Diverifikasi"
    )
    return DayRecord.objects.get(employee=employee, date=day)


def _day(employee, day: date = FRIDAY) -> DayRecord:
    return DayRecord.objects.get(employee=employee, date=day)


def _sick(regency, day: date = FRIDAY) -> AbsenceRequest:
    return create_request(
        employee=regency.employee,
        type_code="S",
        start_date=day,
        end_date=day,
        reason="Demam tinggi",
        by=regency.employee.user,
        attachment=SimpleUploadedFile("surat.pdf", pdf_bytes()),
    )


def _locked_audits():
    return AuditEntry.objects.filter(action="recompute_locked_day")


def _case(regency) -> Clarification:
    open_clarifications(FRIDAY)
    return Clarification.objects.get(employee=regency.employee, date=FRIDAY)


# decide_request -------------------------------------------------------------------------


def test_it_refuses_an_approval_over_a_locked_day_without_a_note(clock, regency) -> None:
    item = _sick(regency)
    assert _lock(regency.employee).status == "TK"
    with pytest.raises(DomainError) as refused:
        decide_request(request=item, approve=True, by=regency.supervisor.user, note="  ")
    assert refused.value.code == "day_locked" and refused.value.status == 409
    assert refused.value.details == {"dates": [FRIDAY.isoformat()]}
    assert "27-11-2026" in refused.value.message
    item.refresh_from_db()
    assert item.status == AbsenceRequest.Status.PENDING and item.decided_at is None
    assert _day(regency.employee).status == "TK"
    assert not _locked_audits().exists()
    assert not AuditEntry.objects.filter(
        object_type="absences.absencerequest", action="update"
    ).exists()


def test_it_approves_over_a_locked_day_with_the_note_as_reason(clock, regency) -> None:
    item = _sick(regency)
    _lock(regency.employee)
    decide_request(
        request=item, approve=True, by=regency.supervisor.user, note="Surat dokter menyusul"
    )
    item.refresh_from_db()
    assert item.status == AbsenceRequest.Status.APPROVED
    day = _day(regency.employee)
    assert day.status == "S" and day.locked
    entry = _locked_audits().get()
    assert entry.reason == f"Pengajuan {item.pk} disetujui: Surat dokter menyusul"
    assert entry.before["status"] == "TK" and entry.after["status"] == "S"
    assert entry.actor == regency.supervisor.user


def test_it_rejects_over_a_locked_day_without_a_note(clock, regency) -> None:
    item = _sick(regency)
    _lock(regency.employee)
    decide_request(request=item, approve=False, by=regency.supervisor.user)
    item.refresh_from_db()
    assert item.status == AbsenceRequest.Status.REJECTED
    assert _day(regency.employee).status == "TK"


def test_it_keeps_a_note_optional_when_no_day_is_locked(clock, regency) -> None:
    item = _sick(regency)
    recompute_days([regency.employee.pk], FRIDAY, FRIDAY)
    listed = logged_in(regency.supervisor.user).get("/pengajuan/persetujuan/").content.decode()
    assert "Demam tinggi" in listed and "dikunci" not in listed
    decide_request(request=item, approve=True, by=regency.supervisor.user)
    assert _day(regency.employee).status == "S"
    assert not _locked_audits().exists()


def test_it_asks_for_the_note_on_the_approvals_page_and_takes_the_retry(
    clock, regency, django_capture_on_commit_callbacks
) -> None:
    item = _sick(regency)
    _lock(regency.employee)
    page = logged_in(regency.supervisor.user)
    listed = page.get("/pengajuan/persetujuan/").content.decode()
    assert "sudah diverifikasi (dikunci): persetujuan memerlukan catatan" in listed
    response = page.post(f"/pengajuan/{item.pk}/putuskan/", {"decision": "approve"})
    assert response.status_code == 409
    body = response.content.decode()
    assert 'data-error-code="day_locked"' in body
    assert "sudah diverifikasi dan dikunci" in body
    assert f'id="note-{item.pk}"' in body and "required" in body
    item.refresh_from_db()
    assert item.status == AbsenceRequest.Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        response = page.post(
            f"/pengajuan/{item.pk}/putuskan/", {"decision": "approve", "note": "Sudah dicek"}
        )
    assert response.status_code == 302
    assert _day(regency.employee).status == "S"
    assert "Sudah dicek" in _locked_audits().get().reason


# clarification outcomes -----------------------------------------------------------------


def test_it_refuses_an_excusing_outcome_on_a_locked_day_without_notes(clock, regency) -> None:
    _lock(regency.employee)
    case = _case(regency)
    with pytest.raises(DomainError) as refused:
        record_outcome(case=case, outcome="sick", contact="Telepon", notes="", by=regency.operator)
    assert refused.value.code == "day_locked"
    case.refresh_from_db()
    assert case.status == Clarification.Status.OPEN and case.contact_log == []
    assert case.request is None
    assert not AbsenceRequest.objects.exists()
    assert _day(regency.employee).status == "TK"
    assert not _locked_audits().exists()


def test_it_files_the_outcome_on_a_locked_day_with_notes(clock, regency) -> None:
    _lock(regency.employee)
    case = _case(regency)
    record_outcome(
        case=case, outcome="sick", contact="Telepon", notes="Demam, surat RS", by=regency.operator
    )
    case.refresh_from_db()
    assert case.status == Clarification.Status.CLOSED
    assert case.request.status == AbsenceRequest.Status.APPROVED
    assert _day(regency.employee).status == "S"
    entry = _locked_audits().get()
    assert "Demam, surat RS" in entry.reason
    assert entry.before["status"] == "TK" and entry.after["status"] == "S"


def test_it_closes_a_non_excusing_outcome_on_a_locked_day_without_notes(clock, regency) -> None:
    _lock(regency.employee)
    case = _case(regency)
    record_outcome(case=case, outcome="unreachable", contact="", notes="", by=regency.operator)
    case.refresh_from_db()
    assert case.status == Clarification.Status.CLOSED
    assert _day(regency.employee).status == "TK"


def test_it_shows_day_locked_on_the_desk_and_takes_the_retry(clock, regency) -> None:
    _lock(regency.employee)
    case = _case(regency)
    desk = logged_in(regency.operator)
    listed = desk.get("/klarifikasi/", {"date": FRIDAY.isoformat()}).content.decode()
    assert "sudah diverifikasi (dikunci): hasil sakit, dinas, atau alasan teknis" in listed
    response = desk.post(
        f"/klarifikasi/{case.pk}/", {"outcome": "sick", "contact": "Telepon 08.10", "notes": ""}
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert 'data-error-code="day_locked"' in body and "dikunci" in body
    assert 'value="Telepon 08.10"' in body  # the form as typed, to retry
    case.refresh_from_db()
    assert case.status == Clarification.Status.OPEN
    assert not AbsenceRequest.objects.exists()
    response = desk.post(
        f"/klarifikasi/{case.pk}/",
        {"outcome": "sick", "contact": "Telepon 08.10", "notes": "Surat dokter"},
    )
    assert response.status_code == 302
    assert _day(regency.employee).status == "S"
    assert "Surat dokter" in _locked_audits().get().reason


def test_it_answers_day_locked_on_the_api_outcome(clock, regency, client) -> None:
    _lock(regency.employee)
    case = _case(regency)
    url = f"/api/v1/clarifications/{case.pk}/outcome"
    headers = bearer(regency.operator)
    response = client.post(
        url, {"outcome": "technical"}, content_type="application/json", headers=headers
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "day_locked" and "dikunci" in error["message"]
    assert error["details"]["dates"] == [FRIDAY.isoformat()]
    case.refresh_from_db()
    assert case.status == Clarification.Status.OPEN
    assert not AbsenceRequest.objects.exists()
    response = client.post(
        url,
        {"outcome": "technical", "notes": "GPS ponsel rusak, sudah dicek"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "closed"
    assert _day(regency.employee).status == "AT"
    assert "GPS ponsel rusak" in _locked_audits().get().reason


# alasan teknis --------------------------------------------------------------------------


def test_it_grants_alasan_teknis_on_a_locked_day_with_the_reason(clock, regency) -> None:
    _lock(regency.employee)
    grant_technical_exemption(
        employee=regency.employee, day=FRIDAY, reason="Server mati 07.00-09.00", by=regency.tim_it
    )
    assert _day(regency.employee).status == "AT"
    entry = _locked_audits().get()
    assert "Server mati 07.00-09.00" in entry.reason
    assert entry.before["status"] == "TK" and entry.after["status"] == "AT"


def test_it_refuses_alasan_teknis_without_a_reason_and_writes_nothing(clock, regency) -> None:
    _lock(regency.employee)
    with pytest.raises(DomainError) as refused:
        grant_technical_exemption(
            employee=regency.employee, day=FRIDAY, reason=" ", by=regency.tim_it
        )
    assert refused.value.code == "invalid_input"
    assert not AbsenceRequest.objects.exists()
    assert _day(regency.employee).status == "TK"


# admin ----------------------------------------------------------------------------------


def _admin_form(item: AbsenceRequest, **changes: str) -> dict[str, str]:
    data = {
        "employee": str(item.employee_id),
        "type": str(item.type_id),
        "start_date": item.start_date.isoformat(),
        "end_date": item.end_date.isoformat(),
        "part_of_day": "",
        "time": "",
        "reason": item.reason,
        "status": item.status,
        "note": "",
        "latitude": "",
        "longitude": "",
        "radius_m": "",
    }
    data.update(changes)
    return data


def test_it_asks_for_a_note_in_the_admin_before_approving_a_locked_day(
    clock, regency, django_user_model
) -> None:
    item = _sick(regency)
    _lock(regency.employee)
    admin = django_user_model.objects.create_superuser("admin", password="x")
    page = logged_in(admin)
    url = f"/admin/absences/absencerequest/{item.pk}/change/"
    response = page.post(url, _admin_form(item, status="approved"))
    assert response.status_code == 200
    assert "sudah diverifikasi dan dikunci" in response.content.decode()
    item.refresh_from_db()
    assert item.status == AbsenceRequest.Status.PENDING
    response = page.post(url, _admin_form(item, status="approved", note="Dicek ulang"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == AbsenceRequest.Status.APPROVED
    assert _day(regency.employee).status == "S"
    assert "Dicek ulang" in _locked_audits().get().reason


def test_it_sends_no_message_when_the_approval_is_refused(
    clock, regency, reachable, django_capture_on_commit_callbacks
) -> None:
    item = _sick(regency)
    _lock(regency.employee)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        decide_request(request=item, approve=True, by=regency.supervisor.user)
    assert not Message.objects.exists()
