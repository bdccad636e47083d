from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrossorgConfig(AppConfig):
    name = "tenants.crossorg"
    label = "crossorg"
    verbose_name = _("Elevated, cross-county and linked rounds (提级、交叉、联动巡察)")

    def ready(self):
        from tenants.attachments.registry import attachment_owner_register
        from tenants.attachments.travel import attachment_replica_register, attachment_travels
        from tenants.crossorg import arrivals, campaign_arrivals, registries, round_behaviours, sharing, views  # noqa: F401  (registrations)
        from tenants.crossorg.models import Campaign
        from tenants.crossorg.selectors import campaign_files_visible, campaign_received_files_visible

        # the campaign's attachments for the counties: downloaded here by whoever may open the campaign's page
        attachment_owner_register(model=Campaign, visible=campaign_files_visible)
        # ... and they go with the campaign to each county taking part; there whoever may open the campaign's
        # arrival page opens them
        attachment_travels(model=Campaign)
        attachment_replica_register(record_type="planning.campaign", visible=campaign_received_files_visible)
