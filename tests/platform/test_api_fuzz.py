"""API fuzz (issue 10 guard): schemathesis generates requests from the OpenAPI schema a county and the city
serve, signed in as their demo office admins, and sends them through the WSGI application (session cookie
and CSRF token as a browser sends them). Every answer must be a non-5xx response that the schema documents
(status code, content type, body), and whose refusals are in Chinese and name no database constraint.
Valid requests (positive) and invalid ones (negative) both.

A bounded, derandomised number of examples per operation keeps it to about a minute and makes a failure
reproducible; each failure names the operation, the check and the request."""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import secrets

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

from xuncha import demo

# per operation and generation mode; FUZZ_EXAMPLES=50 for a deeper run by hand
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 3))
CJK = re.compile(r"[\u4e00-\u9fff]")


def _messages(body, key=None):
    """Every message string of an error body (the machine-readable `code` is not a message)."""
    if isinstance(body, dict):
        for name, value in body.items():
            yield from _messages(value, name)
    elif isinstance(body, list):
        for value in body:
            yield from _messages(value, key)
    elif isinstance(body, str) and key != "code":
        yield body


@schemathesis.check
def chinese_error_messages(ctx, response, case):
    """A refusal (4xx with a JSON body) speaks Chinese to a Chinese caller, and never names a database
    constraint (issue 10 point 5: 约束 “rounds_onsite_window_order” 是无效的)."""
    if not 400 <= response.status_code < 500 or "json" not in (response.headers.get("content-type") or [""])[0]:
        return None
    for message in _messages(response.json()):
        assert CJK.search(message), f"error message not in Chinese: {message[:200]}"
        assert "约束" not in message and "onstraint" not in message, f"names a constraint: {message[:200]}"
    return True


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    chinese_error_messages,
]


@contextlib.contextmanager
def _wsgi_app():
    """The site as a WSGI app in this test's transaction: like django.test.Client, a request must not close
    the connection when it ends (that would end the test transaction). The test client reconnects the
    signal after each of its own requests, so no client request is made inside this block."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def demo_data(orgs, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.demo_seed(password="demo-password-for-fuzz")


def _fuzz(client, *, code: str, username: str, schema_reader: str) -> list[str]:
    from shared.accounts.models import User

    client.force_login(User.objects.get(username=schema_reader))  # the API description is the office's to read
    response = client.get(f"/org/{code}/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = schemathesis.openapi.from_dict(response.json())
    client.force_login(User.objects.get(username=username))
    csrf = secrets.token_hex(16)  # a 32-character CSRF secret, as cookie and header
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}
    headers = {"X-CSRFToken": csrf}
    base_url = f"http://localhost/org/{code}"  # the host schemathesis sets its cookies for
    failures: dict[tuple[str, str], str] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40  # positive control: the whole API is under test

    with _wsgi_app() as app:
        for operation, mode in itertools.product(operations, (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)):
            _run(operation, mode, app=app, base_url=base_url, headers=headers, cookies=cookies, failures=failures)
    return sorted(failures.values())


def _run(operation, mode, *, app, base_url, headers, cookies, failures) -> None:
    """Send EXAMPLES generated requests for one operation; keep the first failure of each kind."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        response = case.call(app=app, base_url=base_url, headers=headers, cookies=cookies)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            for failure in group.exceptions:
                failures.setdefault(
                    (operation.label, type(failure).__name__),
                    (
                        f"{operation.label} [{mode.value}] {failure.title}: {failure.message[:300]}\n    "
                        f"{case.as_curl_command()[:1500]}"
                    ),
                )

    try:
        run()
    except Unsatisfiable:
        # Negative mode found no way to break this operation's schema (nothing in it can be made invalid);
        # a schema that admits no valid request at all is a fault.
        if mode is GenerationMode.POSITIVE:
            failures[(operation.label, "Unsatisfiable")] = f"{operation.label}: no valid request can be generated"


@pytest.mark.parametrize(
    "code,username",
    [
        ("410621", "xunxian.admin"),
        ("410600", "hebi.admin"),
        # the three administrators (三员分立): their own API, and a documented refusal everywhere else
        ("410621", "xunxian.sysadmin"),
        ("410621", "xunxian.secadmin"),
        ("410621", "xunxian.auditor"),
    ],
)
def test_the_api_answers_every_generated_request_as_its_schema_says(client, demo_data, code, username):
    failures = _fuzz(client, code=code, username=username, schema_reader=f"{username.split('.')[0]}.admin")
    assert not failures, "\n".join(failures)
