from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from govem.rules import labels
from govem.rules.bands import MissingPunch, Rounding, Rules, TkMode


class Punch(models.Model):
    """One check-in or check-out attempt: evidence, never edited (rejected ones too)."""

    class Kind(models.TextChoices):
        IN = "in", pgettext_lazy("presensi", "Masuk")
        OUT = "out", pgettext_lazy("presensi", "Pulang")

    class Verdict(models.TextChoices):  # the words: govem.rules.labels.VERDICTS
        ACCEPTED = "accepted", _(labels.VERDICTS["accepted"])
        FLAGGED = "flagged", _(labels.VERDICTS["flagged"])
        REJECTED = "rejected", _(labels.VERDICTS["rejected"])

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
        db_index=False,  # punch_employee_date leads with the employee: one index, not two
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
            # With the date: on PostgreSQL the table is partitioned by month on local_date
            # (attendance.partitions), and a unique key must hold the partition key. A retry
            # is looked up by key over today and yesterday before anything is written.
            models.UniqueConstraint(
                fields=["employee", "idempotency_key", "local_date"],
                condition=~models.Q(idempotency_key=""),
                name="punch_idempotency_per_employee",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.kind} {self.server_time:%Y-%m-%d %H:%M:%S} {self.verdict}"

    @property
    def counts(self) -> bool:
        return self.verdict != self.Verdict.REJECTED


