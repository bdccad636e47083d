from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class XunchaConfig(AppConfig):
    name = "xuncha"
    verbose_name = _("Xuncha platform")

    def ready(self):
        # The platform's own tasks are registered once Django is set up: importing them when the
        # package is imported (celery autodiscover force=True) broke `python -m xuncha.embedded_pg`
        # without DATABASE_URL, i.e. `make demo` and `make test` on a fresh clone.
        # Every save of the platform's models checks text lengths first (a clear error, never a DataError).
        from xuncha import tasks, text_limits  # noqa: F401

        text_limits.connect()
