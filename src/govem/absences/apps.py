from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AbsencesConfig(AppConfig):
    name = "govem.absences"
    verbose_name = _("Izin, sakit, cuti dan dinas")

    def ready(self) -> None:
        # in ready(): the app registry is loaded, models may be imported
        from govem.absences import models
        from govem.accounts import audit

        audit.track(models.AbsenceType, models.AbsenceRequest, models.Clarification)

        # in ready(): the app registry is loaded, models may be imported
        from govem.absences.clarifications import open_clarifications, open_known_gaps
        from govem.operations.phases import register_step

        for phase in ("reconcile", "close"):
            register_step(
                phase,
                "clarifications",
                open_known_gaps,
                order=60,
                label="Kasus klarifikasi (yang sudah diketahui)",
            )
        register_step(
            "settle",
            "clarifications",
            open_clarifications,
            order=30,
            label="Kasus klarifikasi presensi",
        )
