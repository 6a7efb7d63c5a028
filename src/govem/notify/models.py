"""The outbox of messages, their editable templates, and where each employee can be reached."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    WHATSAPP = "whatsapp", _("WhatsApp")
    TELEGRAM = "telegram", _("Telegram")
    WEBPUSH = "webpush", _("Notifikasi aplikasi (Web Push)")


class MessageTemplate(models.Model):
    """Indonesian subject and body with ``{nama}``-style placeholders; Tim IT edits them."""

    ANY = "any"

    key = models.SlugField(_("kunci"), max_length=60)
    channel = models.CharField(
        _("kanal"),
        max_length=10,
        choices=[(ANY, _("Semua kanal")), *Channel.choices],
        default=ANY,
        help_text=_("Templat khusus satu kanal menang atas templat 'Semua kanal'."),
    )
    name = models.CharField(_("nama"), max_length=120)
    subject = models.CharField(_("judul"), max_length=200)
    body = models.TextField(
        _("isi"),
        help_text=_(
            "Tempat isian: {salam} (Selamat pagi/siang/sore/malam menurut jam setempat), "
            "{nama}, {nip}, {tanggal}, {hari}, {jam_masuk}, {jam_pulang}, {unit}, {instansi}. "
            "Isian yang tidak dikenal dibiarkan apa adanya."
        ),
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("templat pesan")
        verbose_name_plural = _("templat pesan")
        ordering = ["key", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["key", "channel"], name="message_template_key_channel")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_channel_display()})"


class Message(models.Model):
    """One notification to one employee on one channel, with its delivery history."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Antre")
        SENDING = "sending", _("Sedang dikirim")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal, dicoba lagi")
        DEAD = "dead", _("Gagal permanen")

    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    employee = models.ForeignKey(
        "people.Employee",
        verbose_name=_("pegawai"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    address = models.CharField(_("alamat tujuan"), max_length=500, blank=True)
    template_key = models.CharField(_("templat"), max_length=60, blank=True)
    subject = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"))
    url = models.CharField(_("tautan"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"))
    expires_at = models.DateTimeField(_("kedaluwarsa"), null=True, blank=True)
    last_error = models.TextField(_("kesalahan terakhir"), blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)

    class Meta:
        verbose_name = _("pesan")
        verbose_name_plural = _("pesan")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="message_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address or '-'}: {self.subject}"


class ContactChannel(models.Model):
    """Where an employee is reached beyond the phone and email on record (Telegram chat id),
    or a channel the employee has switched off."""

    employee = models.ForeignKey(
        "people.Employee",
        verbose_name=_("pegawai"),
        on_delete=models.CASCADE,
        related_name="contact_channels",
    )
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    address = models.CharField(
        _("alamat"),
        max_length=200,
        blank=True,
        help_text=_("Telegram: chat id. Kosong untuk WhatsApp/email berarti pakai data pegawai."),
    )
    enabled = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kontak notifikasi")
        verbose_name_plural = _("kontak notifikasi")
        constraints = [
            models.UniqueConstraint(fields=["employee", "channel"], name="contact_channel_once")
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.channel} {self.address}"


class PushSubscription(models.Model):
    """A browser's Web Push subscription (from ``PushManager.subscribe``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun"),
        on_delete=models.CASCADE,
        related_name="push_subscriptions",
    )
    endpoint = models.URLField(_("endpoint"), max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    last_success_at = models.DateTimeField(_("terakhir berhasil"), null=True, blank=True)
    disabled_at = models.DateTimeField(_("dinonaktifkan"), null=True, blank=True)

    class Meta:
        verbose_name = _("langganan Web Push")
        verbose_name_plural = _("langganan Web Push")

    def __str__(self) -> str:
        return f"{self.user} {self.endpoint[:60]}"

    def as_info(self) -> dict[str, object]:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
