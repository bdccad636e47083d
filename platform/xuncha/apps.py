from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class XunchaConfig(AppConfig):
    name = "xuncha"
    verbose_name = _("Xuncha platform")
