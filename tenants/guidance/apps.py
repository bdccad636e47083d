from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    name = "tenants.guidance"
    label = "guidance"
    verbose_name = _("Templates and guidance")

    def ready(self) -> None:
        from tenants.guidance import sharing  # noqa: F401  (registers the shared record type)
