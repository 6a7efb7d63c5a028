from __future__ import annotations

from collections.abc import Collection
from datetime import date
from zoneinfo import available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from govem.people.validators import normalise_phone, validate_nip, validate_phone
from govem.rules.nip import NipError, is_valid_nip, parse_nip, tmt_from_nip

INDONESIAN_ZONES = [
    ("Asia/Jakarta", _("WIB (Asia/Jakarta)")),
    ("Asia/Makassar", _("WITA (Asia/Makassar)")),
    ("Asia/Jayapura", _("WIT (Asia/Jayapura)")),
]


class Unit(models.Model):
    """An OPD or one of its sub-units; ``path`` ("/1/7/") makes subtree queries one LIKE."""

    code = models.CharField(_("kode"), max_length=32, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("unit induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    path = models.CharField(max_length=500, editable=False, db_index=True, default="")
    locations = models.ManyToManyField(  # type: ignore[var-annotated]
        "WorkLocation",
        verbose_name=_("lokasi kerja yang diizinkan"),
        blank=True,
        related_name="units",
    )
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")
        ordering = ["path"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def save(self, *args: object, **kwargs: object) -> None:
        old_path = self.path
        if self.pk is None:
            super().save(*args, **kwargs)
            kwargs.pop("force_insert", None)
        self.path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        if old_path and old_path != self.path:
            for child in self.children.all():
                child.save()

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("Unit induk tidak boleh membentuk siklus.")})
            ancestor = ancestor.parent

    def ancestors_and_self_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def subtree(self) -> models.QuerySet[Unit]:
        return Unit.objects.filter(path__startswith=self.path)


class WorkLocation(models.Model):
    name = models.CharField(_("nama"), max_length=200)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    latitude = models.FloatField(
        _("lintang"), validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        _("bujur"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    radius_m = models.PositiveIntegerField(
        _("radius (meter)"), default=100, validators=[MaxValueValidator(5000)]
    )
    polygon = models.JSONField(
        _("poligon"),
        null=True,
        blank=True,
        help_text=_("Opsional: daftar titik [lintang, bujur] batas area, minimal 3 titik."),
    )
    time_zone = models.CharField(
        _("zona waktu"), max_length=40, choices=INDONESIAN_ZONES, default="Asia/Makassar"
    )
    is_demo = models.BooleanField(_("data demo (perkiraan)"), default=False)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("lokasi kerja")
        verbose_name_plural = _("lokasi kerja")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.time_zone not in available_timezones():
            raise ValidationError({"time_zone": _("Zona waktu tidak dikenal.")})
        if self.polygon in (None, [], ""):
            self.polygon = None
            return
        points = self.polygon
        valid = isinstance(points, list) and len(points) >= 3
        if valid:
            for point in points:
                if not (
                    isinstance(point, list | tuple)
                    and len(point) == 2
                    and all(isinstance(v, int | float) for v in point)
                    and -90 <= point[0] <= 90
                    and -180 <= point[1] <= 180
                ):
                    valid = False
                    break
        if not valid:
            raise ValidationError(
                {"polygon": _("Poligon harus berupa daftar minimal 3 titik [lintang, bujur].")}
            )


class Employee(models.Model):
    class Type(models.TextChoices):
        PNS = "PNS", _("PNS")
        PPPK = "PPPK", _("PPPK")
        NON_ASN = "NON_ASN", _("Non-ASN")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee",
    )
    employee_type = models.CharField(_("jenis pegawai"), max_length=8, choices=Type.choices)
    nip = models.CharField(
        _("NIP"), max_length=18, unique=True, null=True, blank=True, validators=[validate_nip]
    )
    non_asn_id = models.CharField(
        _("nomor induk non-ASN"), max_length=32, unique=True, null=True, blank=True
    )
    name = models.CharField(_("nama"), max_length=200)
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    job_class = models.PositiveSmallIntegerField(
        _("kelas jabatan"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Untuk pagu TPP per kelas jabatan."),
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit kerja"), on_delete=models.PROTECT, related_name="employees"
    )
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("atasan langsung"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subordinates",
    )
    phone = models.CharField(_("telepon"), max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField(_("email"), blank=True)
    extra_locations = models.ManyToManyField(
        WorkLocation,
        verbose_name=_("lokasi tambahan"),
        blank=True,
        related_name="extra_employees",
    )
    active = models.BooleanField(_("aktif"), default=True)
    counting_starts = models.DateField(
        _("presensi dihitung mulai"),
        null=True,
        blank=True,
        help_text=_(
            "TMT atau tanggal impor pegawai baru; sebelum tanggal ini tidak ada TK, PSW4, TL4, "
            "potongan, kasus klarifikasi maupun pengingat. Kosong: mulai penghitungan kabupaten."
        ),
    )
    tmt = models.DateField(
        _("TMT (mulai bekerja)"),
        null=True,
        blank=True,
        help_text=_(
            "Terhitung mulai tanggal pengangkatan pertama; hak cuti tahunan mulai 1 tahun "
            "setelahnya (PP 11/2017 ps. 310). Kosong: untuk PNS diambil dari NIP (digit 9–14)."
        ),
    )

    class Meta:
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    (models.Q(employee_type="NON_ASN") & models.Q(non_asn_id__isnull=False))
                    | (~models.Q(employee_type="NON_ASN") & models.Q(nip__isnull=False))
                ),
                name="employee_has_identifier",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.identifier})"

    @property
    def identifier(self) -> str:
        """The login id: the NIP, or the non-ASN number."""
        return (self.nip if self.employee_type != self.Type.NON_ASN else self.non_asn_id) or ""

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        # Normalise before the field validators run, or "0812-…" is refused instead of stored.
        self.phone = normalise_phone(self.phone)
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        self.phone = normalise_phone(self.phone)
        if self.employee_type == self.Type.NON_ASN:
            if not self.non_asn_id:
                raise ValidationError(
                    {"non_asn_id": _("Pegawai non-ASN wajib memiliki nomor induk.")}
                )
            self.nip = None
        else:
            if not self.nip:
                raise ValidationError({"nip": _("PNS dan PPPK wajib memiliki NIP.")})
            self.non_asn_id = None
            if self.employee_type == self.Type.PNS and is_valid_nip(self.nip, pppk=True):
                try:
                    parse_nip(self.nip)  # a PNS number's digits 13–14 are the TMT month
                except NipError as exc:
                    raise ValidationError({"nip": str(exc)}) from exc
        if self.supervisor_id and self.supervisor_id == self.pk:
            raise ValidationError(
                {"supervisor": _("Pegawai tidak dapat menjadi atasannya sendiri.")}
            )

    def service_start(self) -> tuple[date | None, str]:
        """The TMT and where it comes from: the field, else a PNS NIP's digits 9–14."""
        if self.tmt is not None:
            return self.tmt, gettext_noop("data pegawai")  # msgids: the leave page shows them
        if self.employee_type == self.Type.PNS and self.nip:
            from_nip = tmt_from_nip(self.nip)
            if from_nip is not None:
                return from_nip, gettext_noop("dari NIP digit 9–14")
        return None, ""

    def allowed_locations(self) -> models.QuerySet[WorkLocation]:
        """The unit's locations (inherited from parent units) plus this employee's extras."""
        unit_ids = self.unit.ancestors_and_self_ids()
        return WorkLocation.objects.filter(
            models.Q(units__id__in=unit_ids) | models.Q(extra_employees=self), active=True
        ).distinct()


class Device(models.Model):
    """The phone (or browser) an employee is bound to; one active binding at a time."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("pegawai"), on_delete=models.CASCADE, related_name="devices"
    )
    device_id = models.CharField(_("ID perangkat"), max_length=128)
    label = models.CharField(_("keterangan"), max_length=200, blank=True)
    bound_at = models.DateTimeField(_("diikat pada"), auto_now_add=True)
    released_at = models.DateTimeField(_("dilepas pada"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dilepas oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    release_reason = models.CharField(_("alasan pelepasan"), max_length=300, blank=True)
    # The first punch sent from this device (stamped by the check-in): "a new phone" is then
    # read from the devices, not from every month's punches (punches are partitioned).
    first_punch_at = models.DateTimeField(
        _("presensi pertama"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("perangkat")
        verbose_name_plural = _("perangkat")
        ordering = ["-bound_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee"],
                condition=models.Q(released_at__isnull=True),
                name="one_active_device_per_employee",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee.name}: {self.label or self.device_id[:12]}"

    @property
    def active(self) -> bool:
        return self.released_at is None


class ImportRun(models.Model):
    """One import (employees, units or locations) from a file: a preview or an application."""

    class Kind(models.TextChoices):
        EMPLOYEES = "employees", _("Pegawai")
        UNITS = "units", _("Unit kerja")
        LOCATIONS = "locations", _("Lokasi kerja")

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Pratinjau")
        APPLIED = "applied", _("Diterapkan")
        REFUSED = "refused", _("Ditolak (ada baris tidak valid)")

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(
        _("jenis data"), max_length=10, choices=Kind.choices, default=Kind.EMPLOYEES
    )
    source = models.CharField(_("sumber"), max_length=8, default="cli")
    file_name = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    dry_run = models.BooleanField(_("uji coba (dry-run)"), default=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    scope_code = models.CharField(_("cakupan unit"), max_length=32, blank=True)
    full_roster = models.BooleanField(_("nonaktifkan pegawai yang tidak ada"), default=False)
    rows = models.PositiveIntegerField(_("jumlah baris"), default=0)
    created = models.PositiveIntegerField(_("pegawai baru"), default=0)
    changed = models.PositiveIntegerField(_("pegawai berubah"), default=0)
    deactivated = models.PositiveIntegerField(_("pegawai keluar"), default=0)
    unchanged = models.PositiveIntegerField(_("tidak berubah"), default=0)
    invalid = models.PositiveIntegerField(_("baris tidak valid"), default=0)
    errors = models.JSONField(_("kesalahan (200 pertama)"), default=list, blank=True)
    token = models.CharField(max_length=64, blank=True, db_index=True)
    duration_ms = models.PositiveIntegerField(_("durasi (ms)"), default=0)

    class Meta:
        verbose_name = _("impor data")
        verbose_name_plural = _("impor data")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.file_name} ({self.get_status_display()})"
