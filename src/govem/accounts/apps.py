from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "govem.accounts"
    verbose_name = _("Akun dan audit")

    def ready(self) -> None:
        from govem.accounts import audit, models

        audit.track(models.RoleScope)
