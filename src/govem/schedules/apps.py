from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulesConfig(AppConfig):
    name = "govem.schedules"
    verbose_name = _("Jadwal kerja")

    def ready(self) -> None:
        # in ready(): the app registry is loaded, models may be imported
        from govem.accounts import audit
        from govem.schedules import models

        audit.track(
            models.WorkSchedule,
            models.ScheduleDay,
            models.ScheduleAssignment,
            models.Shift,
            models.RosterEntry,
            models.SpecialPeriod,
            models.CalendarOverride,
            models.UnitCalendar,
        )
        audit.track_m2m(
            models.SpecialPeriod.units.through,
            models.SpecialPeriod.base_schedules.through,
            models.CalendarOverride.units.through,
        )
