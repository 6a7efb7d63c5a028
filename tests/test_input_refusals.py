"""Inputs that ended in a 500 or a wrong write (issue 15) are refusals with a stable code, the
API's error shape (or the error page on the web), and nothing half-written — on SQLite and on
PostgreSQL alike (the suite runs on both)."""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from govem.absences.models import AbsenceRequest
from govem.accounts.models import AuditEntry
from govem.attendance.models import DayRecord, Punch
from govem.helpdesk.models import Ticket
from govem.notify.models import PushSubscription
from govem.people.models import Employee
from tests.conftest import PASSWORD, ApiClient, body_of
from tests.helpers.files import image_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


def error_of(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code, body
    return dict(body["error"])


# --- client_time past what a UTC instant can hold (SQLite: OverflowError) -------------------


@pytest.mark.parametrize(
    "moment",
    ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "2026-11-30T07:10:00+22:30"],
)
def test_a_device_clock_beyond_the_calendar_is_refused_and_kept_as_evidence(
    clock: Any, phone: ApiClient, employee: Employee, moment: str
) -> None:
    key = f"jam-{uuid.uuid4()}"
    error = error_of(
        phone.punch(client_time=moment, idempotency_key=key), 422, "invalid_client_time"
    )
    assert "Waktu perangkat" in error["message"]
    assert error["details"]["client_time"] == moment
    stored = Punch.objects.get(employee=employee)
    assert stored.verdict == Punch.Verdict.REJECTED and stored.reason_code == "invalid_client_time"
    assert stored.client_time is None and stored.idempotency_key == key
    assert stored.latitude is not None and stored.device_key  # the evidence of the attempt
    assert not DayRecord.objects.filter(employee=employee, first_in__isnull=False).exists()
    # The retry answers the same refusal and stores nothing new.
    again = phone.punch(client_time=moment, idempotency_key=key)
    assert again.json()["error"]["code"] == "invalid_client_time"
    assert Punch.objects.filter(employee=employee).count() == 1
    # A sane clock right after is judged as usual.
    assert phone.punch().status_code == 201


def test_a_skewed_but_real_device_clock_still_counts_flagged(clock: Any, phone: ApiClient) -> None:
    response = phone.punch(client_time="2000-01-01T07:00:00+08:00")
    assert response.status_code == 201
    assert "clock_skew" in response.json()["flags"]


# --- NUL characters: every endpoint, the unauthenticated login, the web forms ---------------


def test_the_login_refuses_a_nul_in_the_nip_before_touching_the_database(
    client: Client, employee: Employee
) -> None:
    from axes.models import AccessAttempt

    response = client.post(
        "/api/v1/auth/token",
        {"nip": "1990\u0000", "password": PASSWORD, "device_id": "device-12345678"},
        content_type="application/json",
    )
    error = error_of(response, 422, "invalid_input")
    assert error["details"]["fields"] == [{"field": "nip", "problem": "contains a NUL character"}]
    assert "NUL" in error["message"]
    assert not AccessAttempt.objects.exists()


def test_a_nul_in_a_nested_json_string_names_its_field(phone: ApiClient) -> None:
    response = phone.post(
        "/api/v1/push/subscriptions",
        {"endpoint": "https://push.example/abc", "keys": {"p256dh": "x\u0000", "auth": "y"}},
    )
    error = error_of(response, 422, "invalid_input")
    assert error["details"]["fields"][0]["field"] == "keys.p256dh"
    endpoint = phone.post(
        "/api/v1/push/subscriptions",
        {"endpoint": "https://push.example/\u0000", "keys": {"p256dh": "x", "auth": "y"}},
    )
    error_of(endpoint, 422, "invalid_input")
    assert not PushSubscription.objects.exists()


def test_a_nul_in_a_multipart_field_writes_no_ticket_and_no_request(
    clock: Any, phone: ApiClient
) -> None:
    ticket = phone.client.post(
        "/api/v1/tickets",
        {"category": "other", "description": "Aplikasi\u0000macet"},
        headers=phone._headers(),
    )
    assert error_of(ticket, 422, "invalid_input")["details"]["fields"][0]["field"] == (
        "description"
    )
    absence = phone.client.post(
        "/api/v1/requests",
        {"type": "S", "start_date": "2026-12-01", "end_date": "2026-12-01", "reason": "\u0000"},
        headers=phone._headers(),
    )
    error_of(absence, 422, "invalid_input")
    assert not Ticket.objects.exists() and not AbsenceRequest.objects.exists()


