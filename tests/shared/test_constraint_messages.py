"""No page shows a database constraint's internal name: every check (and conditional unique) constraint
says in a Chinese sentence what is wrong, and a check names the field it concerns."""

from __future__ import annotations

from datetime import date

from django.apps import apps
from django.db import models
from django.utils import translation
from django_tenants.utils import schema_context

DEFAULT_MESSAGE = models.BaseConstraint.default_violation_error_message


def explained_constraints():
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.CheckConstraint) or (
                isinstance(constraint, models.UniqueConstraint)
                and (constraint.condition is not None or constraint.expressions)
            ):
                yield model, constraint


def test_every_constraint_explains_itself_in_chinese():
    found = list(explained_constraints())
    assert len(found) >= 40  # the project's check and conditional unique constraints (positive control)
    problems = []
    with translation.override("zh-hans"):
        for model, constraint in found:
            message = str(constraint.get_violation_error_message())
            if constraint.violation_error_message in (None, DEFAULT_MESSAGE) or constraint.name in message:
                problems.append(f"{model.__name__}.{constraint.name}: no message of its own")
            elif message == str(constraint.violation_error_message) and message.isascii():
                problems.append(f"{model.__name__}.{constraint.name}: “{message}” is not translated")
    assert problems == []


def test_a_round_ending_before_it_starts_is_explained_on_the_end_date(client, orgs, make_member):
    """The round edit page, as the office: end before start gives the field's message, never
    约束 “rounds_onsite_window_order” 是无效的."""
    from tenants.rounds.services import round_create

    admin = make_member(orgs["county_a"], "office_admin", clearance=3)
    with schema_context(orgs["county_a"].schema_name):
        round = round_create(
            name="2026年第三轮常规巡察",
            kind="regular",
            actor=admin,
            onsite_start=date(2026, 9, 1),
            onsite_end=date(2026, 9, 30),
        )
    client.force_login(admin)
    edit = f"/org/410621/rounds/{round.pk}/edit/"
    form = client.get(edit).content.decode()
    assert 'name="onsite_end"' in form
    page = client.post(
        edit,
        {
            "name": round.name,
            "kind": "regular",
            "onsite_start": "2026-09-30",
            "onsite_end": "2026-09-01",
            "classification": "1",
        },
    ).content.decode()
    assert "进驻结束日期不能早于进驻开始日期" in page
    assert "rounds_onsite_window_order" not in page and "约束" not in page
    with schema_context(orgs["county_a"].schema_name):
        round.refresh_from_db()
    assert (round.onsite_start, round.onsite_end) == (date(2026, 9, 1), date(2026, 9, 30))  # nothing saved


def test_the_message_sits_on_its_field_in_a_model_form(orgs):
    from tenants.rounds.forms import RoundForm

    with translation.override("zh-hans"), schema_context(orgs["county_a"].schema_name):
        form = RoundForm(
            {
                "name": "第四轮",
                "kind": "regular",
                "onsite_start": "2026-10-09",
                "onsite_end": "2026-10-01",
                "classification": "1",
            },
            clearance=3,
        )
        assert not form.is_valid()
        assert form.errors["onsite_end"] == ["进驻结束日期不能早于进驻开始日期。"]
        assert not form.non_field_errors()
