"""The kernel's two ways a page calls a service: `form_submit` (a form page: refusals next to the fields) and
`run_service` (a POST action: refusals as messages), each with what the views rely on."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from tenants.kernel.views import form_submit, run_service


class NameForm(forms.Form):
    name = forms.CharField(max_length=20)


def _request(method: str = "post", data: dict | None = None):
    request = getattr(RequestFactory(), method)("/org/410621/somewhere/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _messages(request) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(request)]


def test_form_submit_saves_a_valid_post_and_redirects_by_the_result():
    request, calls = _request(data={"name": "张三"}), []

    def save(data):
        calls.append(data)
        return 42

    response = form_submit(
        request, NameForm(request.POST), save, success="已保存。", redirect_to=lambda pk: f"/x/{pk}/"
    )
    assert calls == [{"name": "张三"}]
    assert response is not None and response.status_code == 302 and response["Location"] == "/x/42/"
    assert _messages(request) == [("success", "已保存。")]


def test_form_submit_puts_a_refusal_next_to_its_field_and_saves_nothing_else():
    request = _request(data={"name": "张三"})
    form = NameForm(request.POST)

    def refuse(data):
        raise ValidationError({"name": "此名称已被使用。", "elsewhere": "另一条理由。"})

    assert form_submit(request, form, refuse, success="已保存。", redirect_to="/x/") is None
    assert form.errors["name"] == ["此名称已被使用。"]
    assert form.non_field_errors() == ["另一条理由。"]  # a field the form lacks: shown above the form
    assert _messages(request) == []  # no success message


def test_form_submit_calls_nothing_on_a_get_or_an_invalid_form():
    calls = []
    get = _request("get")
    assert form_submit(get, NameForm(), calls.append, success="已保存。", redirect_to="/x/") is None
    post = _request(data={"name": ""})
    form = NameForm(post.POST)
    assert form_submit(post, form, calls.append, success="已保存。", redirect_to="/x/") is None
    assert calls == [] and "name" in form.errors


def test_run_service_success_from_the_result_or_none_and_a_service_taking_request():
    request = _request()

    def service(*, request, value):
        return value * 2

    result, response = run_service(
        request, service, success=lambda doubled: f"结果：{doubled}", redirect_to="/back/", request=request, value=4
    )
    assert result == 8 and response["Location"] == "/back/"
    assert _messages(request) == [("success", "结果：8")]
    quiet = _request()
    assert run_service(quiet, service, success=None, redirect_to="/back/", request=quiet, value=1)[0] == 2
    assert _messages(quiet) == []


def test_run_service_refuses_a_malformed_date_before_the_service():
    request, calls = _request(), []
    result, response = run_service(
        request,
        lambda **kwargs: calls.append(kwargs),
        success="好。",
        redirect_to="/back/",
        dates={"due": "2026-02-30"},
    )
    assert result is None and response["Location"] == "/back/" and calls == []
    assert _messages(request) == [("error", "There is no such date: 2026-02-30.")]
