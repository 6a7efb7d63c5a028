"""TPP in Rupiah: the imported ceilings (pagu), the monthly productivity, discipline sentences.

The month's TPP itself is not stored: it is computed (``govem.payroll.tpp``) from these, the
day ledger and the rule table, so a correction anywhere shows in the next report.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from govem.rules.discipline import LADDER
from govem.rules.tpp import add_months


class Pagu(models.Model):
    """One row of the TPP ceiling table: per employee (NIP), position name or job class.

    The most specific row wins for an employee (NIP, then position, then class); among rows
    of one key, the one in force on the month's last day.
    """

    class Basis(models.TextChoices):
        EMPLOYEE = "pegawai", _("Pegawai (NIP)")
        POSITION = "jabatan", _("Jabatan")
        CLASS = "kelas", _("Kelas jabatan")

    basis = models.CharField(_("dasar"), max_length=8, choices=Basis.choices)
    key = models.CharField(_("kunci (NIP / jabatan / kelas)"), max_length=200)
    amount = models.BigIntegerField(_("pagu TPP (Rp)"), validators=[MinValueValidator(0)])
    valid_from = models.DateField(_("berlaku mulai"))
    valid_to = models.DateField(_("berlaku sampai"), null=True, blank=True)
    note = models.CharField(_("catatan / dasar"), max_length=300, blank=True)
    imported_at = models.DateTimeField(_("diimpor pada"), auto_now=True)

    class Meta:
        verbose_name = _("pagu TPP")
        verbose_name_plural = _("pagu TPP")
        ordering = ["basis", "key", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["basis", "key", "valid_from"], name="pagu_key_from"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="pagu_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.basis}:{self.key} Rp {self.amount} ({self.valid_from})"


class Productivity(models.Model):
    """The month's productivity of one employee: a percentage or activity minutes."""

    class Source(models.TextChoices):
        IMPORT = "import", _("Impor e-kinerja")
        OPERATOR = "operator", _("Diisi operator")

    employee = models.ForeignKey(
        "people.Employee",
        verbose_name=_("pegawai"),
        on_delete=models.CASCADE,
        related_name="productivity",
    )
    month = models.DateField(_("bulan"), help_text=_("Tanggal 1 bulan itu."))
    percent = models.DecimalField(
        _("capaian (%)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
    )
    minutes = models.PositiveIntegerField(_("menit aktivitas"), null=True, blank=True)
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diisi oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("diisi pada"), auto_now=True)

    class Meta:
        verbose_name = _("produktivitas bulanan")
        verbose_name_plural = _("produktivitas bulanan")
        ordering = ["-month", "employee_id"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "month"], name="productivity_month"),
            models.CheckConstraint(
                condition=models.Q(percent__isnull=False) | models.Q(minutes__isnull=False),
                name="productivity_has_figure",
            ),
        ]

    def __str__(self) -> str:
        figure = f"{self.percent} %" if self.percent is not None else f"{self.minutes} menit"
        return f"{self.employee_id} {self.month:%Y-%m} {figure}"


SENTENCE_KINDS = [(level.code, level.name) for level in LADDER]
# Months and TPP cut of the kinds that cut TPP (PP 94/2021 art. 8 (3)).
SENTENCE_CUTS = {"tpp_25_6": (6, 25), "tpp_25_9": (9, 25), "tpp_25_12": (12, 25)}


class Sentence(models.Model):
    """A discipline sentence BKPSDM records (PP 94/2021): its decree, start and months.

    A sentence that cuts TPP (``cut_pct`` > 0) is applied by the monthly TPP for the months
    from ``starts`` (a first of month) for ``months`` months.
    """

    employee = models.ForeignKey(
        "people.Employee",
        verbose_name=_("pegawai"),
        on_delete=models.PROTECT,
        related_name="sentences",
    )
    kind = models.CharField(_("jenis hukuman"), max_length=30, choices=SENTENCE_KINDS)
    decree_number = models.CharField(_("nomor keputusan"), max_length=120)
    decree_date = models.DateField(_("tanggal keputusan"))
    starts = models.DateField(_("mulai berlaku (bulan)"))
    months = models.PositiveSmallIntegerField(
        _("lama (bulan)"), default=0, validators=[MaxValueValidator(36)]
    )
    cut_pct = models.DecimalField(
        _("pemotongan TPP (%)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    note = models.TextField(_("catatan"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("hukuman disiplin")
        verbose_name_plural = _("hukuman disiplin")
        ordering = ["-starts", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "decree_number"], name="sentence_decree_per_employee"
            ),
            models.CheckConstraint(
                condition=models.Q(cut_pct__gte=0) & models.Q(cut_pct__lte=100),
                name="sentence_cut_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.kind} {self.decree_number}"

    @property
    def kind_label(self) -> str:
        return gettext(dict(SENTENCE_KINDS).get(self.kind, self.kind))

    @property
    def cuts_tpp(self) -> bool:
        return self.cut_pct > 0 and self.months > 0

    @property
    def last_month(self) -> date:
        return add_months(self.starts, max(self.months, 1) - 1)

    def covers(self, month: date) -> bool:
        """True when ``month`` (a first of month) is one of the sentence's months."""
        return self.months > 0 and self.starts <= month < add_months(self.starts, self.months)
