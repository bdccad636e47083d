from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "tenants.search"
    label = "search"
    verbose_name = _("Search (检索)")

    def ready(self):
        from tenants.search.panels import search_panel
        from xuncha import home_panels

        home_panels.register(search_panel)
