from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ponti.core"
    label = "core"
    verbose_name = _("Nucleo")

    def ready(self) -> None:
        from . import audit, ids, text

        audit.connect_signals()
        text.install_form_check()
        ids.install_choice_check()
        audit.install_command_channel()
