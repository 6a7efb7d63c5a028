"""The SOP day's ledger (one row per date and phase), the worker's heartbeat and backups."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PhaseRun(models.Model):
    """One SOP phase for one date: claimed by one worker, its steps' results recorded."""

    class Phase(models.TextChoices):
        PREPARE = "prepare", _("Persiapan")
        RECONCILE = "reconcile", _("Rekonsiliasi")
        CLOSE = "close", _("Penutupan hari")
        SETTLE = "settle", _("Penyelesaian hari")

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        RUNNING = "running", _("Berjalan")
        SUCCEEDED = "succeeded", _("Berhasil")
        FAILED = "failed", _("Gagal")

    date = models.DateField(_("tanggal"))
    phase = models.CharField(_("fase"), max_length=10, choices=Phase.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    due_at = models.DateTimeField(_("jadwal"), null=True, blank=True)
    claimed_by = models.CharField(_("dijalankan oleh"), max_length=120, blank=True)
    claimed_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    heartbeat = models.DateTimeField(_("detak terakhir"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("jumlah percobaan"), default=0)
    result = models.JSONField(_("hasil"), default=dict, blank=True)
    error = models.TextField(_("kesalahan"), blank=True)
    # A re-run asked for by hand (web or ``govem run-phase --force``): who and when.
    requested_by = models.CharField(_("diminta oleh"), max_length=150, blank=True)
    requested_at = models.DateTimeField(_("diminta pada"), null=True, blank=True)
    history = models.JSONField(_("riwayat"), default=list, blank=True)

    class Meta:
        verbose_name = _("fase harian")
        verbose_name_plural = _("fase harian")
        ordering = ["-date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["date", "phase"], name="phaserun_date_phase")
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="phaserun_requested")]

    def __str__(self) -> str:
        return f"{self.date} {self.phase} {self.status}"

    @property
    def step_results(self) -> list[dict[str, object]]:
        steps = (self.result or {}).get("steps", {})
        return [{"name": name, **value} for name, value in steps.items()]


class WorkerHeartbeat(models.Model):
    """One row per running worker process (``host:pid``), beaten every tick."""

    name = models.CharField(_("nama"), max_length=120, unique=True)
    host = models.CharField(_("mesin"), max_length=100)
    pid = models.PositiveIntegerField(_("PID"))
    started_at = models.DateTimeField(_("mulai"))
    last_beat = models.DateTimeField(_("detak terakhir"), db_index=True)
    stopped_at = models.DateTimeField(_("berhenti"), null=True, blank=True)

    class Meta:
        verbose_name = _("detak worker")
        verbose_name_plural = _("detak worker")
        ordering = ["-last_beat"]

    def __str__(self) -> str:
        return self.name


class Backup(models.Model):
    """One backup archive (database + attachments + manifest) and its verification."""

    path = models.CharField(_("berkas"), max_length=500)
    mirror_path = models.CharField(_("salinan kedua"), max_length=500, blank=True)
    engine = models.CharField(_("basis data"), max_length=20)
    size = models.BigIntegerField(_("ukuran (bita)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    manifest = models.JSONField(_("manifest"), default=dict, blank=True)
    created_at = models.DateTimeField(_("dibuat"), db_index=True)
    verified = models.BooleanField(_("terverifikasi"), default=False)
    verified_at = models.DateTimeField(_("diverifikasi"), null=True, blank=True)
    error = models.TextField(_("kesalahan"), blank=True)
    pruned_at = models.DateTimeField(_("dihapus (retensi)"), null=True, blank=True)
    # The date whose settled day this backup holds (the settle phase's backup); empty for
    # the others (the close phase's, ``govem backup``).
    day = models.DateField(_("hari yang dicadangkan"), null=True, blank=True)

    class Meta:
        verbose_name = _("cadangan")
        verbose_name_plural = _("cadangan")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.path

    @property
    def file_name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


class CountingStart(models.Model):
    """The regency's go-live date, stored once (one row): nothing is booked before it.

    ``GOVEM_COUNTING_STARTS`` overrides it; without either, the first read stores the date
    of this database's first migration. ``govem demo`` moves it before its seeded history.
    """

    starts_on = models.DateField(_("presensi dihitung mulai"))
    source = models.CharField(_("asal"), max_length=20)
    recorded_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("mulai penghitungan")
        verbose_name_plural = _("mulai penghitungan")

    def __str__(self) -> str:
        return f"{self.starts_on} ({self.source})"
