from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "govem.attendance"
    verbose_name = _("Presensi")

    def ready(self) -> None:
        from govem.accounts import audit
        from govem.attendance import models

        audit.track(models.RuleSet)
