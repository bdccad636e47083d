from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class XunchaConfig(AppConfig):
    name = "xuncha"
    verbose_name = _("Xuncha platform")

    def ready(self):
        # Registers the built-in demo seed steps (organisations, people); apps add theirs.
        from xuncha import demo  # noqa: F401
