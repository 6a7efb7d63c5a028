from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from govem.absences.clarifications import open_clarifications
from govem.absences.models import AbsenceRequest, Clarification
from govem.accounts.models import AuditEntry
from govem.attendance.days import recompute_days
from govem.attendance.models import DayRecord
from govem.operations.phases import steps_for
from tests.conftest import body_of, status_of
from tests.helpers.days import lay
from tests.helpers.files import assert_private, pdf_bytes
from tests.helpers.regency import logged_in

FRIDAY = date(2026, 11, 27)


def _cases(regency) -> list[Clarification]:
    recompute_days([regency.employee.pk, regency.other_employee.pk], FRIDAY, FRIDAY)
    open_clarifications(FRIDAY)
    return list(Clarification.objects.all())


def test_it_opens_one_case_per_missing_attendance_idempotently(clock, regency) -> None:
    cases = _cases(regency)
    assert {case.employee for case in cases} == {regency.employee, regency.other_employee}
    assert {case.kind for case in cases} == {"tk"}
    assert open_clarifications(FRIDAY)["created"] == 0
    assert Clarification.objects.count() == 2


def test_it_is_a_reconcile_step(clock, db) -> None:
    assert "clarifications" in [step.name for step in steps_for("reconcile")]


def test_it_lists_cases_with_whatsapp_for_the_operator_in_scope(clock, regency) -> None:
    _cases(regency)
    page = logged_in(regency.operator).get("/klarifikasi/", {"date": FRIDAY.isoformat()})
    body = page.content.decode()
    assert regency.employee.name in body
    assert "https://wa.me/6281234567890" in body
    assert regency.other_employee.name not in body


