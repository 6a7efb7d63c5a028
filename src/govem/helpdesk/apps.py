from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpdeskConfig(AppConfig):
    name = "govem.helpdesk"
    verbose_name = _("Kendala pegawai")

    def ready(self) -> None:
        # in ready(): the app registry is loaded, models may be imported
        from govem.accounts import audit
        from govem.helpdesk import models

        audit.track(models.Ticket, models.TicketReply)
