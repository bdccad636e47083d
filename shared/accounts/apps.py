from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "shared.accounts"
    label = "accounts"
    verbose_name = _("People and roles")

    def ready(self) -> None:
        from shared.accounts.references import user_references_record

        post_migrate.connect(user_references_record, sender=self, dispatch_uid="accounts_user_references")
