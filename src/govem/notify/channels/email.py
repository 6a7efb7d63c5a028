"""Email through Django's configured backend (SMTP in production)."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from govem.notify.channels import ChannelError
from govem.notify.models import Message
from govem.notify.wording import absolute_url


def send(message: Message) -> None:
    if not message.address:
        raise ChannelError("alamat email kosong", permanent=True)
    body = message.body + (f"\n\n{absolute_url(message.url)}" if message.url else "")
    email = EmailMessage(
        subject=message.subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.address],
        connection=get_connection(fail_silently=False),
    )
    try:
        email.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        raise ChannelError(f"alamat ditolak server email: {exc}", permanent=True) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise ChannelError(f"SMTP: {type(exc).__name__}: {exc}") from exc