class PunchReview(models.Model):
    """A decision on a flagged punch: it counts for the day only once accepted.

    Kept apart from :class:`Punch`, which is evidence and never edited.
    """

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Diterima")
        REJECTED = "rejected", _("Ditolak")

    # No database constraint: a partitioned table's ids are unique only with their date.
    # Punches are never deleted, so the link cannot dangle.
    punch = models.OneToOneField(
        Punch,
        verbose_name=_("presensi"),
        on_delete=models.PROTECT,
        related_name="review",
        db_constraint=False,
    )
    decision = models.CharField(_("keputusan"), max_length=10, choices=Decision.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diputuskan oleh"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("diputuskan pada"))
    reason = models.TextField(_("alasan"), blank=True)

    class Meta:
        verbose_name = _("tinjauan presensi")
        verbose_name_plural = _("tinjauan presensi")

    def __str__(self) -> str:
        return f"{self.punch_id} {self.decision}"


def _default_pcts() -> dict[str, str]:
    return {}


MAX_BOOKED_MINUTES = 720
CODE_KEY = re.compile(r"^[A-Z][A-Z0-9_]{0,15}$")


def _code_map_problem(value: object, *, whole_days: bool) -> str | None:
    """Why a per-code JSON column (``{"S": 2}`` / ``{"CS": "0.5"}``) cannot be read, or None."""
    if value in (None, ""):
        return None
    if not isinstance(value, dict):
        return str(_('Tulis sebagai objek JSON kode → nilai, mis. {"S": 2}.'))
    for key, item in value.items():
        if not CODE_KEY.match(str(key)):
            return str(
                _("Kode %(code)s tidak dikenal: pakai kode huruf besar, mis. S atau CT.")
                % {"code": key}
            )
        if whole_days:
            if isinstance(item, bool) or not isinstance(item, int) or not 0 <= item <= 31:
                return str(
                    _('Nilai %(code)s harus bilangan bulat hari 0–31, mis. {"S": 2}.')
                    % {"code": key}
                )
            continue
        try:
            pct = Decimal(str(item))
        except (InvalidOperation, ValueError):
            pct = None
        if isinstance(item, bool) or pct is None or not pct.is_finite() or not 0 <= pct <= 100:
            return str(_('Nilai %(code)s harus persen 0–100, mis. {"CS": "0.5"}.') % {"code": key})
    return None


ROUNDING_CHOICES = [
    (Rounding.FLOOR.value, _("dibulatkan ke bawah (menit penuh)")),
    (Rounding.STARTED.value, _("menit yang dimulai dihitung")),
]


class RuleSet(models.Model):
    """One row of the dated rule table: band limits, deductions, monthly cap (DESIGN §2).

    The row in force on a date is the one with the latest ``valid_from`` that covers it.
    Changing the rules from a date is a new row from that date (see
    ``govem.attendance.days.change_rules``), so earlier months keep the rules they had.
    """

    code = models.CharField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama / dasar hukum"), max_length=200)
    valid_from = models.DateField(_("berlaku mulai"))
    valid_to = models.DateField(_("berlaku sampai"), null=True, blank=True)
    band1_max = models.PositiveSmallIntegerField(_("batas band 1 (menit)"), default=30)
    band2_max = models.PositiveSmallIntegerField(_("batas band 2 (menit)"), default=60)
    band3_max = models.PositiveSmallIntegerField(_("batas band 3 (menit)"), default=90)
    tl1_pct = models.DecimalField(_("potongan TL1 (%)"), max_digits=6, decimal_places=3)
    tl2_pct = models.DecimalField(_("potongan TL2 (%)"), max_digits=6, decimal_places=3)
    tl3_pct = models.DecimalField(_("potongan TL3 (%)"), max_digits=6, decimal_places=3)
    tl4_pct = models.DecimalField(_("potongan TL4 (%)"), max_digits=6, decimal_places=3)
    psw1_pct = models.DecimalField(_("potongan PSW1 (%)"), max_digits=6, decimal_places=3)
    psw2_pct = models.DecimalField(_("potongan PSW2 (%)"), max_digits=6, decimal_places=3)
    psw3_pct = models.DecimalField(_("potongan PSW3 (%)"), max_digits=6, decimal_places=3)
    psw4_pct = models.DecimalField(_("potongan PSW4 (%)"), max_digits=6, decimal_places=3)
    tk_pct = models.DecimalField(_("potongan TK per hari (%)"), max_digits=6, decimal_places=3)
    monthly_cap_pct = models.DecimalField(
        _("batas potongan per bulan (%)"), max_digits=6, decimal_places=3
    )
    absence_pcts = models.JSONField(
        _("potongan per kode ketidakhadiran (%)"),
        default=_default_pcts,
        blank=True,
        help_text=_('Contoh: {"CS": "0.5"}. Kode yang tidak disebut tidak dipotong.'),
    )
    unit = models.ForeignKey(
        "people.Unit",
        verbose_name=_("hanya untuk unit (termasuk sub-unit)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rule_sets",
        help_text=_("Kosongkan untuk seluruh kabupaten; unit terdekat yang punya aturan menang."),
    )
    active = models.BooleanField(
        _("aktif"),
        default=True,
        help_text=_("Aturan contoh tidak aktif: tidak dipakai sampai diaktifkan."),
    )
    tk_mode = models.CharField(
        _("cara potongan TK"),
        max_length=16,
        choices=[
            (TkMode.PER_DAY.value, _("persen tetap per hari")),
            (TkMode.MONTH_SHARE.value, _("bagian bulan: persen ÷ hari kerja bulan itu")),
        ],
        default=TkMode.PER_DAY.value,
    )
    tk_month_pct = models.DecimalField(
        _("potongan TK sebulan penuh (%)"),
        max_digits=6,
        decimal_places=3,
        default=Decimal("100"),
        help_text=_("Dipakai bila cara potongan TK = bagian bulan (mis. 100 ÷ 20 = 5 %)."),
    )
    late_rounding = models.CharField(
        _("pembulatan menit terlambat"),
        max_length=8,
        choices=ROUNDING_CHOICES,
        default=Rounding.FLOOR.value,
    )
    early_rounding = models.CharField(
        _("pembulatan menit pulang cepat"),
        max_length=8,
        choices=ROUNDING_CHOICES,
        default=Rounding.STARTED.value,
    )
    missing_punch = models.CharField(
        _("menit dicatat bila tidak presensi masuk/pulang"),
        max_length=16,
        choices=[
            (MissingPunch.NONE.value, _("tidak ada")),
            (MissingPunch.FIXED.value, _("menit tetap")),
            (MissingPunch.HALF_DAY.value, _("setengah hari kerja menurut jadwal")),
        ],
        default=MissingPunch.NONE.value,
        help_text=_("Menit ini ikut dihitung untuk disiplin (PP 94/2021: 7,5 jam = 1 hari)."),
    )
    missing_punch_minutes = models.PositiveSmallIntegerField(
        _("menit tetap bila tidak presensi"), default=0
    )
    daily_cap_pct = models.DecimalField(
        _("batas potongan per hari (%)"),
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("Kosong: tanpa batas harian."),
    )
    allowances = models.JSONField(
        _("hari bebas potongan per bulan per kode"),
        default=_default_pcts,
        blank=True,
        help_text=_('Contoh: {"S": 2} — sakit tanpa surat bebas potongan s.d. 2 hari sebulan.'),
    )
    tpp_attendance_pct = models.DecimalField(
        _("komponen disiplin/kehadiran TPP (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("40"),
        help_text=_("Kepmendagri 061-5449/2019: 40 % disiplin kerja."),
    )
    tpp_productivity_pct = models.DecimalField(
        _("komponen produktivitas TPP (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("60"),
        help_text=_("Kepmendagri 061-5449/2019: 60 % produktivitas kerja."),
    )
    productivity_target_minutes = models.PositiveIntegerField(
        _("target menit aktivitas per bulan"),
        default=6750,
        help_text=_("Untuk produktivitas dalam menit (Kota Banjarmasin: 6.750 menit)."),
    )
    note = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("aturan potongan")
        verbose_name_plural = _("aturan potongan")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="ruleset_valid_range",
            ),
            models.CheckConstraint(
                condition=models.Q(band1_max__lt=models.F("band2_max"))
                & models.Q(band2_max__lt=models.F("band3_max")),
                name="ruleset_bands_increase",
            ),
            models.CheckConstraint(
                condition=models.Q(tpp_attendance_pct=100 - models.F("tpp_productivity_pct")),
                name="ruleset_tpp_shares_100",
            ),
        ]

    def __str__(self) -> str:
        until = f"–{self.valid_to}" if self.valid_to else "–"
        return f"{self.code} ({self.valid_from}{until})"

    PCT_FIELDS = (
        "tl1_pct", "tl2_pct", "tl3_pct", "tl4_pct",
        "psw1_pct", "psw2_pct", "psw3_pct", "psw4_pct",
        "tk_pct", "tk_month_pct", "monthly_cap_pct", "daily_cap_pct",
    )  # fmt: skip

    def clean(self) -> None:
        """Refuse what the day computation cannot read (a 500 later, when the row is used):
        each message names its field, each error has a stable code."""
        errors: dict[str, ValidationError] = {}
        for field in self.PCT_FIELDS:
            value = getattr(self, field)
            if value is not None and not Decimal("0") <= Decimal(str(value)) <= Decimal("100"):
                errors[field] = ValidationError(
                    _("Persen harus antara 0 dan 100."), code="rule_pct_out_of_range"
                )
        problem = _code_map_problem(self.absence_pcts, whole_days=False)
        if problem:
            errors["absence_pcts"] = ValidationError(problem, code="rule_absence_pcts_invalid")
        problem = _code_map_problem(self.allowances, whole_days=True)
        if problem:
            errors["allowances"] = ValidationError(problem, code="rule_allowances_invalid")
        if self.missing_punch == MissingPunch.FIXED.value and not self.missing_punch_minutes:
            errors["missing_punch_minutes"] = ValidationError(
                _("Isi menit tetap (lebih dari 0) bila tidak presensi dicatat menit tetap."),
                code="rule_missing_punch_minutes_required",
            )
        elif (self.missing_punch_minutes or 0) > MAX_BOOKED_MINUTES:
            errors["missing_punch_minutes"] = ValidationError(
                _("Menit tetap paling banyak 720 (12 jam)."),
                code="rule_missing_punch_minutes_too_many",
            )
        if errors:
            raise ValidationError(errors)

    def as_rules(self) -> Any:

        return Rules(
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            id=self.pk,
            code=self.code,
            band1_max=self.band1_max,
            band2_max=self.band2_max,
            band3_max=self.band3_max,
            late_pct=(self.tl1_pct, self.tl2_pct, self.tl3_pct, self.tl4_pct),
            early_pct=(self.psw1_pct, self.psw2_pct, self.psw3_pct, self.psw4_pct),
            tk_pct=self.tk_pct,
            monthly_cap_pct=self.monthly_cap_pct,
            absence_pct={str(k): Decimal(str(v)) for k, v in (self.absence_pcts or {}).items()},
            unit_id=self.unit_id,
            unit_path=self.unit.path if self.unit_id and self.unit else "",
            tk_mode=TkMode(self.tk_mode),
            tk_month_pct=self.tk_month_pct,
            late_rounding=Rounding(self.late_rounding),
            early_rounding=Rounding(self.early_rounding),
            missing_punch=MissingPunch(self.missing_punch),
            missing_punch_minutes=self.missing_punch_minutes,
            daily_cap_pct=self.daily_cap_pct,
            allowances={str(k): int(v) for k, v in (self.allowances or {}).items()},
            tpp_attendance_pct=self.tpp_attendance_pct,
            tpp_productivity_pct=self.tpp_productivity_pct,
            productivity_target_minutes=self.productivity_target_minutes,
        )


class DayRecord(models.Model):
    """What happened for one employee on one date: derived, recomputable, lockable."""

    employee = models.ForeignKey(
        "people.Employee",
        verbose_name=_("pegawai"),
        on_delete=models.CASCADE,
        related_name="day_records",
        db_index=False,  # dayrecord_employee_date (unique) leads with the employee
    )
    date = models.DateField(_("tanggal"))
    time_zone = models.CharField(_("zona waktu"), max_length=40)
    workday = models.BooleanField(_("hari kerja"), default=True)
    schedule_source = models.CharField(_("jadwal"), max_length=120, blank=True)
    expected_start = models.DateTimeField(_("jam masuk"), null=True, blank=True)
    expected_end = models.DateTimeField(_("jam pulang"), null=True, blank=True)
    first_in = models.DateTimeField(_("presensi masuk"), null=True, blank=True)
    last_out = models.DateTimeField(_("presensi pulang"), null=True, blank=True)
    late_minutes = models.PositiveIntegerField(_("menit terlambat"), default=0)
    early_minutes = models.PositiveIntegerField(_("menit pulang cepat"), default=0)
    # No index of its own: every query of a status names the date or the employee too
    # (dayrecord_date_status, dayrecord_employee_date), and each index is one more write
    # on every check-in's upsert.
    status = models.CharField(_("status"), max_length=8, blank=True)
    codes = models.JSONField(_("kode"), default=list, blank=True)
    deduction_pct = models.DecimalField(
        _("potongan (%)"), max_digits=7, decimal_places=3, default=0
    )
    explanation = models.CharField(_("keterangan"), max_length=400, blank=True)
    closed = models.BooleanField(_("hari sudah ditutup"), default=False)
    # False: a date before the employee's counting start (go-live): nothing booked.
    counted = models.BooleanField(_("dihitung"), default=True)
    # A "no check-out" clarification case is open for this day: a later check-out closes it
    # (govem.attendance.days.close_resolved_checkout_case) without a query when it is False.
    checkout_case_open = models.BooleanField(
        _("kasus belum presensi pulang terbuka"), default=False
    )
    rule_set = models.ForeignKey(
        RuleSet,
        verbose_name=_("aturan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    computed_at = models.DateTimeField(_("dihitung pada"))
    updated_at = models.DateTimeField(_("diubah pada"), db_index=True)
    locked = models.BooleanField(_("dikunci"), default=False)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dikunci oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    locked_at = models.DateTimeField(_("dikunci pada"), null=True, blank=True)
    lock_reason = models.CharField(_("alasan penguncian"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("rekap harian")
        verbose_name_plural = _("rekap harian")
        ordering = ["date", "employee_id"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="dayrecord_employee_date")
        ]
        indexes = [models.Index(fields=["date", "status"], name="dayrecord_date_status")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.date} {' '.join(self.codes or [])}"


class CacheGeneration(models.Model):
    """One row: a number every change to punch-context data bumps (database triggers).

    The punch path caches an employee's context (allowed areas, plans, absences, rules) per
    process and trusts it only while this number is the one it was built at, so a change on
    any machine takes effect on the very next punch everywhere (govem.attendance.context).
    """

    value = models.BigIntegerField(default=1)

    class Meta:
        verbose_name = _("generasi cache presensi")
        verbose_name_plural = _("generasi cache presensi")

    def __str__(self) -> str:
        return str(self.value)
