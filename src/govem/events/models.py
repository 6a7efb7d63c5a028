"""Apel, upacara, senam and other checkpoints: an event with a window, a place and who must
attend; check-ins to it are evidence like punches (server time, position, device, receipt)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from govem.people.models import INDONESIAN_ZONES
from govem.rules import labels

ABSENCE_CODE = "TAP"  # tidak ikut apel/upacara: its deduction is in the rule table (default 0)


class Event(models.Model):
    class Kind(models.TextChoices):
        APEL_PAGI = "apel_pagi", _("Apel pagi")
        APEL_SORE = "apel_sore", _("Apel sore")
        UPACARA = "upacara", _("Upacara (17-an)")
        HUT_RI = "hut_ri", _("Upacara HUT RI")
        SENAM = "senam", _("Senam")
        OTHER = "lainnya", _("Lainnya")

    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("tanggal"), db_index=True)
    opens_at = models.TimeField(_("presensi dibuka"))
    closes_at = models.TimeField(_("presensi ditutup"))
    time_zone = models.CharField(
        _("zona waktu"), max_length=40, choices=INDONESIAN_ZONES, default="Asia/Makassar"
    )
    location = models.ForeignKey(
        "people.WorkLocation",
        verbose_name=_("lokasi kerja"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place_name = models.CharField(_("nama tempat"), max_length=200, blank=True)
    latitude = models.FloatField(
        _("lintang"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("bujur"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    radius_m = models.PositiveIntegerField(
        _("radius (meter)"), null=True, blank=True, validators=[MaxValueValidator(5000)]
    )
    mandatory = models.BooleanField(_("wajib"), default=True)
    units = models.ManyToManyField(
        "people.Unit", verbose_name=_("unit wajib hadir"), blank=True, related_name="+"
    )
    employees = models.ManyToManyField(
        "people.Employee", verbose_name=_("pegawai wajib hadir"), blank=True, related_name="+"
    )
    note = models.TextField(_("catatan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("acara (apel/upacara)")
        verbose_name_plural = _("acara (apel/upacara)")
        ordering = ["-date", "opens_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(location__isnull=False)
                | (
                    models.Q(latitude__isnull=False)
                    & models.Q(longitude__isnull=False)
                    & models.Q(radius_m__isnull=False)
                ),
                name="event_has_place",
            ),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="event_window"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.date})"

    @property
    def place(self) -> str:
        if self.location_id:
            return self.place_name or self.location.name  # type: ignore[union-attr]
        return self.place_name or f"{self.latitude:.5f}, {self.longitude:.5f}"


class EventCheckin(models.Model):
    """One attempt to check in to an event: evidence, never edited (refused ones too)."""

    class Verdict(models.TextChoices):  # the words: govem.rules.labels.VERDICTS
        ACCEPTED = "accepted", _(labels.VERDICTS["accepted"])
        FLAGGED = "flagged", _(labels.VERDICTS["flagged"])
        REJECTED = "rejected", _(labels.VERDICTS["rejected"])

    event = models.ForeignKey(
        Event, verbose_name=_("acara"), on_delete=models.PROTECT, related_name="checkins"
    )
    employee = models.ForeignKey(
        "people.Employee",
        verbose_name=_("pegawai"),
        on_delete=models.PROTECT,
        related_name="event_checkins",
    )
    server_time = models.DateTimeField(_("waktu server"))
    client_time = models.DateTimeField(_("waktu perangkat"), null=True, blank=True)
    latitude = models.FloatField(_("lintang"))
    longitude = models.FloatField(_("bujur"))
    accuracy_m = models.FloatField(_("akurasi (m)"))
    distance_m = models.FloatField(_("jarak (m)"), null=True, blank=True)
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
        related_name="+",
    )
    device_key = models.CharField(_("ID perangkat dilaporkan"), max_length=128, blank=True)
    ip = models.GenericIPAddressField(_("IP"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    idempotency_key = models.CharField(_("kunci idempoten"), max_length=64, blank=True)
    source = models.CharField(_("sumber"), max_length=8)
    receipt = models.CharField(_("kode tanda terima"), max_length=24, blank=True)
    response_status = models.PositiveSmallIntegerField(default=201)
    response_body = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("presensi acara")
        verbose_name_plural = _("presensi acara")
        ordering = ["-server_time", "-id"]
        indexes = [models.Index(fields=["event", "employee"], name="eventcheckin_event_employee")]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="eventcheckin_idempotency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.employee_id} {self.verdict}"


class EventCheckinReview(models.Model):
    """The decision on a flagged event check-in (the event's creator, an operator of the
    employee's unit, or Tim IT): accepted, it counts as present; rejected, it does not (TAP
    once the window has closed). Once, with a reason; audited."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Diterima")
        REJECTED = "rejected", _("Ditolak")

    checkin = models.OneToOneField(
        EventCheckin, verbose_name=_("presensi acara"), on_delete=models.PROTECT,
        related_name="review",
    )  # fmt: skip
    decision = models.CharField(_("keputusan"), max_length=10, choices=Decision.choices)
    reason = models.TextField(_("alasan"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diputuskan oleh"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("diputuskan"))

    class Meta:
        verbose_name = _("tinjauan presensi acara")
        verbose_name_plural = _("tinjauan presensi acara")

    def __str__(self) -> str:
        return f"{self.checkin_id} {self.decision}"