def test_a_nul_in_a_query_string_or_a_header_is_refused(phone: ApiClient) -> None:
    query = phone.client.get(
        "/api/v1/punches?from=2026-11-01%00&to=2026-11-02", headers=phone._headers()
    )
    assert error_of(query, 422, "invalid_input")["details"]["fields"][0]["field"] == "from"
    header = phone.client.get(
        "/api/v1/me", headers={**phone._headers(), "User-Agent": "Govem\u0000/1"}
    )
    error_of(header, 422, "invalid_input")


def test_an_undeclared_api_query_parameter_is_refused_not_ignored(
    phone: ApiClient, employee: Employee
) -> None:
    # A misspelt filter (`form` for `from`) must not silently answer the unfiltered list.
    misspelt = phone.client.get("/api/v1/punches?form=2026-11-01", headers=phone._headers())
    error = error_of(misspelt, 422, "invalid_input")
    assert error["message"] == "Parameter kueri tidak dikenal: form."
    assert error["details"]["fields"] == [
        {"field": "query.form", "problem": "unknown query parameter"}
    ]
    # A write with a stray query parameter writes nothing.
    stray = phone.client.post(
        "/api/v1/punches?debug=1", data="{}", content_type="application/json",
        headers=phone._headers(),
    )  # fmt: skip
    error_of(stray, 422, "invalid_input")
    assert not Punch.objects.filter(employee=employee).exists()
    # The declared ones still work, and pages outside the API keep their own parameters.
    assert phone.client.get(
        "/api/v1/punches?from=2026-11-01&to=2026-11-02", headers=phone._headers()
    ).status_code == 200  # fmt: skip
    assert phone.client.get("/api/v1/docs?x=1").status_code == 200


def test_the_web_forms_refuse_a_nul_with_the_error_page(client: Client, employee: Employee) -> None:
    login = client.post("/masuk/", {"login": "1987\u0000", "password": PASSWORD})
    assert login.status_code == 422
    page = login.content.decode()
    assert "Isian ditolak" in page and "invalid_input" in page and 'id="app-menu"' not in page
    english = client.post(
        "/masuk/", {"login": "1987\u0000", "password": PASSWORD}, headers={"accept-language": "en"}
    ).content.decode()
    assert "Input refused" in english and "Isian ditolak" not in english
    client.force_login(employee.user, backend="django.contrib.auth.backends.ModelBackend")
    report = client.post("/kendala/", {"category": "other", "description": "macet\u0000"})
    assert report.status_code == 422 and "invalid_input" in report.content.decode()
    assert not Ticket.objects.exists()


# --- multipart that Django cannot parse --------------------------------------------------


def _png() -> bytes:
    return image_bytes("PNG")


def multipart(fields: dict[str, str], file_field: str, file_name: str) -> tuple[bytes, str]:
    """A raw multipart body (Django's test client cuts file names to 255 characters)."""
    boundary = "govem-batas-uji"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{file_name}"\r\nContent-Type: image/png\r\n\r\n'.encode()
        + _png()
        + b"\r\n"
    )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("path", ["/api/v1/tickets", "/api/v1/requests"])
def test_a_3000_character_file_name_is_refused_not_a_500(
    clock: Any, phone: ApiClient, path: str
) -> None:
    fields = {
        "category": "other",
        "description": "layar",
        "type": "S",
        "start_date": "2026-12-01",
        "end_date": "2026-12-01",
        "reason": "Demam",
    }
    file_field = "screenshot" if path.endswith("tickets") else "attachment"
    body, content_type = multipart(fields, file_field, "a" * 3000 + ".png")
    response = phone.client.post(path, body, content_type=content_type, headers=phone._headers())
    error = error_of(response, 400, "malformed_multipart")
    assert "nama berkas" in error["message"]
    assert not Ticket.objects.exists() and not AbsenceRequest.objects.exists()


def test_multipart_without_a_boundary_is_a_400(phone: ApiClient) -> None:
    response = phone.client.post(
        "/api/v1/auth/token",
        b'{"nip": "0", "password": "x", "device_id": "00000000"}',
        content_type="multipart/form-data",
    )
    error_of(response, 400, "malformed_multipart")


