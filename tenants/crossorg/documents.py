"""A closed campaign's summary (统一部署工作总结) in Word and Excel, from the counties' figures frozen at closing
(counts, stages and answers only: no county's case material ever reached the city to put in it)."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tenants.crossorg.models import Campaign
from tenants.kernel.documents import docx_bytes, xlsx_bytes
from tenants.rounds.models import RoundState

FIGURES = ("targets_count", "findings_count", "rectification_items", "rectification_closed", "overdue_items")


def answer_label(answer: str) -> str:
    return {"started": _("Started its linked round"), "declined": _("Declined"), "unanswered": _("Not answered")}.get(
        answer, answer
    )


def stage_label(stage: str) -> str:
    return str(RoundState(stage).label) if stage in RoundState.values else ""


def _header() -> list[str]:
    return [
        _("county"),
        _("answer"),
        _("why not"),
        _("linked round"),
        _("stage"),
        _("units covered"),
        _("findings"),
        _("rectification items"),
        _("items closed"),
        _("overdue items"),
    ]


def summary_rows(campaign: Campaign) -> list[list]:
    """One row per county, then the totals."""
    rows = [
        [
            county["name"],
            answer_label(county["answer"]),
            county["declined_reason"],
            county["round_name"],
            stage_label(county["stage"]),
            *(int(county[name]) for name in FIGURES),
        ]
        for county in campaign.summary_figures
    ]
    totals = [sum(int(county[name]) for county in campaign.summary_figures) for name in FIGURES]
    rows.append([_("Total"), "", "", "", "", *totals])
    return rows


def _facts(campaign: Campaign) -> list[str]:
    started = sum(1 for county in campaign.summary_figures if county["answer"] == "started")
    return [
        _("Topic: %(topic)s") % {"topic": campaign.topic or "—"},
        _("Period: %(start)s to %(end)s")
        % {
            "start": date_format(campaign.start_date, "DATE_FORMAT"),
            "end": date_format(campaign.end_date, "DATE_FORMAT"),
        },
        _("Closed on %(date)s.") % {"date": date_format(campaign.closed_on, "DATE_FORMAT")},
        _("%(started)s of %(counties)s counties started their linked rounds.")
        % {"started": started, "counties": len(campaign.summary_figures)},
    ]


def campaign_summary_docx(*, campaign: Campaign) -> bytes:
    return docx_bytes(
        title=_("Summary of the unified campaign: %(title)s") % {"title": campaign.title},
        sections=[("", _facts(campaign))],
        tables=[(_("The counties"), _header(), summary_rows(campaign))],
    )


def campaign_summary_xlsx(*, campaign: Campaign) -> bytes:
    return xlsx_bytes(sheet_title=_("The counties"), header=_header(), rows=summary_rows(campaign))
