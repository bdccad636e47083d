from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoundsConfig(AppConfig):
    name = "tenants.rounds"
    label = "rounds"
    verbose_name = _("Rounds and teams (巡察轮次与巡察组)")

    def ready(self):
        from tenants.kernel.panels import rounds_panel
        from xuncha import home_panels

        home_panels.register(rounds_panel)
        from tenants.rounds import sharing  # noqa: F401  (shares a round on every transition)
