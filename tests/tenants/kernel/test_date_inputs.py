"""Edit pages give their dates to <input type="date"> in ISO form (YYYY-MM-DD), the only form a browser reads;
a localised date (2026/03/02) shows as an empty box and saving the page unchanged cleared it."""

from __future__ import annotations

import re
from datetime import date

from tests.html_forms import rendered_forms

ORG = "/org/410621/"


def _date_input(page: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
    assert 'type="date"' in tag
    value = re.search(r'value="([^"]*)"', tag)
    return value.group(1) if value else ""


def test_round_edit_page_renders_the_onsite_window_in_iso_and_saving_unchanged_keeps_it(
    client, county, staffed_round, office_user
):
    from tenants.rounds.models import Round

    client.force_login(office_user)
    response = client.get(f"{ORG}rounds/{staffed_round.pk}/edit/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "进驻" in page  # the Chinese page, with the round's fields
    assert _date_input(page, "onsite_start") == "2026-03-02"
    assert _date_input(page, "onsite_end") == "2026-03-31"

    (form,) = [form for form in rendered_forms(page) if form.method == "post" and form.action == ""]
    response = client.post(f"{ORG}rounds/{staffed_round.pk}/edit/", form.as_post())
    assert response.status_code == 302 and response["Location"] == f"{ORG}rounds/{staffed_round.pk}/"
    saved = Round.objects.get(pk=staffed_round.pk)
    assert (saved.onsite_start, saved.onsite_end) == (date(2026, 3, 2), date(2026, 3, 31))


def test_target_edit_page_renders_the_last_inspection_in_iso(client, county, office_user, make_target):
    target = make_target(name="白寺镇党委", last_inspected_on=date(2024, 8, 10))
    client.force_login(office_user)
    response = client.get(f"{ORG}targets/{target.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "白寺镇党委" in page
    assert _date_input(page, "last_inspected_on") == "2024-08-10"


def test_the_shared_date_widget_renders_iso_whatever_the_language(settings):
    from django.utils import translation

    from tenants.kernel.inputs import DateInput

    for language in ("zh-hans", "en"):
        with translation.override(language):
            html = DateInput().render("d", date(2026, 8, 10))
        assert 'type="date"' in html and 'value="2026-08-10"' in html


def test_every_date_field_of_every_form_uses_the_shared_iso_widget():
    """A form written later with Django's own date widget (type=date, no ISO format) would render the localised
    value again: every form class of every app is checked, found by import, not listed here."""
    import importlib
    import inspect
    import pkgutil

    from django import forms

    import tenants
    from tenants.kernel.inputs import DateInput

    checked, wrong = 0, []
    for module_info in pkgutil.iter_modules(tenants.__path__):
        try:
            module = importlib.import_module(f"tenants.{module_info.name}.forms")
        except ModuleNotFoundError:
            continue
        for name, form_class in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form_class, forms.BaseForm) or form_class.__module__ != module.__name__:
                continue
            for field_name, field in form_class.base_fields.items():
                if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
                    checked += 1
                    if not isinstance(field.widget, DateInput):
                        wrong.append(f"{module.__name__}.{name}.{field_name}")
    assert checked >= 9  # rounds (2), plans (2), target, office settings, holiday, deadline, hearing record
    assert wrong == []


def test_office_settings_page_renders_the_term_start_in_iso_and_saving_unchanged_keeps_it(
    client, county, orgs, make_member
):
    from tenants.office.models import OfficeSettings
    from tenants.office.services import office_settings_update

    office_settings_update(changes={"current_term_start": date(2026, 8, 10)})
    client.force_login(make_member(orgs["county_a"], "office_admin"))
    page = client.get(f"{ORG}office/settings/").content.decode()
    assert "巡察办设置" in page
    assert _date_input(page, "current_term_start") == "2026-08-10"
    (form,) = [form for form in rendered_forms(page) if form.method == "post" and form.action == ""]
    response = client.post(f"{ORG}office/settings/", form.as_post())
    assert response.status_code == 302
    assert OfficeSettings.current().current_term_start == date(2026, 8, 10)
