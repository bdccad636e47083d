"""Small shared pieces for the inspection-work web pages."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.http import Http404
from django.shortcuts import redirect


def run_service(request, service, *, success: str, redirect_to: str, **kwargs):
    """Call a service from a POST; its ValidationError becomes a message (never echoing input)."""
    try:
        result = service(**kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return None, redirect(redirect_to)
    messages.success(request, success)
    return result, redirect(redirect_to)


def parse_date(value) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({"date": _("Give dates as YYYY-MM-DD.")}) from None


def get_or_404(queryset, pk):
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def require_post(request):
    if request.method != "POST":
        raise Http404
