"""Every CharField's max_length is checked before the database, for every model of the platform.

A too-long value used to reach PostgreSQL and come back as a 500 (`DataError: value too long for type
character varying(200)`), from any page, API or bus message whose own checks forgot a field. The
check runs on every save (pre_save, connected in XunchaConfig.ready) and raises a ValidationError
keyed by the field with a clear message, which the pages (run_service) and the APIs (the one exception
handler, tenants/kernel/errors.py) already turn into an error shown to the user; services call
`text_lengths_check` themselves before a bulk_create, which sends no signals. Model forms and model
serializers get the same limits from the model fields (HTML maxlength, a 400 before the service is called)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

# Apps whose models are checked: the platform's own (third-party apps keep their own rules).
CHECKED_APP_PREFIXES = ("tenants.", "shared.", "sync", "xuncha")


def text_too_long(label, *, limit: int, length: int):
    return _("%(label)s: at most %(limit)d characters (%(length)d given).") % {
        "label": capfirst(label),
        "limit": limit,
        "length": length,
    }


def text_lengths_check(instance: models.Model) -> None:
    """Raise a ValidationError naming each CharField of `instance` whose value is longer than its max_length."""
    problems = {}
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.CharField) or not field.max_length:
            continue
        value = getattr(instance, field.attname, None)
        if isinstance(value, str) and len(value) > field.max_length:
            problems[field.name] = text_too_long(field.verbose_name, limit=field.max_length, length=len(value))
    if problems:
        raise ValidationError(problems)


def _checked(sender) -> bool:
    name = sender._meta.app_config.name if sender._meta.app_config else ""
    return name.startswith(CHECKED_APP_PREFIXES)


def check_before_save(sender, instance, raw=False, **kwargs) -> None:
    if not raw and _checked(sender):
        text_lengths_check(instance)


def connect() -> None:
    models.signals.pre_save.connect(check_before_save, dispatch_uid="xuncha.text_limits")
