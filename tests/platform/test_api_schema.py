"""The OpenAPI schema (drf-spectacular) generates cleanly: no errors, no warnings (issue 10: there were 8
errors and 41 warnings, so the schema the API fuzzer reads described views it could not type)."""

from __future__ import annotations

import json

from django.core.management import call_command


def test_the_api_schema_generates_with_zero_errors_and_zero_warnings(tmp_path):
    target = tmp_path / "schema.json"
    # --fail-on-warn raises SchemaGenerationError on any error or warning; --validate checks it against OpenAPI 3
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(target))
    schema = json.loads(target.read_text(encoding="utf-8"))
    # positive control: the schema describes the API, ids typed as integers
    parameters = schema["paths"]["/api/findings/findings/{id}/"]["get"]["parameters"]
    assert [(p["name"], p["schema"]["type"]) for p in parameters if p["in"] == "path"] == [("id", "integer")]
    assert "/api/me/" in schema["paths"] and "/api/crossorg/" in schema["paths"]
