from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "govem.accounts"
    verbose_name = _("Akun dan audit")

    def ready(self) -> None:
        # in ready(): the app registry is loaded, models may be imported
        from govem.accounts import audit, models

        audit.track(models.RoleScope)
