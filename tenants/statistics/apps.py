from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "tenants.statistics"
    label = "statistics"
    verbose_name = _("Statistics reports")

    def ready(self) -> None:
        from tenants.statistics import sharing  # noqa: F401  (registers the shared record type)
