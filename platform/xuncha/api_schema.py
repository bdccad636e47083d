"""OpenAPI schema post-processing: every operation documents the error answers the API really gives.

drf-spectacular documents only the success response. The API also answers (the one exception handler,
tenants/kernel/errors.py, over DRF's):
- 400 with a body keyed by field (`{"title": ["…"]}`), by item for a list (`{"0": {"title": ["…"]}}`),
  or `{"detail": ["…"], "code": "…"}` for a whole-request problem;
- 403 `{"detail": "…"}` when the caller's role, team or clearance does not allow it (or not signed in);
- 404 `{"detail": "…"}` for a record the caller may not see or that does not exist; an address no route
  matches (say a non-numeric id) gets the site's HTML "not found" page.
The API fuzzer (tests/platform/test_api_fuzz.py) checks every answer against these."""

from __future__ import annotations

ERROR_BODY = {
    "type": "object",
    "description": "Messages (in the caller's language) keyed by field, by item number for a list, or "
    "`detail` (with `code`) for the whole request.",
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
