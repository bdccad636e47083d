"""Statistics reports travel up to the parent organisation."""

from sync.registry import SharedRecordType, register
from tenants.statistics.models import COUNT_FIELDS, StatisticsReport


def statistics_snapshot(report: StatisticsReport) -> dict:
    return {
        "period": report.period,
        "classification": report.classification,
        **{name: getattr(report, name) for name in COUNT_FIELDS},
    }


def statistics_audience(report: StatisticsReport, owner) -> set[str]:
    return {owner.parent.code} if owner.parent_id else set()


STATISTICS_REPORT = register(
    SharedRecordType(
        record_type="statistics.report",
        schema_version=1,
        model=StatisticsReport,
        snapshot=statistics_snapshot,
        audience=statistics_audience,
        key=lambda report: report.period,
    )
)
