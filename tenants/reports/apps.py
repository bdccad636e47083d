from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "tenants.reports"
    label = "reports"
    verbose_name = _("Reporting and filings (报告与备案)")

    def ready(self) -> None:
        from tenants.reports import (
            panels,  # noqa: F401  (home panels)
            sharing,  # noqa: F401  (bus record types, when the bus is installed)
        )
