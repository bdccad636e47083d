from django.utils.translation import gettext_lazy as _

from tenants.guidance.selectors import guidance_readable
from tenants.kernel.panels import panel_provider

guidance_panel = panel_provider(
    shown=guidance_readable,
    title=_("Guidance and notices"),
    url_name="guidance:index",
    description=_("Templates, guidance and notices issued to the offices below, and those received from above"),
    order=85,
)
