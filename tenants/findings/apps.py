from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class FindingsConfig(AppConfig):
    name = "tenants.findings"
    label = "findings"
    verbose_name = _("Findings and clues (问题与问题线索)")

    def ready(self):
        from tenants.findings import panels, sharing  # noqa: F401  (sharing registers findings.finding)
        from xuncha import home_panels

        home_panels.register(panels.findings_panel)

        if apps.is_installed("sync"):
            from tenants.findings import escalation

            escalation._register()
