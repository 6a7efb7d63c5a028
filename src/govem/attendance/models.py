from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Punch(models.Model):
    """One check-in or check-out attempt: evidence, never edited (rejected ones too)."""

    class Kind(models.TextChoices):
        IN = "in", _("Masuk")
        OUT = "out", _("Pulang")

    class Verdict(models.TextChoices):
        ACCEPTED = "accepted", _("Diterima")
        FLAGGED = "flagged", _("Ditandai")
        REJECTED = "rejected", _("Ditolak")

    class Source(models.TextChoices):
        APP = "app", _("Aplikasi web")
        API = "api", _("API")
        MANUAL = "manual", _("Manual")
        IMPORT = "import", _("Impor")

    employee = models.ForeignKey(
        "people.Employee",
        verbose_name=_("pegawai"),
        on_delete=models.PROTECT,
        related_name="punches",
    )
    kind = models.CharField(_("jenis"), max_length=3, choices=Kind.choices)
    server_time = models.DateTimeField(_("waktu server"), db_index=True)
    local_date = models.DateField(_("tanggal"))
    time_zone = models.CharField(_("zona waktu"), max_length=40)
    client_time = models.DateTimeField(_("waktu perangkat"), null=True, blank=True)
    latitude = models.FloatField(_("lintang"), null=True, blank=True)
    longitude = models.FloatField(_("bujur"), null=True, blank=True)
    accuracy_m = models.FloatField(_("akurasi (m)"), null=True, blank=True)
    distance_m = models.FloatField(_("jarak (m)"), null=True, blank=True)
    location = models.ForeignKey(
        "people.WorkLocation",
        verbose_name=_("lokasi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="punches",
    )
    verdict = models.CharField(_("hasil"), max_length=10, choices=Verdict.choices)
    flags = models.JSONField(_("tanda"), default=list, blank=True)
    reason_code = models.CharField(_("kode penolakan"), max_length=40, blank=True)
    mock_location = models.BooleanField(_("lokasi palsu dilaporkan"), default=False)
    device = models.ForeignKey(
        "people.Device",
        verbose_name=_("perangkat"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="punches",
    )
    device_key = models.CharField(_("ID perangkat dilaporkan"), max_length=128, blank=True)
    ip = models.GenericIPAddressField(_("IP"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    idempotency_key = models.CharField(_("kunci idempoten"), max_length=64, blank=True)
    source = models.CharField(_("sumber"), max_length=8, choices=Source.choices)
    note = models.TextField(_("catatan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    receipt = models.CharField(_("kode tanda terima"), max_length=24, blank=True)
    response_status = models.PositiveSmallIntegerField(default=201)
    response_body = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("presensi")
        verbose_name_plural = _("presensi")
        ordering = ["-server_time", "-id"]
        indexes = [models.Index(fields=["employee", "local_date"], name="punch_employee_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="punch_idempotency_per_employee",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.kind} {self.server_time:%Y-%m-%d %H:%M:%S} {self.verdict}"

    @property
    def counts(self) -> bool:
        return self.verdict != self.Verdict.REJECTED
