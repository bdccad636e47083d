"""A unified campaign (统一部署) while it runs and when it ends (issue 12 point 3).

At the county: the campaign's arrival (and each reminder from the city) becomes a notification for the office,
linking to the campaign's page there; a campaign withdrawn takes its notifications with it.
At the city: a reminder (催办) to a county that has not started its linked round, and closing the campaign,
which freezes each county's figures as its replicas hold them; the summary documents are made from those.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from shared.orgs.models import Organization
from sync.outbox import record_changed
from sync.replicas import ReplicaView, replica_get
from tenants.attachments.services import attachment_remove
from tenants.audit.models import AuditAction
from tenants.audit.services import audit_event_record
from tenants.crossorg.documents import campaign_summary_docx, campaign_summary_xlsx
from tenants.crossorg.models import Campaign, CampaignReminder
from tenants.crossorg.selectors import CountyProgress, campaign_progress
from tenants.kernel.documents import DOCX, XLSX
from tenants.office.models import OfficeSettings
from tenants.reminders.models import Notification
from tenants.reminders.services import notification_create
from xuncha.office_language import office_language

ARRIVED, REMINDED = "campaign", "campaign_reminder"


def received_campaign_link(replica_id: int) -> str:
    """The county's page of a received campaign, relative to the organisation (as notifications keep links)."""
    return f"crossorg/campaigns/received/{replica_id}/"


def _city_name(code: str) -> str:
    return Organization.objects.filter(code=code).values_list("name", flat=True).first() or code


@transaction.atomic
@office_language()  # a notification is kept and read later: in the office's language
def campaign_arrived(*, replica: ReplicaView) -> None:
    """At the county: the city's campaign arrived (or changed); the office is told once, with a link to it.
    Withdrawn (the county taken off it, or raised above what may travel): its notifications go too."""
    item_key = f"{replica.source}:{replica.record_key}"
    if replica.tombstone or not replica.body:
        Notification.objects.filter(kind__in=[ARRIVED, REMINDED], item_key__startswith=item_key).delete()
        return
    notification_create(
        kind=ARRIVED,
        item_key=item_key,
        title=_("Unified campaign from %(city)s: %(title)s")
        % {"city": _city_name(replica.source), "title": replica.text("title")},
        body=_("Start our linked round on our units, or tell the city why we cannot."),
        link=received_campaign_link(replica.pk),
    )


@transaction.atomic
@office_language()
def campaign_reminder_arrived(*, replica: ReplicaView) -> None:
    """At the county: the city reminds us of a campaign we have not started (a notification each time)."""
    if replica.tombstone or not replica.body:
        return
    campaign = replica_get(record_type="planning.campaign", source=replica.source, key=replica.text("campaign_key"))
    if campaign is None:  # the campaign itself was withdrawn: nothing to remind of
        return
    notification_create(
        kind=REMINDED,
        item_key=f"{replica.source}:{campaign.record_key}:{replica.record_key}",
        title=_("%(city)s reminds us to start the unified campaign: %(title)s")
        % {"city": _city_name(replica.source), "title": campaign.text("title")},
        body=_("Start our linked round on our units, or tell the city why we cannot."),
        link=received_campaign_link(campaign.pk),
    )


def _audit(action: str, campaign: Campaign, actor, request, detail: dict) -> None:
    """One row in the city's audit chain about the campaign (in the caller's transaction)."""
    audit_event_record(
        action=action,
        record_type="crossorg.campaign",
        record_key=campaign.pk,
        classification=campaign.classification,
        request=request,
        actor=actor,
        detail=detail,
    )


def _county_row(campaign: Campaign, county_code: str) -> CountyProgress:
    for row in campaign_progress(campaign=campaign):
        if row.code == county_code:
            return row
    raise ValidationError({"county_code": _("This county does not take part in the campaign.")})


def reminder_next_allowed(last_sent: datetime.datetime | None) -> datetime.datetime | None:
    """When a county last reminded at `last_sent` may be reminded again (the office's interval setting)."""
    if last_sent is None:
        return None
    return last_sent + datetime.timedelta(hours=OfficeSettings.current().campaign_reminder_interval_hours)


