"""Delivery channels: one module each; :func:`send` picks the module for a message."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from govem.notify.models import Message


class ChannelError(Exception):
    """Delivery failed; ``permanent`` when retrying cannot help (no address, subscription gone)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


def is_configured(channel: str) -> bool:
    notify = settings.GOVEM_NOTIFY
    if channel == "email":
        return bool(settings.EMAIL_HOST) or not settings.EMAIL_BACKEND.endswith("smtp.EmailBackend")
    if channel == "whatsapp":
        return bool(notify["WHATSAPP_URL"])
    if channel == "telegram":
        return bool(notify["TELEGRAM_URL"])
    if channel == "webpush":
        # the VAPID keys (and py_vapid) only for a web push check
        from govem.notify import vapid

        return vapid.load() is not None
    return False


def configured_channels() -> list[str]:
    """The enabled channels (GOVEM_NOTIFY_CHANNELS order) that have their settings."""
    return [name for name in settings.GOVEM_NOTIFY["CHANNELS"] if is_configured(name)]


def send(message: Message) -> None:
    """Deliver one message or raise :class:`ChannelError`."""
    if message.channel == "email":
        # each channel's module (and its library) loads only when a message goes out on it
        from govem.notify.channels import email

        email.send(message)
    elif message.channel in {"whatsapp", "telegram"}:
        # each channel's module (and its library) loads only when a message goes out on it
        from govem.notify.channels import gateway

        gateway.send(message)
    elif message.channel == "webpush":
        # each channel's module (and its library) loads only when a message goes out on it
        from govem.notify.channels import webpush

        webpush.send(message)
    else:
        raise ChannelError(f"kanal tidak dikenal: {message.channel}", permanent=True)