def test_it_files_an_approved_sick_request_from_the_outcome(clock, regency) -> None:
    case = next(c for c in _cases(regency) if c.employee == regency.employee)
    response = logged_in(regency.operator).post(
        f"/klarifikasi/{case.pk}/",
        {"outcome": "sick", "contact": "Telepon 08.10", "notes": "Demam"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "closed" and case.request is not None
    assert case.request.status == AbsenceRequest.Status.APPROVED
    assert case.request.type.code == "S"
    assert DayRecord.objects.get(employee=regency.employee, date=FRIDAY).status == "S"


def test_it_hides_cases_from_an_operator_of_another_unit(clock, regency) -> None:
    case = next(c for c in _cases(regency) if c.employee == regency.employee)
    page = logged_in(regency.outsider)
    response = page.post(f"/klarifikasi/{case.pk}/", {"outcome": "sick"})
    assert response.status_code == 404


def test_it_refuses_the_inovator_on_the_desk(clock, regency) -> None:
    case = next(c for c in _cases(regency) if c.employee == regency.employee)
    assert logged_in(regency.inovator).post(f"/klarifikasi/{case.pk}/", {}).status_code == 403


def test_it_lets_the_employee_answer_with_a_file(clock, regency) -> None:
    case = next(c for c in _cases(regency) if c.employee == regency.employee)
    page = logged_in(regency.employee.user)
    assert FRIDAY.strftime("%d-%m-%Y") in page.get("/klarifikasi/saya/").content.decode()
    response = page.post(
        "/klarifikasi/saya/",
        {
            "case": case.pk,
            "answer": "HP saya rusak",
            "attachment": SimpleUploadedFile("nota.pdf", pdf_bytes()),
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.answer == "HP saya rusak"
    assert case.answer_attachment_type == "application/pdf"
    assert_private(f"private/absences/{case.answer_attachment}")
    url = f"/klarifikasi/{case.pk}/lampiran/"
    assert body_of(logged_in(regency.operator).get(url)).startswith(b"%PDF-")
    assert status_of(logged_in(regency.outsider).get(url)) == 404
    assert status_of(logged_in(regency.colleague.user).get(url)) == 404


def test_it_does_not_let_an_employee_answer_someone_elses_case(clock, regency) -> None:
    case = next(c for c in _cases(regency) if c.employee == regency.employee)
    response = logged_in(regency.colleague.user).post(
        "/klarifikasi/saya/", {"case": case.pk, "answer": "x"}
    )
    assert response.status_code == 404


def test_it_logs_a_contact_on_the_desk_and_keeps_the_case_open(clock, regency) -> None:
    case = next(c for c in _cases(regency) if c.employee == regency.employee)
    desk = logged_in(regency.operator)
    page = desk.get("/klarifikasi/", {"date": FRIDAY.isoformat()}).content.decode()
    assert f'action="/klarifikasi/{case.pk}/kontak/"' in page
    response = desk.post(
        f"/klarifikasi/{case.pk}/kontak/", {"channel": "whatsapp", "note": "Belum dibalas"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Clarification.Status.OPEN
    [entry] = case.contact_log
    assert entry["channel"] == "whatsapp" and entry["note"] == "Belum dibalas"
    assert AuditEntry.objects.filter(
        action="clarification_contact", object_id=str(case.pk), actor=regency.operator
    ).exists()
    page = desk.get("/klarifikasi/", {"date": FRIDAY.isoformat()}).content.decode()
    assert "(WhatsApp): Belum dibalas" in page
    assert "30-11-2026" in page  # logged now, shown in local time
    assert f'action="/klarifikasi/{case.pk}/"' in page  # the outcome form is still there


def test_it_shows_a_refused_contact_on_the_desk(clock, regency) -> None:
    case = next(c for c in _cases(regency) if c.employee == regency.employee)
    response = logged_in(regency.operator).post(
        f"/klarifikasi/{case.pk}/kontak/", {"channel": "sms", "note": "x"}
    )
    assert response.status_code == 422
    assert "Saluran kontak tidak dikenal." in response.content.decode()
    case.refresh_from_db()
    assert case.contact_log == []


def test_it_scopes_the_contact_log_on_the_desk(clock, regency) -> None:
    case = next(c for c in _cases(regency) if c.employee == regency.employee)
    url = f"/klarifikasi/{case.pk}/kontak/"
    data = {"channel": "phone", "note": "x"}
    assert logged_in(regency.outsider).post(url, data).status_code == 404
    assert logged_in(regency.inovator).post(url, data).status_code == 403
    assert logged_in(regency.employee.user).post(url, data).status_code == 403
    case.refresh_from_db()
    assert case.contact_log == []


def test_it_does_not_let_an_operator_close_their_own_case(clock, regency) -> None:
    own = Clarification.objects.create(
        employee=regency.operator.employee, date=FRIDAY, kind=Clarification.Kind.TK
    )
    desk = logged_in(regency.operator)
    page = desk.get("/klarifikasi/", {"date": FRIDAY.isoformat()}).content.decode()
    assert f'action="/klarifikasi/{own.pk}/"' not in page
    assert desk.post(f"/klarifikasi/{own.pk}/", {"outcome": "sick"}).status_code == 404
    assert desk.post(f"/klarifikasi/{own.pk}/kontak/", {"channel": "phone"}).status_code == 404
    own.refresh_from_db()
    assert own.status == Clarification.Status.OPEN


def test_it_refuses_an_answer_without_text_on_the_page(clock, regency) -> None:
    case = next(c for c in _cases(regency) if c.employee == regency.employee)
    response = logged_in(regency.employee.user).post(
        "/klarifikasi/saya/", {"case": case.pk, "answer": " "}
    )
    assert response.status_code == 422
    assert 'data-error-code="invalid_input"' in response.content.decode()


def test_each_new_case_tells_the_employee_once(clock, regency, reachable) -> None:
    from govem.notify.absences import CLARIFY
    from govem.notify.models import Message

    recompute_days([regency.employee.pk, regency.other_employee.pk], FRIDAY, FRIDAY)
    result = open_clarifications(FRIDAY)
    # Dewi has no phone on file: nothing can reach her (the operator still sees her case).
    assert (result["created"], result["notified"]) == (2, 1)
    assert not Message.objects.filter(employee=regency.other_employee).exists()
    notice = Message.objects.get(template_key=CLARIFY, employee=regency.employee)
    assert "27 November 2026" in notice.body and "Tanpa keterangan" in notice.body
    assert notice.channel == "whatsapp"
    assert open_clarifications(FRIDAY)["notified"] == 0
    assert Message.objects.filter(template_key=CLARIFY).count() == 1


def test_an_operator_cannot_record_the_automatic_outcome(clock, regency) -> None:
    case = next(c for c in _cases(regency) if c.employee == regency.employee)
    client = logged_in(regency.operator)
    page = client.get("/klarifikasi/", {"date": FRIDAY.isoformat()}).content.decode()
    assert 'value="resolved"' not in page

    response = client.post(
        f"/klarifikasi/{case.pk}/", {"outcome": "resolved", "contact": "-", "notes": ""}
    )
    assert response.status_code == 422
    case.refresh_from_db()
    assert case.status == "open"


def test_the_desk_says_govems_own_closing_note_in_the_readers_language(clock, regency) -> None:
    _cases(regency)
    lay(regency.employee, FRIDAY, 7, 20, "in")
    lay(regency.employee, FRIDAY, 16, 5, "out")
    recompute_days([regency.employee.pk], FRIDAY, FRIDAY)
    open_clarifications(FRIDAY)
    case = Clarification.objects.get(employee=regency.employee)
    assert (case.status, case.notes) == (
        "closed",
        "Presensi tercatat kemudian; kasus ditutup otomatis.",
    )
    desk = logged_in(regency.operator)
    english = desk.get(
        "/klarifikasi/", {"date": FRIDAY.isoformat()}, headers={"accept-language": "en"}
    ).content.decode()
    assert english.count("Attendance was recorded later; case closed automatically.") == 2
    assert "ditutup otomatis" not in english
    indonesian = desk.get("/klarifikasi/", {"date": FRIDAY.isoformat()}).content.decode()
    assert indonesian.count("Presensi tercatat kemudian; kasus ditutup otomatis.") == 2
