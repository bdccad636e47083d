from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BusKeysConfig(AppConfig):
    name = "shared.buskeys"
    label = "buskeys"
    verbose_name = _("Bus keys")
