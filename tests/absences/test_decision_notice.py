"""The employee is told of the decision on a request, through the outbox, once committed."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govem.absences.models import AbsenceRequest
from govem.absences.services import create_request, decide_request, grant_technical_exemption
from govem.errors import DomainError
from govem.notify.absences import DECIDED
from govem.notify.models import Message, MessageTemplate
from tests.helpers.files import pdf_bytes
from tests.helpers.regency import logged_in

DAY = date(2026, 12, 1)


def _request(regency) -> AbsenceRequest:
    return create_request(
        employee=regency.employee,
        type_code="S",
        start_date=DAY,
        end_date=DAY,
        reason="Demam tinggi",
        by=regency.employee.user,
        attachment=SimpleUploadedFile("surat.pdf", pdf_bytes()),
    )


def test_it_has_an_editable_template_seeded(db) -> None:
    template = MessageTemplate.objects.get(key=DECIDED, channel=MessageTemplate.ANY)
    assert "{keputusan}" in template.body and "{catatan}" in template.body


def test_it_queues_one_message_when_a_request_is_approved(
    clock, regency, reachable, django_capture_on_commit_callbacks
) -> None:
    item = _request(regency)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        decide_request(request=item, approve=True, by=regency.supervisor.user, note="Lekas sembuh")
        assert not Message.objects.exists()  # not before the decision is committed
    assert len(callbacks) == 1
    message = Message.objects.get()
    assert message.employee == regency.employee
    assert message.channel == "whatsapp" and message.address == regency.employee.phone
    assert message.template_key == DECIDED and message.status == Message.Status.QUEUED
    assert message.subject == "Pengajuan Sakit 1 Desember 2026 disetujui"
    assert "disetujui oleh Budi Santoso" in message.body
    assert "Catatan: Lekas sembuh" in message.body
    assert message.body.startswith(f"Selamat pagi, {regency.employee.name}. Pengajuan")
    assert message.url == "/pengajuan/"


def test_it_queues_one_message_when_a_request_is_rejected_on_the_page(
    clock, regency, reachable, django_capture_on_commit_callbacks
) -> None:
    item = _request(regency)
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(regency.operator).post(
            f"/pengajuan/{item.pk}/putuskan/", {"decision": "reject", "note": "Tanpa surat RS"}
        )
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.employee == regency.employee
    assert "ditolak" in message.subject
    assert "Catatan: Tanpa surat RS" in message.body


def test_it_uses_the_template_as_the_it_team_edited_it(
    clock, regency, reachable, django_capture_on_commit_callbacks
) -> None:
    MessageTemplate.objects.filter(key=DECIDED).update(
        subject="Keputusan: {keputusan}", body="Yth. {nama}: {jenis} {keputusan}. {catatan}"
    )
    item = _request(regency)
    with django_capture_on_commit_callbacks(execute=True):
        decide_request(request=item, approve=False, by=regency.supervisor.user, note="Kurang")
    message = Message.objects.get()
    assert message.subject == "Keputusan: ditolak"
    assert message.body == f"Yth. {regency.employee.name}: Sakit ditolak. Kurang"


def test_it_sends_nothing_when_the_decision_is_refused(
    clock, regency, reachable, django_capture_on_commit_callbacks
) -> None:
    item = _request(regency)
    with django_capture_on_commit_callbacks(execute=True):
        decide_request(request=item, approve=True, by=regency.supervisor.user)
    assert Message.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as refused:
        decide_request(request=item, approve=False, by=regency.supervisor.user, note="Ubah")
    assert refused.value.code == "already_decided"
    assert Message.objects.count() == 1


def test_it_sends_nothing_when_a_rejection_lacks_its_note_on_the_page(
    clock, regency, reachable, django_capture_on_commit_callbacks
) -> None:
    item = _request(regency)
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in(regency.operator).post(
            f"/pengajuan/{item.pk}/putuskan/", {"decision": "reject"}
        )
    assert response.status_code == 422
    assert 'data-error-code="invalid_input"' in response.content.decode()
    assert not Message.objects.exists()


def test_it_decides_even_when_the_employee_cannot_be_reached(
    clock, regency, settings, django_capture_on_commit_callbacks
) -> None:
    settings.GOVEM_NOTIFY = {**settings.GOVEM_NOTIFY, "CHANNELS": []}
    item = _request(regency)
    with django_capture_on_commit_callbacks(execute=True):
        decide_request(request=item, approve=True, by=regency.supervisor.user)
    item.refresh_from_db()
    assert item.status == AbsenceRequest.Status.APPROVED
    assert not Message.objects.exists()


def test_it_names_a_decider_without_an_employee_record_by_username(
    clock, regency, reachable, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        grant_technical_exemption(
            employee=regency.employee, day=DAY, reason="Server mati", by=regency.tim_it
        )
    message = Message.objects.get()
    assert message.subject == "Pengajuan Alasan teknis 1 Desember 2026 disetujui"
    assert "disetujui oleh timit" in message.body
    assert "Catatan: Server mati" in message.body
