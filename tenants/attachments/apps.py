from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttachmentsConfig(AppConfig):
    name = "tenants.attachments"
    label = "attachments"
    verbose_name = _("Attachments (附件)")
    default_auto_field = "django.db.models.BigAutoField"
