"""The notify fixtures (a real SMTP server, fast outbox settings) for the reset-code tests."""

from tests.notify.conftest import notify_settings, smtp_server

__all__ = ["notify_settings", "smtp_server"]
