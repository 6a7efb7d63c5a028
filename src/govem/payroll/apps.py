from __future__ import annotations

from django.apps import AppConfig


class PayrollConfig(AppConfig):
    name = "govem.payroll"
    label = "payroll"
    verbose_name = "TPP"

    def ready(self) -> None:
        # in ready(): the app registry is loaded, models may be imported
        from govem.accounts import audit
        from govem.payroll import models

        audit.track(models.Pagu, models.Productivity, models.Sentence)
