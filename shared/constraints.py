"""Database constraints that explain themselves.

Django reports a violated CheckConstraint (or a conditional UniqueConstraint) as "Constraint “<name>” is
violated" — the constraint's internal name on a person's page. Every such constraint in the project
says instead what is wrong, in a sentence (a translatable msgid), and a check names the field it is
about, so a form shows the message beside that field:

    FieldCheck(condition=Q(onsite_end__gte=F("onsite_start")), name="rounds_onsite_window_order",
               field="onsite_end", message=_("The on-site period cannot end before it starts."))

`field` only decides where the message is shown: migrations see a plain CheckConstraint.
tests/shared/test_constraint_messages.py holds every model to this.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models


class FieldCheck(models.CheckConstraint):
    def __init__(self, *, condition, name, message, field: str | None = None, **kwargs):
        super().__init__(condition=condition, name=name, violation_error_message=message, **kwargs)
        self.field = field

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError as error:
            if self.field is None:
                raise
            raise ValidationError({self.field: error.error_list}) from None

    def deconstruct(self):
        _path, args, kwargs = super().deconstruct()
        return "django.db.models.CheckConstraint", args, kwargs

    def clone(self):
        _path, args, kwargs = super().deconstruct()
        return self.__class__(*args, message=kwargs.pop("violation_error_message", None), field=self.field, **kwargs)
