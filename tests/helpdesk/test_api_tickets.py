from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from govem.accounts.models import AuditEntry
from govem.helpdesk.models import Ticket
from govem.uploads import SCREENSHOT
from tests.conftest import ApiClient
from tests.helpers.files import assert_private, image_bytes


def _post(phone: ApiClient, **fields):
    data = {"category": "location", "description": "GPS tidak akurat di ruang rapat"}
    data.update(fields)
    return phone.client.post("/api/v1/tickets", data, headers=phone._headers())


def test_it_files_a_ticket_with_a_real_screenshot(clock, phone: ApiClient) -> None:
    shot = SimpleUploadedFile("layar.png", image_bytes("PNG"), content_type="image/png")
    response = _post(phone, screenshot=shot)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "open"
    assert body["has_screenshot"] is True
    ticket = Ticket.objects.get(pk=body["id"])
    assert ticket.screenshot_type == "image/png"
    with SCREENSHOT.open_stored(ticket.screenshot) as stored_file:
        assert stored_file.read() == image_bytes("PNG")
    assert_private(f"private/tickets/{ticket.screenshot}")
    assert AuditEntry.objects.filter(object_type="helpdesk.ticket", action="create").exists()


def test_it_refuses_a_text_file_named_png(clock, phone: ApiClient) -> None:
    fake = SimpleUploadedFile("layar.png", b"bukan gambar sama sekali", content_type="image/png")
    response = _post(phone, screenshot=fake)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "screenshot_not_image"
    assert "bukan gambar" in error["message"]
    assert error["details"]["field"] == "screenshot"
    assert not Ticket.objects.exists()


def test_it_refuses_a_gif_even_though_it_is_an_image(clock, phone: ApiClient) -> None:
    gif = SimpleUploadedFile("layar.gif", image_bytes("GIF"), content_type="image/gif")
    assert _post(phone, screenshot=gif).json()["error"]["code"] == "screenshot_not_image"


@override_settings(
    GOVEM={**__import__("django.conf").conf.settings.GOVEM, "TICKET_SCREENSHOT_MAX_BYTES": 2000}
)
def test_it_refuses_an_oversized_screenshot(clock, phone: ApiClient) -> None:
    big = SimpleUploadedFile("besar.png", image_bytes("PNG", (400, 400)) + b"\0" * 3000)
    response = _post(phone, screenshot=big)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "screenshot_too_large"
    assert response.json()["error"]["details"]["max_bytes"] == 2000


def test_it_names_the_missing_field(clock, phone: ApiClient) -> None:
    response = _post(phone, description="   ")
    assert response.status_code == 422
    fields = response.json()["error"]["details"]["fields"]
    assert [item["field"] for item in fields] == ["description"]
    response = _post(phone, category="cuaca")
    fields = response.json()["error"]["details"]["fields"]
    assert [item["field"] for item in fields] == ["category"]


def test_it_lists_only_my_tickets_with_replies(clock, phone: ApiClient, regency) -> None:
    from govem.helpdesk.services import add_reply, create_ticket

    mine = create_ticket(
        employee=regency.employee, category="login", description="Lupa sandi", by=None
    )
    create_ticket(employee=regency.colleague, category="other", description="Lain", by=None)
    add_reply(ticket=mine, by=regency.tim_it, body="Sandi sudah direset.")
    body = phone.get("/api/v1/tickets").json()
    assert [ticket["id"] for ticket in body] == [mine.pk]
    assert body[0]["status"] == "in_progress"
    assert body[0]["replies"][0]["body"] == "Sandi sudah direset."
