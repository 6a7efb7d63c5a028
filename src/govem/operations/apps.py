from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "govem.operations"
    verbose_name = _("Operasi harian")

    def ready(self) -> None:
        # in ready(): the app registry is loaded, models may be imported
        from govem.accounts import audit
        from govem.operations import models, steps

        steps.register()
        audit.track(models.CountingStart)
