"""Every organisation starts with the seed presets (cloned from the template schema) and may edit them."""

from django_tenants.utils import schema_context

from tenants.office.models import CoverageMode, FindingCategory, OfficeSettings


def test_every_organisation_carries_settings_and_categories_from_the_template(orgs):
    for key in ("city", "county_a", "county_b"):
        with schema_context(orgs[key].schema_name):
            settings = OfficeSettings.current()
            assert settings.coverage_mode == CoverageMode.PER_TERM and settings.term_years == 5
            assert settings.min_onsite_working_days == 20
            assert settings.hearing_working_days == 15
            assert settings.rectification_plan_working_days == 10
            assert settings.rectification_report_months == 2
            assert settings.transfer_feedback_months == 3
            assert settings.clue_feedback_interval_months == 3
            names = set(FindingCategory.objects.values_list("name", flat=True))
            assert {"政治纪律", "组织纪律", "廉洁纪律", "群众纪律", "工作纪律", "生活纪律", "选人用人"} <= names
            assert FindingCategory.objects.filter(county_level_only=True).count() == 2


def test_categories_are_editable_per_organisation(orgs):
    with schema_context(orgs["county_a"].schema_name):
        from tenants.office.services import finding_category_save

        finding_category_save(
            category=FindingCategory.objects.get(code="village-tyrants-clans"), name="村霸、宗族恶势力"
        )
    with schema_context(orgs["county_b"].schema_name):
        assert FindingCategory.objects.get(code="village-tyrants-clans").name == "村霸和宗族恶势力"
    with schema_context(orgs["county_a"].schema_name):
        assert FindingCategory.objects.get(code="village-tyrants-clans").name == "村霸、宗族恶势力"


def test_settings_is_a_singleton(orgs):
    import pytest
    from django.db import IntegrityError, transaction

    with schema_context(orgs["city"].schema_name):
        assert OfficeSettings.current().pk == OfficeSettings.current().pk
        with pytest.raises(IntegrityError), transaction.atomic():
            OfficeSettings.objects.create()
