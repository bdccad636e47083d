from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "tenants.agencies"
    label = "agencies"
    verbose_name = _("Agencies and unit contacts (协作单位)")
