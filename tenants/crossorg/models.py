"""What elevated (提级), cross-county (交叉) and linked (联动) rounds add to a round.

All rows live in the organiser's schema. A cross-county round lives entirely in the city's schema:
the team's home county (A) and the target county (B) hold nothing of it; B receives the
rectification list after feedback (through the bus). An elevated round is told to the county that
manages its targets (existence, dates, cooperation only). A city's campaign (统一部署) is sent to
the counties it selects; each county instantiates it as its own linked round, whose progress goes
back up to the city.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shared.accounts.models import Classification
from shared.accounts.references import user_reference
from shared.constraints import FieldCheck


class RoundArrangement(models.Model):
    round = models.OneToOneField(
        "rounds.Round", verbose_name=_("round"), on_delete=models.CASCADE, related_name="arrangement"
    )
    host_org_code = models.CharField(
        _("county whose units are inspected"),
        max_length=6,
        blank=True,
        help_text=_("Elevated: the county managing the targets. Cross-county: county B."),
    )
    home_org_code = models.CharField(_("team's home county (cross-county)"), max_length=6, blank=True)
    cooperation = models.TextField(
        _("cooperation requested from the county"),
        blank=True,
        help_text=_("Told to the county (elevated rounds). Never put findings or clues here."),
    )
    campaign_source = models.CharField(_("campaign from (linked)"), max_length=6, blank=True)
    campaign_key = models.CharField(_("campaign key (linked)"), max_length=64, blank=True)
    feedback_given_on = models.DateField(_("feedback given on"), null=True, blank=True)

    class Meta:
        verbose_name = _("round arrangement")
        verbose_name_plural = _("round arrangements")
        constraints = [
            FieldCheck(
                condition=Q(home_org_code="") | ~Q(home_org_code=models.F("host_org_code")),
                name="crossorg_home_is_not_host",
                message=_("In a cross-county round the team's own county cannot be the host."),
                field="host_org_code",
            )
        ]


class Campaign(models.Model):
    """A unified campaign (统一部署) launched by a city for selected counties."""

    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Classification.choices, default=Classification.INTERNAL
    )
    county_codes = ArrayField(models.CharField(max_length=6), verbose_name=_("counties"))
    created_by = user_reference(verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Closing freezes the counties' figures as they stood (the summary documents are made from them).
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = user_reference(verbose_name=_("closed by"), null=True, blank=True)
    summary_figures = models.JSONField(_("counties' figures at closing"), default=list, blank=True)

    class Meta:
        verbose_name = _("unified campaign")
        verbose_name_plural = _("unified campaigns")
        ordering = ["-start_date", "-id"]
        constraints = [
            FieldCheck(
                condition=Q(end_date__gte=models.F("start_date")),
                name="crossorg_campaign_dates",
                message=_("The end date cannot be before the start date."),
                field="end_date",
            ),
            FieldCheck(
                condition=~Q(county_codes=[]),
                name="crossorg_campaign_counties",
                message=_("Choose at least one county."),
                field="county_codes",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RegistryAdoption(models.Model):
    """The city's working copy of a county's unit or pool member, picked for a round from the county's
    replica (sync `targets.target` / `experts.expert`). The county owns the record: each newer replica
    updates the copy, a withdrawn one deactivates it (a round that already used it keeps its history)."""

    record_type = models.CharField(_("record type"), max_length=100)
    source = models.CharField(_("county (region code)"), max_length=6)
    record_key = models.CharField(_("key at the county"), max_length=200)
    target = models.OneToOneField(
        "targets.Target",
        verbose_name=_("target"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="adoption",
    )
    expert = models.OneToOneField(
        "experts.Expert",
        verbose_name=_("expert"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="adoption",
    )
    adopted_at = models.DateTimeField(_("adopted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("adopted registry record")
        verbose_name_plural = _("adopted registry records")
        constraints = [
            models.UniqueConstraint(fields=["record_type", "source", "record_key"], name="crossorg_adoption_unique"),
            FieldCheck(
                condition=Q(target__isnull=False, expert__isnull=True) | Q(target__isnull=True, expert__isnull=False),
                name="crossorg_adoption_one_row",
                message=_("An adopted record is either a unit or a person."),
                field="target",
            ),
        ]


class CampaignReply(models.Model):
    """A county's answer to its city's campaign when it cannot run it (accepting is starting the linked round);
    it goes up to the city, which sees it per county."""

    campaign_source = models.CharField(_("campaign from"), max_length=6)
    campaign_key = models.CharField(_("campaign key"), max_length=64)
    reason = models.TextField(_("why the county cannot run it"))
    declined_by = user_reference(verbose_name=_("declined by"))
    declined_at = models.DateTimeField(_("declined at"))

    class Meta:
        verbose_name = _("campaign reply")
        verbose_name_plural = _("campaign replies")
        constraints = [
            models.UniqueConstraint(fields=["campaign_source", "campaign_key"], name="crossorg_reply_one_per_campaign")
        ]


class CampaignReminder(models.Model):
    """The city's reminder (催办) to a county that has not started the campaign's round; it goes down to that
    county only, where it becomes a notification for the office."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="reminders"
    )
    county_code = models.CharField(_("county (region code)"), max_length=6)
    sent_by = user_reference(verbose_name=_("sent by"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("campaign reminder")
        verbose_name_plural = _("campaign reminders")
        ordering = ["-sent_at", "-id"]