@transaction.atomic
def campaign_remind(*, campaign: Campaign, county_code: str, actor, request=None) -> CampaignReminder:
    """催办: remind a county that has not answered the campaign (refused once it has started its round or declined
    the campaign (不开展), once the campaign is closed, or within the office's interval of the last reminder to that
    county: one a day by default).
    The reminder goes down to that county only; the city's audit chain records who sent it."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.closed_on is not None:
        raise ValidationError(_("The campaign is closed: no more reminders."))
    row = _county_row(campaign, county_code)
    if row.started:
        raise ValidationError(
            {
                "county_code": _("%(county)s has started its linked round: there is nothing to remind.")
                % {"county": row.name}
            }
        )
    if row.answer == "declined":
        raise ValidationError(
            {
                "county_code": _("%(county)s has declined the campaign: there is nothing to remind.")
                % {"county": row.name}
            }
        )
    last = campaign.reminders.filter(county_code=county_code).order_by("-sent_at").values_list("sent_at", flat=True)
    next_allowed = reminder_next_allowed(last.first())
    if next_allowed is not None and timezone.now() < next_allowed:
        raise ValidationError(
            {
                "county_code": _(
                    "%(county)s was reminded less than %(hours)s hours ago: remind it again after %(when)s."
                )
                % {
                    "county": row.name,
                    "hours": OfficeSettings.current().campaign_reminder_interval_hours,
                    "when": date_format(timezone.localtime(next_allowed), "SHORT_DATETIME_FORMAT"),
                }
            }
        )
    reminder = CampaignReminder.objects.create(campaign=campaign, county_code=county_code, sent_by=actor)
    record_changed(instance=reminder)
    _audit(AuditAction.CAMPAIGN_REMIND, campaign, actor, request, {"county": county_code, "reminder": reminder.pk})
    return reminder


@transaction.atomic
def campaign_file_remove(*, campaign: Campaign, file_id: int, actor, request=None) -> None:
    """Take one attachment off a running campaign (the counties no longer receive it)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.closed_on is not None:
        raise ValidationError({"files": _("The campaign is closed: its attachments can no longer be changed.")})
    attachment_remove(
        record=campaign, attachment_id=file_id, refusal=_("This attachment is not one of the campaign's.")
    )


def figures_of(row: CountyProgress) -> dict:
    """One county's figures as the summary keeps them (plain JSON)."""
    return {
        "code": row.code,
        "name": row.name,
        "answer": row.answer,
        "declined_reason": row.declined_reason,
        "round_name": row.round_name,
        "stage": row.stage,
        "targets_count": row.targets_count,
        "findings_count": row.findings_count,
        "rectification_items": row.rectification_items,
        "rectification_closed": row.rectification_closed,
        "overdue_items": row.overdue_items,
    }


@transaction.atomic
def campaign_close(*, campaign: Campaign, actor, request=None) -> Campaign:
    """End the campaign: each county's figures are frozen as its replicas hold them now (the summary's source),
    the counties are told it is closed, and the city's audit chain records who closed it."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.closed_on is not None:
        raise ValidationError(_("The campaign is already closed."))
    campaign.summary_figures = [figures_of(row) for row in campaign_progress(campaign=campaign)]
    campaign.closed_on = timezone.localdate()
    campaign.closed_by = actor
    campaign.save(update_fields=["summary_figures", "closed_on", "closed_by"])
    record_changed(instance=campaign)
    _audit(AuditAction.CAMPAIGN_CLOSE, campaign, actor, request, {"counties": len(campaign.summary_figures)})
    return campaign


SUMMARY_FORMATS = {"docx": (campaign_summary_docx, DOCX), "xlsx": (campaign_summary_xlsx, XLSX)}


@transaction.atomic
def campaign_summary_export(*, campaign: Campaign, fmt: str, actor, request=None) -> tuple[bytes, str]:
    """The closed campaign's summary (docx or xlsx) and its content type; the download is audited (fails closed:
    no audit row, no file)."""
    if campaign.closed_on is None:
        raise ValidationError(_("The summary is made when the campaign is closed."))
    if fmt not in SUMMARY_FORMATS:
        raise ValidationError(_("The summary is available as docx or xlsx."))
    build, content_type = SUMMARY_FORMATS[fmt]
    content = build(campaign=campaign)
    _audit(AuditAction.EXPORT, campaign, actor, request, {"document": f"summary.{fmt}"})
    return content, content_type
