from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "ponti.agreements"
    label = "agreements"
    verbose_name = _("Accordi")

    def ready(self) -> None:
        from . import activity

        activity.connect()
