"""Seed the settings row and the finding categories (docs/DOMAIN.md; seeds 000 and 004).

Runs in the template schema, so every cloned organisation starts with them and may edit them.
"""

from django.db import migrations

CATEGORIES = [
    # code, name, description, county level only
    ("political-discipline", "政治纪律", "违反政治纪律和政治规矩", False),
    ("organisational-discipline", "组织纪律", "违反组织纪律", False),
    ("integrity-discipline", "廉洁纪律", "违反廉洁纪律，以权谋私、贪污贿赂", False),
    ("mass-discipline", "群众纪律", "违反群众纪律", False),
    ("work-discipline", "工作纪律", "违反工作纪律", False),
    ("conduct-discipline", "生活纪律", "违反生活纪律", False),
    ("eight-rules-four-styles", "中央八项规定精神/四风", "违反中央八项规定精神，形式主义、官僚主义、享乐主义和奢靡之风", False),
    ("appointments", "选人用人", "干部选拔任用方面的问题", False),
    ("two-responsibilities", "两个责任落实不力", "主体责任、监督责任落实不力", False),
    ("earlier-rectification", "整改不落实", "上轮巡视巡察反馈问题整改不到位", False),
    ("harming-public-interest", "侵害群众利益", "涉农资金、扶贫救济资金等方面侵害群众利益", True),
    ("village-tyrants-clans", "村霸和宗族恶势力", "村霸、宗族恶势力干预基层", True),
]


def seed(apps, schema_editor):
    if schema_editor.connection.schema_name == "public":
        return
    OfficeSettings = apps.get_model("office", "OfficeSettings")
    FindingCategory = apps.get_model("office", "FindingCategory")
    OfficeSettings.objects.get_or_create(singleton=True)
    for order, (code, name, description, county_only) in enumerate(CATEGORIES, start=1):
        FindingCategory.objects.get_or_create(
            code=code, defaults={"name": name, "description": description,
                                 "county_level_only": county_only, "order": order * 10},
        )


def unseed(apps, schema_editor):
    apps.get_model("office", "FindingCategory").objects.filter(code__in=[c[0] for c in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("office", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
