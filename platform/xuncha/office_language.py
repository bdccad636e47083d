"""Text the platform writes and keeps is written in the office's language.

A deadline note, a filing's title, a notification or an overdue item's label is generated once and read
later by anyone, often in another organisation (the city reads a county's overdue labels, the province a
city's filing titles). It must not depend on the language of the request, or of the worker, that happened
to generate it: generation runs inside `office_language()`, which activates settings.LANGUAGE_CODE
(zh-hans). Messages that answer the person in front of the screen (errors, confirmations) keep the
request's language and are not wrapped."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def office_language() -> translation.override:
    """Context manager (and decorator): gettext answers in the office's language inside it."""
    return translation.override(settings.LANGUAGE_CODE)
