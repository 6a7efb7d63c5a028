"""Employees' problem reports (kendala) and the IT team's answers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Ticket(models.Model):
    class Category(models.TextChoices):
        LOCATION = "location", _("Lokasi / GPS")
        LOGIN = "login", _("Login / perangkat")
        APP_ERROR = "app_error", _("Aplikasi error")
        WRONG_DATA = "wrong_data", _("Data salah")
        OTHER = "other", _("Lainnya")

    class Status(models.TextChoices):
        OPEN = "open", _("Baru")
        IN_PROGRESS = "in_progress", _("Sedang ditangani")
        RESOLVED = "resolved", _("Selesai")

    employee = models.ForeignKey(
        "people.Employee",
        verbose_name=_("pegawai"),
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    category = models.CharField(_("kategori"), max_length=16, choices=Category.choices)
    description = models.TextField(_("uraian"))
    screenshot = models.CharField(_("berkas tangkapan layar"), max_length=200, blank=True)
    screenshot_type = models.CharField(max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("petugas"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)
    resolved_at = models.DateTimeField(_("diselesaikan"), null=True, blank=True)

    class Meta:
        verbose_name = _("kendala")
        verbose_name_plural = _("kendala")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_category_display()} — {self.employee_id}"


class TicketReply(models.Model):
    """A message on a ticket; resolution actions leave one too (``action`` says which)."""

    class Action(models.TextChoices):
        REPLY = "reply", _("Balasan")
        ASSIGN = "assign", _("Penugasan")
        STATUS = "status", _("Perubahan status")
        RELEASE_DEVICE = "release_device", _("Pelepasan perangkat")
        MANUAL_PUNCH = "manual_punch", _("Presensi manual")
        EXEMPTION = "exemption", _("Alasan teknis")

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("kendala"), on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penulis"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(
        _("jenis"), max_length=16, choices=Action.choices, default=Action.REPLY
    )
    body = models.TextField(_("isi"))
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("balasan kendala")
        verbose_name_plural = _("balasan kendala")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.action} {self.created_at:%Y-%m-%d %H:%M}"
