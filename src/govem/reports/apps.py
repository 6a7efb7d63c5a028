from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "govem.reports"
    verbose_name = _("Laporan presensi")

    def ready(self) -> None:
        # in ready(): the app registry is loaded, models may be imported
        from govem.operations.phases import register_step
        from govem.reports.drafts import write_draft

        register_step(
            "reconcile",
            "report_draft",
            write_draft,
            order=50,
            label="Draf laporan harian",
        )
        # Re-drafted once the day is settled: the draft then holds the final TK and PSW4.
        register_step(
            "settle",
            "report_draft",
            write_draft,
            order=50,
            label="Draf laporan harian (hari selesai)",
        )
