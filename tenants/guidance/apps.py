from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    name = "tenants.guidance"
    label = "guidance"
    verbose_name = _("Templates and guidance")

    def ready(self) -> None:
        from tenants.attachments.registry import attachment_owner_register
        from tenants.attachments.travel import attachment_replica_register, attachment_travels
        from tenants.guidance import panels, sharing  # noqa: F401  (sharing: registers the shared record type)
        from tenants.guidance.models import GuidanceDocument
        from tenants.guidance.selectors import guidance_files_visible, guidance_received_visible
        from xuncha import home_panels

        home_panels.register(panels.guidance_panel)

        # Files go down with the document, to every office it reaches; there whoever reads the guidance pages
        # (the office and the rounds' teams), cleared for it, opens them.
        attachment_owner_register(model=GuidanceDocument, visible=guidance_files_visible)
        attachment_travels(model=GuidanceDocument)
        attachment_replica_register(record_type="guidance.document", visible=guidance_received_visible)
