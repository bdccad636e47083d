from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "shared.grants"
    label = "grants"
    verbose_name = _("Cross-organisation access grants (跨单位授权)")

    def ready(self):
        from shared.grants.selectors import grant_access_for
        from xuncha import access_hooks

        access_hooks.register_provider(grant_access_for)
