from __future__ import annotations

from django.db.models import QuerySet

from tenants.office.models import FindingCategory, HolidayOverride


def finding_category_list(*, active_only: bool = False) -> QuerySet[FindingCategory]:
    categories = FindingCategory.objects.all()
    return categories.filter(is_active=True) if active_only else categories


def holiday_override_list(*, year: int | None = None) -> QuerySet[HolidayOverride]:
    overrides = HolidayOverride.objects.all()
    return overrides.filter(date__year=year) if year else overrides
