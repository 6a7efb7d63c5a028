"""API v1 clarifications: the employee's own open cases and answer; operators' cases,
contact attempts and outcomes, scoped (outsiders 404, Inovator 403 on writes)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from govem.absences.clarifications import open_clarifications
from govem.absences.models import AbsenceRequest, Clarification
from govem.accounts import roles
from govem.accounts.models import AuditEntry
from govem.attendance.days import recompute_days
from govem.attendance.models import DayRecord
from tests.absences.conftest import FRIDAY
from tests.conftest import make_employee
from tests.helpers.files import pdf_bytes
from tests.helpers.regency import bearer, grant

URL = "/api/v1/clarifications"


def _cases(regency) -> tuple[Clarification, Clarification]:
    recompute_days([regency.employee.pk, regency.other_employee.pk], FRIDAY, FRIDAY)
    open_clarifications(FRIDAY)
    return (
        Clarification.objects.get(employee=regency.employee),
        Clarification.objects.get(employee=regency.other_employee),
    )


def _list(client, user, **params):
    return client.get(URL, params, headers=bearer(user))


def _post(client, user, path: str, body: dict):
    return client.post(path, body, content_type="application/json", headers=bearer(user))


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()]


# GET -------------------------------------------------------------------------------------


def test_it_lists_the_employees_own_open_cases(clock, regency, client) -> None:
    mine, _ = _cases(regency)
    response = _list(client, regency.employee.user)
    assert _ids(response) == [mine.pk]
    item = response.json()[0]
    assert item["date"] == "2026-11-27" and item["kind"] == "tk" and item["status"] == "open"
    assert item["kind_name"] == "Tanpa keterangan (TK)"
    assert "contact_log" not in item and "employee" not in item
    Clarification.objects.filter(pk=mine.pk).update(status="closed")
    assert _ids(_list(client, regency.employee.user)) == []
    assert _ids(_list(client, regency.employee.user, status="closed")) == [mine.pk]


def test_it_lists_the_cases_in_the_operators_scope(clock, regency, client) -> None:
    mine, other = _cases(regency)
    response = _list(client, regency.operator, date="2026-11-27")
    assert _ids(response) == [mine.pk]
    item = response.json()[0]
    assert item["employee"]["name"] == regency.employee.name
    assert item["employee"]["phone"] == regency.employee.phone
    assert item["contact_log"] == []
    assert _ids(_list(client, regency.outsider)) == [other.pk]
    assert _ids(_list(client, regency.operator, date="2026-11-26")) == []
    assert _ids(_list(client, regency.operator, status="closed")) == []


def test_it_lists_every_case_for_tim_it_and_the_inovator(clock, regency, client) -> None:
    mine, other = _cases(regency)
    assert set(_ids(_list(client, regency.tim_it))) == {mine.pk, other.pk}
    assert set(_ids(_list(client, regency.inovator))) == {mine.pk, other.pk}
    unit = _list(client, regency.tim_it, unit=regency.other_unit.pk)
    assert _ids(unit) == [other.pk]


def test_it_refuses_a_unit_outside_the_scope_and_a_bad_status(clock, regency, client) -> None:
    _cases(regency)
    response = _list(client, regency.operator, unit=regency.other_unit.pk)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    response = _list(client, regency.operator, status="semua")
    assert response.status_code == 422
    # The schema's enum (open, closed) refuses it, naming the field like any invalid input.
    assert response.json()["error"]["details"]["fields"][0]["field"] == "status"
    assert _list(client, regency.operator, date="27-11-2026").status_code == 422


def test_it_lists_an_operators_own_cases_with_mine(clock, regency, client) -> None:
    mine, _ = _cases(regency)
    own = Clarification.objects.create(
        employee=regency.operator.employee, date=FRIDAY, kind=Clarification.Kind.TK
    )
    assert set(_ids(_list(client, regency.operator))) == {mine.pk, own.pk}
    assert _ids(_list(client, regency.operator, mine="true")) == [own.pk]


def test_it_asks_for_a_token(clock, regency, client) -> None:
    assert client.get(URL).status_code == 401


# answer ----------------------------------------------------------------------------------


def _answer(client, user, case, **fields):
    data = {"answer": "HP saya mati, lupa presensi pulang"}
    data.update(fields)
    return client.post(f"{URL}/{case.pk}/answer", data, headers=bearer(user))


def test_it_takes_the_employees_answer_with_a_file(clock, regency, client) -> None:
    mine, _ = _cases(regency)
    letter = SimpleUploadedFile("nota.pdf", pdf_bytes(), content_type="application/pdf")
    response = _answer(client, regency.employee.user, mine, attachment=letter)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["answer"] == "HP saya mati, lupa presensi pulang"
    assert body["has_answer_attachment"] is True and body["status"] == "open"
    mine.refresh_from_db()
    assert mine.answer_attachment_type == "application/pdf"


def test_it_refuses_an_empty_answer_and_a_fake_file(clock, regency, client) -> None:
    mine, _ = _cases(regency)
    response = _answer(client, regency.employee.user, mine, answer="  ")
    assert response.status_code == 422
    assert [item["field"] for item in response.json()["error"]["details"]["fields"]] == ["answer"]
    fake = SimpleUploadedFile("nota.pdf", b"%PDF-1.4 bukan pdf")
    response = _answer(client, regency.employee.user, mine, attachment=fake)
    assert response.json()["error"]["code"] == "attachment_not_allowed"
    mine.refresh_from_db()
    assert mine.answer == "" and mine.answer_attachment == ""


def test_it_lets_nobody_else_answer(clock, regency, client) -> None:
    mine, _ = _cases(regency)
    assert _answer(client, regency.colleague.user, mine).status_code == 404
    assert _answer(client, regency.operator, mine).status_code == 404
    response = _answer(client, regency.inovator, mine)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "read_only"
    mine.refresh_from_db()
    assert mine.answer == ""


def test_it_refuses_an_answer_to_a_closed_case(clock, regency, client) -> None:
    mine, _ = _cases(regency)
    Clarification.objects.filter(pk=mine.pk).update(status="closed")
    response = _answer(client, regency.employee.user, mine)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_closed"


# contacts --------------------------------------------------------------------------------


def test_it_logs_a_contact_attempt_without_closing_the_case(clock, regency, client) -> None:
    mine, _ = _cases(regency)
    path = f"{URL}/{mine.pk}/contacts"
    body = {"channel": "phone", "note": "Tidak diangkat"}
    response = _post(client, regency.operator, path, body)
    assert response.status_code == 201, response.json()
    case = response.json()
    assert case["status"] == "open"
    [entry] = case["contact_log"]
    assert entry["channel"] == "phone" and entry["note"] == "Tidak diangkat"
    assert entry["by"] == regency.operator.username
    body = {"channel": "whatsapp", "note": "Pesan terkirim"}
    response = _post(client, regency.operator, path, body)
    assert [e["channel"] for e in response.json()["contact_log"]] == ["phone", "whatsapp"]
    mine.refresh_from_db()
    assert mine.status == Clarification.Status.OPEN and mine.operator == regency.operator
    audits = AuditEntry.objects.filter(action="clarification_contact", object_id=str(mine.pk))
    assert audits.count() == 2
    assert audits.filter(actor=regency.operator, reason="Tidak diangkat").exists()


def test_it_refuses_an_unknown_channel(clock, regency, client) -> None:
    mine, _ = _cases(regency)
    body = {"channel": "sms", "note": "x"}
    response = _post(client, regency.operator, f"{URL}/{mine.pk}/contacts", body)
    assert response.status_code == 422
    assert [item["field"] for item in response.json()["error"]["details"]["fields"]] == ["channel"]
    mine.refresh_from_db()
    assert mine.contact_log == []


def test_it_scopes_contacts_and_outcomes(clock, regency, client) -> None:
    mine, _ = _cases(regency)
    for action, body in (
        ("contacts", {"channel": "phone", "note": "x"}),
        ("outcome", {"outcome": "unreachable"}),
    ):
        path = f"{URL}/{mine.pk}/{action}"
        outsider = _post(client, regency.outsider, path, body)
        assert outsider.status_code == 404
        assert outsider.json()["error"]["code"] == "not_found"
        inovator = _post(client, regency.inovator, path, body)
        assert inovator.status_code == 403
        assert inovator.json()["error"]["code"] == "read_only"
        for user in (regency.employee.user, regency.supervisor.user):
            refused = _post(client, user, path, body)
            assert refused.status_code == 403
            assert refused.json()["error"]["code"] == "forbidden"
    mine.refresh_from_db()
    assert mine.status == Clarification.Status.OPEN and mine.contact_log == []


def test_it_does_not_let_an_operator_work_their_own_case(clock, regency, client) -> None:
    own = Clarification.objects.create(
        employee=regency.operator.employee, date=FRIDAY, kind=Clarification.Kind.TK
    )
    path = f"{URL}/{own.pk}/outcome"
    assert _post(client, regency.operator, path, {"outcome": "sick"}).status_code == 404
    boss = make_employee(regency.unit, "196501011990031001", "Kepala Dinas")
    grant(boss.user, roles.PEGAWAI, roles.OPERATOR)
    response = _post(client, boss.user, path, {"outcome": "sick", "notes": "Demam"})
    assert response.status_code == 200, response.json()


# outcome ---------------------------------------------------------------------------------


def test_it_records_the_outcome_like_the_desk(clock, regency, client) -> None:
    mine, _ = _cases(regency)
    body = {"outcome": "duty", "contact": "WA 09.00", "notes": "Rapat di Banjarmasin"}
    response = _post(client, regency.operator, f"{URL}/{mine.pk}/outcome", body)
    assert response.status_code == 200, response.json()
    case = response.json()
    assert case["status"] == "closed" and case["outcome"] == "duty"
    assert case["outcome_name"] == "Dinas" and case["notes"] == "Rapat di Banjarmasin"
    request = AbsenceRequest.objects.get(pk=case["request_id"])
    assert request.status == AbsenceRequest.Status.APPROVED and request.type.code == "DL"
    assert DayRecord.objects.get(employee=regency.employee, date=FRIDAY).status == "DL"
    again = _post(client, regency.operator, f"{URL}/{mine.pk}/outcome", body)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_closed"
    contact = _post(client, regency.operator, f"{URL}/{mine.pk}/contacts", {"channel": "phone"})
    assert contact.status_code == 409


def test_it_refuses_an_unknown_outcome(clock, regency, client) -> None:
    mine, _ = _cases(regency)
    response = _post(client, regency.tim_it, f"{URL}/{mine.pk}/outcome", {"outcome": "libur"})
    assert response.status_code == 422
    assert [item["field"] for item in response.json()["error"]["details"]["fields"]] == ["outcome"]


def test_it_describes_the_endpoints_in_openapi(clock, db, client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"get"} <= set(paths[URL])
    for action in ("answer", "contacts", "outcome"):
        assert "post" in paths[f"{URL}/{{case_id}}/{action}"]
