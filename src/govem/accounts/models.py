from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govem.accounts.audit import Action


class AuditEntry(models.Model):
    """Who changed what, when, from which value to which (append-only)."""

    Action = Action

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("label pelaku"), max_length=150, blank=True)
    action = models.CharField(_("aksi"), max_length=40, choices=Action.choices)
    object_type = models.CharField(_("jenis objek"), max_length=80, db_index=True)
    object_id = models.CharField(_("ID objek"), max_length=64, db_index=True)
    object_repr = models.CharField(_("objek"), max_length=200, blank=True)
    before = models.JSONField(_("sebelum"), null=True, blank=True)
    after = models.JSONField(_("sesudah"), null=True, blank=True)
    reason = models.TextField(_("alasan"), blank=True)
    ip = models.GenericIPAddressField(_("IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"


class ApiToken(models.Model):
    """A bearer token of the phone app; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    device = models.ForeignKey(
        "people.Device", null=True, blank=True, on_delete=models.SET_NULL, related_name="tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"token {self.pk} {self.user}"


class RoleScope(models.Model):
    """The unit subtree an operator works on; without a row, the operator's own unit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun"),
        on_delete=models.CASCADE,
        related_name="role_scopes",
    )
    unit = models.ForeignKey(
        "people.Unit",
        verbose_name=_("unit kerja"),
        on_delete=models.CASCADE,
        related_name="role_scopes",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cakupan unit operator")
        verbose_name_plural = _("cakupan unit operator")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="one_scope_per_user_unit")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.unit}"


class OneTimeCode(models.Model):
    """A code that lets one account set its own password once: printed on a unit's activation
    sheet, or sent through the employee's channel for a reset. Only a keyed hash is stored."""

    class Purpose(models.TextChoices):
        ACTIVATION = "activation", _("Aktivasi (lembar operator)")
        RESET = "reset", _("Atur ulang kata sandi (dikirim)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun"),
        on_delete=models.CASCADE,
        related_name="one_time_codes",
    )
    purpose = models.CharField(_("keperluan"), max_length=10, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    channel = models.CharField(_("kanal"), max_length=10, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diterbitkan oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    used_at = models.DateTimeField(_("dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan salah"), default=0)

    class Meta:
        verbose_name = _("kode sekali pakai")
        verbose_name_plural = _("kode sekali pakai")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "purpose"], name="onetime_user_purpose")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.user} {self.created_at:%Y-%m-%d}"


class PasswordChange(models.Model):
    """An account whose password was set by someone else (an operator's reset): the next
    login must choose a new one before anything else."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun"),
        on_delete=models.CASCADE,
        related_name="password_change",
    )
    required_since = models.DateTimeField(_("wajib sejak"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diatur oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("wajib ganti kata sandi")
        verbose_name_plural = _("wajib ganti kata sandi")

    def __str__(self) -> str:
        return f"{self.user} sejak {self.required_since:%Y-%m-%d %H:%M}"


class RateEvent(models.Model):
    """One counted attempt (activation, reset request) by key, for limits that every server
    process sees: the database, not a per-process cache."""

    key = models.CharField(max_length=120)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["key", "at"], name="rate_event_key_at")]

    def __str__(self) -> str:
        return f"{self.key} {self.at:%Y-%m-%d %H:%M:%S}"
