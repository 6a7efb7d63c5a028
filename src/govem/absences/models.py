"""Absences: the types of DESIGN §2 and the requests that excuse a day (issue 5 extends it)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from govem.rules import clarification as case_rules
from govem.rules.daystatus import Absence, Part

# The seeded types' names (migration 0002) as catalogue msgids: a page shows them in its
# language; a name an administrator changed is shown as typed.
SEEDED_NAMES = {
    "CT": gettext_noop("Cuti tahunan"),
    "CS": gettext_noop("Cuti sakit"),
    "CM": gettext_noop("Cuti melahirkan"),
    "CAP": gettext_noop("Cuti karena alasan penting"),
    "CBS": gettext_noop("Cuti besar"),
    "CLTN": gettext_noop("Cuti di luar tanggungan negara"),
    "S": gettext_noop("Sakit"),
    "I": gettext_noop("Izin"),
    "DL": gettext_noop("Dinas luar"),
    "TB": gettext_noop("Tugas belajar"),
    "AT": gettext_noop("Alasan teknis"),
    "WFH": gettext_noop("Bekerja dari rumah / FWA"),
}


class AbsenceType(models.Model):
    """Cuti tahunan (CT), sakit (S), izin (I), dinas luar (DL), alasan teknis (AT), …"""

    code = models.CharField(_("kode"), max_length=8, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    allows_part_of_day = models.BooleanField(
        _("boleh sebagian hari"),
        default=False,
        help_text=_("Izin datang terlambat / pulang cepat."),
    )
    needs_evidence = models.BooleanField(_("wajib lampiran"), default=True)
    active = models.BooleanField(_("aktif"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("jenis ketidakhadiran")
        verbose_name_plural = _("jenis ketidakhadiran")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def label(self) -> str:
        """The name in the page's language (the seeded names are in the catalogue)."""
        return gettext(self.name) if SEEDED_NAMES.get(self.code) == self.name else self.name


class AbsenceRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        APPROVED = "approved", _("Disetujui")
        REJECTED = "rejected", _("Ditolak")

    class PartOfDay(models.TextChoices):
        FULL_DAY = "", _("Sehari penuh")
        LATE_ARRIVAL = "late_arrival", _("Datang terlambat")
        EARLY_LEAVE = "early_leave", _("Pulang cepat")

    employee = models.ForeignKey(
        "people.Employee",
        verbose_name=_("pegawai"),
        on_delete=models.PROTECT,
        related_name="absence_requests",
    )
    type = models.ForeignKey(
        AbsenceType, verbose_name=_("jenis"), on_delete=models.PROTECT, related_name="requests"
    )
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("sampai"))
    part_of_day = models.CharField(
        _("bagian hari"), max_length=16, choices=PartOfDay.choices, default="", blank=True
    )
    time = models.TimeField(
        _("jam"),
        null=True,
        blank=True,
        help_text=_("Datang terlambat: paling lambat jam ini; pulang cepat: mulai jam ini."),
    )
    reason = models.TextField(_("alasan"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diputuskan oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    note = models.TextField(_("catatan keputusan"), blank=True)
    attachment = models.CharField(_("lampiran"), max_length=80, blank=True, editable=False)
    attachment_type = models.CharField(max_length=40, blank=True, editable=False)
    latitude = models.FloatField(_("lintang"), null=True, blank=True)
    longitude = models.FloatField(_("bujur"), null=True, blank=True)
    radius_m = models.PositiveIntegerField(_("radius (m)"), null=True, blank=True)
    created_at = models.DateTimeField(_("diajukan pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("pengajuan ketidakhadiran")
        verbose_name_plural = _("pengajuan ketidakhadiran")
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(
                fields=["employee", "status", "start_date", "end_date"], name="absence_cover"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="absence_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.type_id} {self.start_date}–{self.end_date} {self.status}"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Tanggal selesai sebelum tanggal mulai.")})
        if self.part_of_day and self.start_date != self.end_date:
            raise ValidationError({"end_date": _("Izin sebagian hari hanya untuk satu tanggal.")})

    def as_absence(self, type_code: str, type_name: str) -> Absence:
        return Absence(code=type_code, name=type_name, part=Part(self.part_of_day), at=self.time)


class Clarification(models.Model):
    """A clarification case (SOP step 5): one missing attendance followed to an outcome.

    Its decisions are :mod:`govem.rules.clarification`'s, its writes
    :mod:`govem.absences.clarifications`'; the table stays ``absences_clarification``.
    """

    class Kind(models.TextChoices):
        NO_CHECK_IN = case_rules.GapKind.NO_CHECK_IN.value, _("Tidak presensi masuk")
        NO_CHECK_OUT = case_rules.GapKind.NO_CHECK_OUT.value, _("Tidak presensi pulang")
        TK = case_rules.GapKind.TK.value, _("Tanpa keterangan (TK)")

    class Status(models.TextChoices):
        OPEN = "open", _("Terbuka")
        CLOSED = "closed", _("Selesai")

    class Outcome(models.TextChoices):
        FORGOT = case_rules.Outcome.FORGOT.value, _("Lupa presensi")
        TECHNICAL = case_rules.Outcome.TECHNICAL.value, _("Kendala perangkat/GPS (alasan teknis)")
        SICK = case_rules.Outcome.SICK.value, _("Sakit")
        DUTY = case_rules.Outcome.DUTY.value, _("Dinas")
        UNREACHABLE = case_rules.Outcome.UNREACHABLE.value, _("Tidak dapat dihubungi")
        UNEXCUSED = case_rules.Outcome.UNEXCUSED.value, _("Tanpa alasan sah")
        RESOLVED = (
            case_rules.Outcome.RESOLVED.value,
            _("Selesai otomatis: presensi atau izin tercatat kemudian"),
        )

    class Channel(models.TextChoices):
        """How the operator tried to reach the employee (a contact log entry)."""

        PHONE = "phone", _("Telepon")
        WHATSAPP = "whatsapp", _("WhatsApp")
        OTHER = "other", _("Lainnya")

    employee = models.ForeignKey(
        "people.Employee", on_delete=models.CASCADE, related_name="clarifications"
    )
    date = models.DateField(_("tanggal"))
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    contact_log = models.JSONField(_("catatan kontak"), default=list, blank=True)
    outcome = models.CharField(_("hasil"), max_length=16, choices=Outcome.choices, blank=True)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(_("catatan"), blank=True)
    answer = models.TextField(_("jawaban pegawai"), blank=True)
    answer_attachment = models.CharField(max_length=80, blank=True, editable=False)
    answer_attachment_type = models.CharField(max_length=40, blank=True, editable=False)
    request = models.ForeignKey(
        "absences.AbsenceRequest", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("klarifikasi")
        verbose_name_plural = _("klarifikasi")
        ordering = ["-date", "employee__name"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="clarification_once")
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date} {self.kind} {self.status}"
