from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoundsConfig(AppConfig):
    name = "tenants.rounds"
    label = "rounds"
    verbose_name = _("Rounds and teams (巡察轮次与巡察组)")

    def ready(self):
        from tenants.experts.signals import expert_user_changed
        from tenants.kernel.panels import rounds_panel
        from tenants.rounds import services, sharing  # noqa: F401  (sharing: shares a round on every transition)
        from xuncha import home_panels

        home_panels.register(rounds_panel)
        expert_user_changed.connect(services.rounds_follow_expert, dispatch_uid="rounds_follow_expert")
