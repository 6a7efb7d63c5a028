from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "govem.people"
    verbose_name = _("Kepegawaian")

    def ready(self) -> None:
        # in ready(): the app registry is loaded, models may be imported
        from govem.accounts import audit
        from govem.people import models

        audit.track(models.Unit, models.WorkLocation, models.Employee, models.Device)
        audit.track_m2m(models.Unit.locations.through, models.Employee.extra_locations.through)
