"""WhatsApp and Telegram through a configurable HTTP gateway.

One POST with a JSON body built from a template (``GOVEM_WHATSAPP_BODY``) whose string values
may hold placeholders: ``{phone}`` (62812…), ``{phone_e164}`` (+62812…), ``{chat_id}``,
``{message}``, ``{subject}``, ``{body}``, ``{url}``, ``{token}``. This fits Fonnte, Wablas,
WooWA-like gateways and Telegram's Bot API (``https://api.telegram.org/bot{token}/sendMessage``).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from govem.notify.channels import ChannelError
from govem.notify.models import Message
from govem.notify.rendering import substitute
from govem.notify.wording import absolute_url


def fill(node: Any, values: dict[str, str]) -> Any:
    """Substitute placeholders in every string of a parsed JSON template."""
    if isinstance(node, str):
        return substitute(node, values)
    if isinstance(node, list):
        return [fill(item, values) for item in node]
    if isinstance(node, dict):
        return {substitute(key, values): fill(value, values) for key, value in node.items()}
    return node


def _config(channel: str) -> dict[str, str]:
    notify = settings.GOVEM_NOTIFY
    prefix = channel.upper()
    return {key: notify[f"{prefix}_{key}"] for key in ("URL", "TOKEN", "BODY", "AUTH", "SUCCESS")}


def _values(message: Message, token: str) -> dict[str, str]:
    if message.channel == "whatsapp":
        text = f"*{message.subject}*\n\n{message.body}"
    else:
        text = f"{message.subject}\n\n{message.body}"
    url = absolute_url(message.url)
    if url:
        text += f"\n\n{url}"
    address = message.address
    return {
        "phone": address.lstrip("+"),
        "phone_e164": address if address.startswith("+") else f"+{address}",
        "chat_id": address,
        "message": text,
        "subject": message.subject,
        "body": message.body,
        "url": url,
        "token": token,
    }


def _succeeded(expectation: str, payload: bytes) -> bool:
    """``status=true``: the gateway answers 200 with a JSON flag (Fonnte does on failure too)."""
    if not expectation:
        return True
    name, _, expected = expectation.partition("=")
    try:
        data = json.loads(payload)
    except ValueError:
        return False
    value = data.get(name.strip()) if isinstance(data, dict) else None
    return str(value).strip().lower() == expected.strip().lower()


def send(message: Message) -> None:
    config = _config(message.channel)
    if not config["URL"]:
        raise ChannelError(f"gateway {message.channel} belum dikonfigurasi", permanent=True)
    if not message.address:
        raise ChannelError("alamat tujuan kosong", permanent=True)
    values = _values(message, config["TOKEN"])
    url = substitute(config["URL"], {"token": config["TOKEN"]})
    if urlsplit(url).scheme not in {"http", "https"}:
        raise ChannelError("URL gateway harus http(s)", permanent=True)
    body = json.dumps(fill(json.loads(config["BODY"]), values)).encode()
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if config["AUTH"]:
        headers["Authorization"] = substitute(config["AUTH"], {"token": config["TOKEN"]})
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    timeout = settings.GOVEM_NOTIFY["HTTP_TIMEOUT_S"]
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            payload = response.read(65536)
    except urllib.error.HTTPError as exc:
        detail = exc.read(300).decode(errors="replace")
        raise ChannelError(f"gateway HTTP {exc.code}: {detail}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise ChannelError(f"gateway tidak terjangkau: {exc}") from exc
    if not _succeeded(config["SUCCESS"], payload):
        raise ChannelError(f"gateway menolak: {payload[:300].decode(errors='replace')}")
