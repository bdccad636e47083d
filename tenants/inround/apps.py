from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InRoundConfig(AppConfig):
    name = "tenants.inround"
    label = "inround"
    verbose_name = _("In-round work (巡察了解)")

    def ready(self):
        from tenants.attachments.registry import attachment_owner_register
        from tenants.inround import panels, selectors
        from tenants.inround.models import WorkingPaper
        from xuncha import home_panels

        home_panels.register(panels.inround_panel)
        # A working paper's files are opened by whoever may open the paper; they stay in this office with it
        # (working papers have no bus policy, so no attachment_travels).
        attachment_owner_register(model=WorkingPaper, visible=selectors.working_paper_list)
