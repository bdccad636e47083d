"""OpenAPI schema post-processing: every operation documents the error answers the API really gives.

drf-spectacular documents only the success response. The API also answers (tenants/kernel/api.py,
tenants/kernel/errors.py, DRF's exception handler):
- 400 with a body keyed by field (`{"title": ["…"]}`), by item for a list (`{"0": {"title": ["…"]}}`),
  or `{"detail": ["…"], "code": "…"}` / `{"non_field_errors": ["…"]}` for a whole-request problem;
- 403 `{"detail": "…"}` when the caller's role, team or clearance does not allow it (or not signed in);
- 404 `{"detail": "…"}` for a record the caller may not see or that does not exist; an address no route
  matches (say a non-numeric id) gets the site's HTML "not found" page.
The API fuzzer (tests/platform/test_api_fuzz.py) checks every answer against these."""

from __future__ import annotations

ERROR_BODY = {
    "type": "object",
    "description": "Messages (in the caller's language) keyed by field, by item number for a list, or "
    "`detail` (with `code`) / `non_field_errors` for the whole request.",
    "additionalProperties": True,
}
DETAIL_BODY = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
HTML_PAGE = {"type": "string"}


def _json(ref: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


ERRORS = {
    "400": {"description": "Refused input", "content": _json("ErrorBody")},
    "403": {"description": "Not allowed to this caller", "content": _json("ErrorDetail")},
    "404": {
        "description": "No such record for this caller (or no such address: HTML page)",
        "content": {**_json("ErrorDetail"), "text/html": {"schema": HTML_PAGE}},
    },
}


def document_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {}).update(
        {"ErrorBody": ERROR_BODY, "ErrorDetail": DETAIL_BODY}
    )
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            for status, response in ERRORS.items():
                operation["responses"].setdefault(status, response)
    return result


def exception_handler(exc, context):
    """DRF's handler, with messages that speak the caller's language and name nothing internal: a 404
    says only "not found" (Django's get_object_or_404 message names the model, in English), and a body
    that cannot be parsed is refused without the parser's English detail."""
    from django.http import Http404
    from django.utils.translation import gettext as _
    from rest_framework import exceptions
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, exceptions.ParseError):
        exc = exceptions.ParseError(_("The request body could not be read: send valid JSON or form data."))
    return drf_exception_handler(exc, context)
