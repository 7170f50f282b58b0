from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ponti.accounts"
    label = "accounts"
    verbose_name = _("Utenti e ruoli")

    def ready(self) -> None:
        from .roles import sync_after_migrate

        post_migrate.connect(sync_after_migrate, dispatch_uid="ponti_sync_roles")
