from datetime import date
from urllib.parse import parse_qs, urlsplit

from govem.monitor.texts import rejection_text, tel_link, whatsapp_link


def test_it_builds_a_wa_me_link_with_a_prefilled_indonesian_message(clock: object) -> None:
    link = whatsapp_link(phone="+6281234567890", name="Siti Aminah", day=date(2026, 11, 30))
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "wa.me", "/6281234567890")
    message = parse_qs(parts.query)["text"][0]
    assert message.startswith("Selamat pagi Bapak/Ibu Siti Aminah.")
    assert "Senin, 30 November 2026" in message
    assert " " not in parts.query and "/" not in parts.query  # fully URL-encoded


def test_it_accepts_local_phone_formats() -> None:
    assert whatsapp_link(phone="0812-3456-7890", name="A", day=date(2026, 1, 1)).startswith(
        "https://wa.me/6281234567890?text="
    )
    assert tel_link("+6281234567890") == "tel:+6281234567890"
    assert whatsapp_link(phone="", name="A", day=date(2026, 1, 1)) == ""


def test_it_explains_a_rejection_in_indonesian() -> None:
    text = rejection_text(
        "outside_geofence", distance_m=230.4, location="Kantor Diskominfo", accuracy_m=10
    )
    assert text == "ditolak: di luar radius, 230 m dari Kantor Diskominfo"
