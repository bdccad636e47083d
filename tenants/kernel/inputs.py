"""Input checks shared by the inspection-work services (clear messages, no record content echoed)."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shared.accounts.models import Classification

StrOrPromise = str | Promise  # a message or a translatable one (gettext_lazy)


def classification_level(value: Any, *, default: int, minimum: int = 0) -> int:
    if value is None or value == "":
        return default
    try:
        level = int(value)
    except (TypeError, ValueError):
        raise ValidationError({"classification": _("Unknown classification level.")}) from None
    if level not in Classification.values:
        raise ValidationError({"classification": _("Unknown classification level.")})
    if level < minimum:
        raise ValidationError({"classification": _("This record cannot be classified below its minimum level.")})
    return level


def required_text(field: str, value: Any, label: StrOrPromise) -> str:
    """label: a translatable name of the field (gettext_lazy), shown in the error."""
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if not text:
        raise ValidationError({field: _("%(label)s is required.") % {"label": label}})
    return text


ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """The site's one date widget: <input type="date"> holding its value in ISO form (YYYY-MM-DD), whatever the
    page's language. A browser reads nothing else: a localised value (2026/08/10) shows as an empty box and is
    posted back empty, so saving a form unchanged would clear the date."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str = ISO_DATE) -> None:
        super().__init__(attrs=attrs, format=format)


class DateField(forms.DateField):
    """A form's date field, shown with DateInput (model forms: Meta.widgets = {name: DateInput()})."""

    widget = DateInput


ISO_DATE_SHAPE = re.compile(r"\d{4}-(?P<month>\d{2})-(?P<day>\d{2})")


def parse_date(value: Any, *, field: str = "date") -> datetime.date | None:
    """An ISO date (YYYY-MM-DD) from a form, API body or bus record; empty means none."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        shape = ISO_DATE_SHAPE.fullmatch(text)
        if shape and 1 <= int(shape["month"]) <= 12 and 1 <= int(shape["day"]) <= 31:  # no such day: 2026-02-30
            raise ValidationError({field: _("There is no such date: %(date)s.") % {"date": text}}) from None
        raise ValidationError({field: _("Give dates as YYYY-MM-DD.")}) from None
