"""The API's one exception handler (REST_FRAMEWORK["EXCEPTION_HANDLER"]): services raise Django's
ValidationError / PermissionDenied and views let them through; the caller gets a 400 / 403 in its language.

Bodies (documented for every operation by xuncha/api_schema.py):
- a ValidationError keyed by field: `{"field": ["…"]}`;
- one for the whole request: `{"detail": ["…"], "code": "…"}` (its code, "invalid" when it has none);
  code "not_allowed" (a role that may not take this step) is answered 403 with the same body;
- PermissionDenied: 403 `{"detail": "…"}`; Http404 and a missing record: 404 `{"detail": "未找到。"}` (the
  message names no model); an unreadable body: 400 `{"detail": "…"}` without the parser's English detail.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

NOT_ALLOWED = "not_allowed"


def error_code(error: ValidationError) -> str:
    """The code of a service's ValidationError; one raised with a list of messages carries it on each."""
    codes = [getattr(error, "code", None)] + [getattr(e, "code", None) for e in getattr(error, "error_list", ())]
    return next((code for code in codes if code), "invalid")


def validation_error_body(error: ValidationError) -> dict[str, Any]:
    """A service's ValidationError as an API error body."""
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {"detail": [str(m) for m in error.messages], "code": error_code(error)}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ValidationError):
        set_rollback()
        refused = not hasattr(exc, "error_dict") and error_code(exc) == NOT_ALLOWED
        code = status.HTTP_403_FORBIDDEN if refused else status.HTTP_400_BAD_REQUEST
        return Response(validation_error_body(exc), status=code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, exceptions.ParseError):
        exc = exceptions.ParseError(_("The request body could not be read: send valid JSON or form data."))
    return drf_exception_handler(exc, context)
