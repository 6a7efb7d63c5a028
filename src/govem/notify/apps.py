from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "govem.notify"
    verbose_name = _("Notifikasi")

    def ready(self) -> None:
        # in ready(): the app registry is loaded, models may be imported
        from govem.accounts import audit
        from govem.notify import models

        audit.track(models.MessageTemplate, models.ContactChannel)

        # in ready(): the app registry is loaded, models may be imported
        from govem.notify import absences, steps

        steps.register()
        absences.connect()
