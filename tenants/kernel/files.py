"""The one file-download response (exports, documents): always an attachment, never cached."""

from __future__ import annotations

from django.http import HttpResponse


def file_response(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