def test_the_web_upload_form_refuses_a_long_file_name_with_the_error_page(
    client: Client, employee: Employee
) -> None:
    client.force_login(employee.user, backend="django.contrib.auth.backends.ModelBackend")
    fields = {"category": "other", "description": "macet"}
    body, content_type = multipart(fields, "screenshot", "b" * 3000 + ".png")
    page = client.post("/kendala/", body, content_type=content_type)
    assert page.status_code == 400 and "malformed_multipart" in page.content.decode()
    assert not Ticket.objects.exists()


# --- a PDF that carries script ---------------------------------------------------------------


def pdf_with(extra: str) -> bytes:
    plain = pdf_bytes()
    if not extra:
        return plain
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=io.BytesIO(plain))
    if extra == "javascript":  # a document-level script in the /Names tree
        script = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('halo');"),
            }
        )
        tree = DictionaryObject(
            {
                NameObject("/Names"): ArrayObject(
                    [TextStringObject("halo"), writer._add_object(script)]
                )
            }
        )
        writer._root_object[NameObject("/Names")] = DictionaryObject(
            {NameObject("/JavaScript"): tree}
        )
    elif extra == "compressed-open-action":
        action = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert(1)"),
            }
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
        writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("extra", ["javascript", "compressed-open-action"])
def test_a_pdf_carrying_javascript_is_refused(clock: Any, phone: ApiClient, extra: str) -> None:
    letter = SimpleUploadedFile("surat.pdf", pdf_with(extra), content_type="application/pdf")
    response = phone.client.post(
        "/api/v1/requests",
        {
            "type": "S",
            "start_date": "2026-12-01",
            "end_date": "2026-12-01",
            "reason": "Demam",
            "attachment": letter,
        },
        headers=phone._headers(),
    )
    error = error_of(response, 422, "attachment_active_content")
    assert error["details"] == {"field": "attachment"}
    assert not AbsenceRequest.objects.exists()


def test_a_plain_pdf_is_downloaded_never_shown_inline(
    clock: Any, phone: ApiClient, employee: Employee
) -> None:
    letter = SimpleUploadedFile("surat.pdf", pdf_with(""), content_type="application/pdf")
    created = phone.client.post(
        "/api/v1/requests",
        {
            "type": "S",
            "start_date": "2026-12-01",
            "end_date": "2026-12-01",
            "reason": "Demam",
            "attachment": letter,
        },
        headers=phone._headers(),
    )
    assert created.status_code == 201, created.json()
    browser = Client()
    browser.force_login(employee.user, backend="django.contrib.auth.backends.ModelBackend")
    served = browser.get(f"/pengajuan/{created.json()['id']}/lampiran/")
    assert served.status_code == 200
    assert served["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in served["Content-Security-Policy"]
    assert served["X-Content-Type-Options"] == "nosniff"
    assert body_of(served).startswith(b"%PDF-")  # read to the end: the file is closed


# --- the API login audits the address the web login audits ----------------------------------


def test_the_api_login_audits_the_forwarded_client_address_behind_the_proxy(
    client: Client, employee: Employee, settings: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    response = client.post(
        "/api/v1/auth/token",
        {"nip": employee.nip, "password": PASSWORD, "device_id": "device-proxy-1"},
        content_type="application/json",
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert response.status_code == 200
    bound = AuditEntry.objects.filter(object_type="people.device").latest("pk")
    assert bound.ip == "203.0.113.7"


@pytest.mark.parametrize("endpoint", ["http://[", "https://push\uff03example/x"])
def test_a_push_endpoint_no_url_parser_reads_is_refused_not_a_500(
    client: Client, employee: Employee, endpoint: str
) -> None:
    client.force_login(employee.user, backend="django.contrib.auth.backends.ModelBackend")
    keys = {"p256dh": "B" * 87, "auth": "A" * 22}
    page = client.post(
        "/notifikasi/push/", {"endpoint": endpoint, "keys": keys}, content_type="application/json"
    )
    assert page.status_code == 422 and page.json()["error"]["code"] == "invalid_input"
    api = ApiClient(Client())
    assert api.login(employee.nip).status_code == 200
    refused = api.post("/api/v1/push/subscriptions", {"endpoint": endpoint, "keys": keys})
    assert refused.status_code == 422
    assert not PushSubscription.objects.exists()
