"""The Celery application; tasks carry their organisation's schema in a header."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings")

app = CeleryApp("xuncha")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
