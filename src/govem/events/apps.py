from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "govem.events"
    label = "events"
    verbose_name = _("Apel dan upacara")

    def ready(self) -> None:
        # in ready(): the app registry is loaded, models may be imported
        from govem.accounts import audit
        from govem.events import models

        audit.track(models.Event)
        audit.track_m2m(models.Event.units.through, models.Event.employees.through)
