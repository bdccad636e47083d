"""Target import (all-or-nothing, row errors), export round trip, and coverage at risk."""

import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from tenants.office.models import OfficeSettings
from tenants.office.services import office_settings_update
from tenants.targets.models import Target, TargetLeader
from tenants.targets.selectors import coverage_list, coverage_of
from tenants.targets.services import TargetImportError, targets_export, targets_import

HEADER = ["单位名称", "级别", "类别", "主管巡察机构代码", "所在地区代码", "业务标签", "领导班子"]


def _xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv(rows):
    return "\n".join(",".join(row) for row in rows).encode("utf-8")


def test_xlsx_import_creates_targets_with_leaders_and_tags(county):
    content = _xlsx(
        [
            HEADER,
            ["城关镇党委", "乡镇", "乡镇党委", "410621", "410621100", "涉农资金、扶贫", "张三:党委书记*; 李四:镇长"],
            ["县财政局党组", "县管", "县直部门", "410621", "", "财政", "王五:局长*"],
        ]
    )
    report = targets_import(content=content, filename="对象.xlsx")
    assert (report.created, report.updated) == (2, 0)
    town = Target.objects.get(name="城关镇党委")
    assert town.level == "township" and town.business_tags == ["涉农资金", "扶贫"]
    assert town.principal.name == "张三" and town.leaders.count() == 2


def test_one_bad_row_imports_nothing_and_every_bad_row_is_reported(county):
    content = _csv(
        [
            HEADER,
            ["好单位", "乡镇", "", "410621", "", "", ""],
            ["坏级别单位", "省管", "", "410621", "", "", ""],
            ["坏代码单位", "乡镇", "", "41062X", "", "", ""],
            ["好单位", "乡镇", "", "410621", "", "", ""],
            ["双负责人", "乡镇", "", "410621", "", "", "甲:书记*;乙:镇长*"],
        ]
    )
    with pytest.raises(TargetImportError) as refused:
        targets_import(content=content, filename="targets.csv")
    errors = refused.value.row_errors
    assert [e.split(":")[0] for e in errors] == ["Row 3", "Row 4", "Row 5", "Row 6"]
    assert "省管" in errors[0] and "主管巡察机构代码" in errors[1] and "row 2" in errors[2]
    assert not Target.objects.filter(name__in=["好单位", "坏级别单位", "坏代码单位", "双负责人"]).exists()


def test_missing_columns_and_wrong_file_type_are_clear(county):
    with pytest.raises(TargetImportError, match="单位名称"):
        targets_import(content=_csv([["级别", "主管巡察机构代码"], ["乡镇", "410621"]]), filename="t.csv")
    with pytest.raises(TargetImportError, match="xlsx"):
        targets_import(content=b"hello", filename="t.txt")
    with pytest.raises(TargetImportError, match="Excel"):
        targets_import(content=b"not a zip", filename="t.xlsx")


def test_reimport_updates_by_name_and_replaces_leaders(county):
    targets_import(content=_csv([HEADER, ["甲单位", "县管", "", "410621", "", "", "老:书记*"]]), filename="a.csv")
    report = targets_import(
        content=_csv([HEADER, ["甲单位", "县管", "国企", "410621", "", "", "新:书记*"]]), filename="a.csv"
    )
    assert (report.created, report.updated) == (0, 1)
    assert Target.objects.get(name="甲单位").category == "国企"
    assert list(TargetLeader.objects.filter(target__name="甲单位").values_list("name", flat=True)) == ["新"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_can_be_imported_again(county, make_target, fmt):
    from tenants.targets.services import parse_leaders

    make_target(name="=HYPERLINK(evil)", business_tags=["教育"], leaders=parse_leaders("赵:校长*"))
    content = targets_export(targets=Target.objects.all(), fmt=fmt)
    if fmt == "xlsx":
        rows = [list(r) for r in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]
    else:
        rows = [line.split(",") for line in content.decode("utf-8-sig").splitlines()]
    assert rows[0][:7] == HEADER
    assert rows[1][0] == "'=HYPERLINK(evil)"  # formula neutralised
    Target.objects.all().delete()
    targets_import(content=content, filename=f"export.{fmt}")
    assert Target.objects.get(name="'=HYPERLINK(evil)").principal.name == "赵"


def test_coverage_per_years_flags_due_soon_overdue_and_never(county, make_target):
    office_settings_update(changes={"coverage_mode": "per_years", "coverage_years": 3, "coverage_warning_days": 180})
    settings = OfficeSettings.current()
    today = date(2026, 11, 21)
    fresh = make_target(name="新近巡察", last_inspected_on=date(2025, 5, 1))
    soon = make_target(name="将到期", last_inspected_on=date(2024, 1, 10))
    late = make_target(name="已超期", last_inspected_on=date(2023, 6, 1))
    never = make_target(name="从未巡察")
    assert coverage_of(target=fresh, today=today, settings=settings).status == "ok"
    assert coverage_of(target=soon, today=today, settings=settings).status == "at_risk"
    assert coverage_of(target=soon, today=today, settings=settings).due_by == date(2027, 1, 10)
    assert coverage_of(target=late, today=today, settings=settings).status == "overdue"
    assert coverage_of(target=never, today=today, settings=settings).status == "never"
    at_risk = [row.target.name for row in coverage_list(today=today, at_risk_only=True)]
    assert at_risk == ["已超期", "从未巡察", "将到期"]


def test_coverage_per_term_counts_from_the_term_start(county, make_target):
    office_settings_update(
        changes={
            "coverage_mode": "per_term",
            "term_years": 5,
            "current_term_start": date(2021, 10, 1),
            "coverage_warning_days": 365,
        }
    )
    settings = OfficeSettings.current()
    inspected = make_target(name="本届已巡", last_inspected_on=date(2022, 4, 1))
    before_term = make_target(name="上届巡过", last_inspected_on=date(2020, 4, 1))
    assert coverage_of(target=inspected, today=date(2026, 1, 5), settings=settings).status == "ok"
    row = coverage_of(target=before_term, today=date(2026, 1, 5), settings=settings)
    assert row.due_by == date(2026, 9, 30) and row.status == "at_risk"
    assert coverage_of(target=before_term, today=date(2024, 1, 5), settings=settings).status == "pending"
    assert coverage_of(target=before_term, today=date(2026, 10, 1), settings=settings).status == "overdue"


def test_presets_switch_between_seed_values(county):
    from tenants.office.services import office_settings_apply_preset

    settings = office_settings_apply_preset(preset="seed_000")
    assert (settings.coverage_mode, settings.coverage_cycle_years, settings.hearing_deadline_mode) == (
        "per_years",
        3,
        "calendar_days",
    )
    settings = office_settings_apply_preset(preset="seed_004")
    assert (settings.coverage_cycle_years, settings.hearing_working_days) == (5, 15)
