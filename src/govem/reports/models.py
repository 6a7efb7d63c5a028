from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportVerification(models.Model):
    """One "Verifikasi laporan": who verified which date and scope, when, and what they saw.

    ``rows`` keeps the verified cells per employee so a later report can show what changed
    after verification (old and new values); ``sha256`` is the digest of those rows.
    """

    date = models.DateField(_("tanggal"), db_index=True)
    unit = models.ForeignKey(
        "people.Unit",
        verbose_name=_("unit kerja"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Kosong: seluruh kabupaten."),
    )
    scope_label = models.CharField(_("cakupan"), max_length=200)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diverifikasi oleh"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verifier_name = models.CharField(_("nama verifikator"), max_length=200)
    verifier_nip = models.CharField(_("NIP verifikator"), max_length=32, blank=True)
    verified_at = models.DateTimeField(_("diverifikasi pada"))
    sha256 = models.CharField(_("SHA-256 baris laporan"), max_length=64)
    row_count = models.PositiveIntegerField(_("jumlah baris"))
    locked_days = models.PositiveIntegerField(_("rekap harian dikunci"), default=0)
    rows = models.JSONField(_("baris terverifikasi"), default=dict)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("verifikasi laporan")
        verbose_name_plural = _("verifikasi laporan")
        ordering = ["-verified_at", "-id"]
        indexes = [models.Index(fields=["date", "unit"], name="verification_date_unit")]

    def __str__(self) -> str:
        return f"{self.date} {self.scope_label} {self.sha256[:12]}"
