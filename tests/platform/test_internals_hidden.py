"""No internals on a Chinese page (issue 10, point 5): states, region codes, settings codes, category
codes and English prefixes are shown by name; a date that does not exist is called that. On the demo's
pages as the demo's people. (Constraint names: tests/shared/test_constraint_messages.py.)"""

from __future__ import annotations

import re

from django.test import Client
from django_tenants.utils import schema_context

from shared.accounts.models import User
from tests.platform.demo_world import deliver_everything
from xuncha.demo.core import FINISHED_SUFFIX


def signed_in(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(User.objects.get(username=username))
    return client


def text_of(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def finished_feedback_id() -> int:
    from tenants.rectification.models import Feedback

    with schema_context("org_410621"):
        return Feedback.objects.filter(round__name__endswith=FINISHED_SUFFIX).order_by("id").first().pk


def test_the_oversight_page_names_round_states(demo_world):
    text = text_of(signed_in("hebi.admin").get("/org/410600/reports/oversight/"))
    assert "浚县" in text and f"第一轮常规巡察{FINISHED_SUFFIX}" in text  # the county's statistics arrived
    assert "办结 · " in text and "进驻巡察 · " in text
    assert not re.search(r"\b(closed|on_site|feedback|planned)\b", text)


def test_county_progress_is_shown_with_the_county_name(demo_world):
    """The city's item supervised by 浚县: its progress report shows 浚县 推进中, not 410621 推进中."""
    from tenants.rectification.models import RectificationItem, SupervisedItem

    county = signed_in("xunxian.admin")
    with schema_context("org_410621"):
        supervised = SupervisedItem.objects.get()
    answer = county.post(
        f"/org/410621/rectification/supervised/{supervised.pk}/progress/",
        {"status": "in_progress", "progress_note": "已约谈责任人", "responsible_person": "张三"},
    )
    assert answer.status_code == 302
    deliver_everything(demo_world)
    with schema_context("org_410600"):
        feedback_id = RectificationItem.objects.get(assignee_org_code="410621").feedback_id
    text = text_of(signed_in("hebi.admin").get(f"/org/410600/rectification/feedback/{feedback_id}/"))
    assert "浚县 推进中" in text and "已约谈责任人" in text
    assert "410621" not in text


def test_settings_read_by_their_labels(demo_world):
    text = text_of(signed_in("xunxian.staff").get("/org/410621/office/settings/"))
    assert "全覆盖周期" in text and "巡察结束后按工作日计" in text
    assert "per_term" not in text and "working_days" not in text and "per_years" not in text


def test_finding_categories_are_listed_by_name(demo_world):
    from tenants.office.models import FindingCategory

    with schema_context("org_410621"):
        category = FindingCategory.objects.get(code="political-discipline")
    for username in ("xunxian.leader", "xunxian.admin"):
        text = text_of(signed_in(username).get("/org/410621/office/categories/"))
        assert category.name in text
        assert "political-discipline" not in text and "work-discipline" not in text


def test_an_item_error_is_numbered_in_chinese(demo_world):
    feedback_id = finished_feedback_id()
    staff = signed_in("xunxian.staff")
    answer = staff.post(
        f"/org/410621/rectification/feedback/{feedback_id}/items/",
        {"problem": "", "task": "任务", "responsible_unit": "单位", "responsible_person": "某人"},
        follow=True,
    )
    text = text_of(answer)
    assert "第1项：" in text
    assert "Item 1" not in text


def test_a_signature_date_that_does_not_exist_is_called_so(demo_world):
    feedback_id = finished_feedback_id()
    staff = signed_in("xunxian.staff")
    answer = staff.post(
        f"/org/410621/rectification/feedback/{feedback_id}/sign/",
        {"party": "unit_principal", "signer_name": "王五", "signed_on": "2026-02-30"},
        follow=True,
    )
    text = text_of(answer)
    assert "不存在这一天：2026-02-30。" in text
    assert "日期格式应为" not in text
    malformed = text_of(
        staff.post(
            f"/org/410621/rectification/feedback/{feedback_id}/sign/",
            {"party": "unit_principal", "signer_name": "王五", "signed_on": "30.2.2026"},
            follow=True,
        )
    )
    assert "日期格式应为" in malformed  # a badly written date is still told its format
