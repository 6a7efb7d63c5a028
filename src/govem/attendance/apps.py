from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_triggers(sender: Any, using: str = "default", **kwargs: Any) -> None:
    # in ready(): the app registry is loaded, models may be imported
    from govem.attendance.context import install_triggers

    install_triggers(connections[using])

    # in ready(): the app registry is loaded, models may be imported
    from govem.attendance.partitions import install_first_punch_trigger

    install_first_punch_trigger(connections[using])

    # in ready(): the app registry is loaded, models may be imported
    from govem.attendance.services import install_day_state_function

    install_day_state_function(connections[using])


class AttendanceConfig(AppConfig):
    name = "govem.attendance"
    verbose_name = _("Presensi")

    def ready(self) -> None:
        # in ready(): the app registry is loaded, models may be imported
        from govem.accounts import audit
        from govem.attendance import models

        audit.track(models.RuleSet)
        # After every migrate (and flush): the punch context's generation triggers.
        post_migrate.connect(_install_triggers, sender=self, dispatch_uid="govem-generation")

        # in ready(): the app registry is loaded, models may be imported
        from govem.attendance.partitions import prepare_step
        from govem.operations.phases import register_step

        # PostgreSQL: the next months' punch partitions exist before their first check-in.
        register_step(
            "prepare", "punch_partitions", prepare_step, order=5, label="Partisi presensi"
        )
