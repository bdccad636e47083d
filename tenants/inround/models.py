"""In-round work: pre-entry information, interviews, petitions, working papers.

Informant identities live in their own table (InformantIdentity) so that no list,
serializer, export or log built on Interview/Petition can carry them by accident.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shared.accounts.models import Classification
from shared.accounts.references import user_reference
from shared.constraints import FieldCheck


class InformationRequest(models.Model):
    """A request to an agency for 3 years of information on a target (004 art.26)."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent (已发函)")
        REPLIED = "replied", _("Replied (已回复)")

    round = models.ForeignKey(
        "rounds.Round", verbose_name=_("round"), on_delete=models.PROTECT, related_name="information_requests"
    )
    target = models.ForeignKey("targets.Target", verbose_name=_("target"), on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="information_requests"
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    note = models.TextField(_("what is asked"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.SENT)
    requested_by = user_reference()
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pre-entry information request")
        verbose_name_plural = _("pre-entry information requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["round", "target", "agency"], name="inround_request_unique"),
            FieldCheck(
                condition=models.Q(period_start__lt=models.F("period_end")),
                name="inround_request_period_order",
                message=_("The period must end after it starts."),
                field="period_end",
            ),
        ]


class InformationReply(models.Model):
    """An agency's reply: confidential (机密) by default."""

    request = models.OneToOneField(InformationRequest, on_delete=models.CASCADE, related_name="reply")
    content = models.TextField(_("content"))
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Classification.choices, default=Classification.CONFIDENTIAL
    )
    recorded_by = user_reference()
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pre-entry information reply")
        verbose_name_plural = _("pre-entry information replies")


class Interview(models.Model):
    """个别谈话 record. Who was interviewed is in InformantIdentity."""

    round = models.ForeignKey(
        "rounds.Round", verbose_name=_("round"), on_delete=models.PROTECT, related_name="interviews"
    )
    target = models.ForeignKey("targets.Target", verbose_name=_("target"), on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("held on"))
    summary = models.TextField(_("summary"))
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Classification.choices, default=Classification.SECRET
    )
    created_by = user_reference()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("interview record")
        verbose_name_plural = _("interview records")
        ordering = ["-held_on", "-id"]


class Petition(models.Model):
    """来信来访 record. Who wrote or came is in InformantIdentity (absent when anonymous)."""

    class Channel(models.TextChoices):
        LETTER = "letter", _("Letter (来信)")
        VISIT = "visit", _("Visit (来访)")
        PHONE = "phone", _("Phone (来电)")
        ONLINE = "online", _("Online (网络)")

    round = models.ForeignKey(
        "rounds.Round", verbose_name=_("round"), on_delete=models.PROTECT, related_name="petitions"
    )
    target = models.ForeignKey("targets.Target", verbose_name=_("target"), on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    received_on = models.DateField(_("received on"))
    summary = models.TextField(_("summary"))
    anonymous = models.BooleanField(_("anonymous"), default=False)
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Classification.choices, default=Classification.SECRET
    )
    created_by = user_reference()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("petition record")
        verbose_name_plural = _("petition records")
        ordering = ["-received_on", "-id"]


class InformantIdentity(models.Model):
    """The person behind an interview or petition. Always 机密; never listed or exported."""

    interview = models.OneToOneField(
        Interview, null=True, blank=True, on_delete=models.CASCADE, related_name="informant"
    )
    petition = models.OneToOneField(Petition, null=True, blank=True, on_delete=models.CASCADE, related_name="informant")
    name = models.CharField(_("name"), max_length=100)
    position = models.CharField(_("position / unit"), max_length=200, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    id_number = models.CharField(_("ID number"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("informant identity")
        verbose_name_plural = _("informant identities")
        constraints = [
            FieldCheck(
                condition=(
                    models.Q(interview__isnull=False, petition__isnull=True)
                    | models.Q(interview__isnull=True, petition__isnull=False)
                ),
                name="inround_identity_one_record",
                message=_("An identity belongs to exactly one interview or petition."),
            )
        ]

    def __str__(self) -> str:  # never the name: str() ends up in logs and error pages
        return f"InformantIdentity#{self.pk}"

    def __repr__(self) -> str:
        return f"<InformantIdentity #{self.pk}>"


class WorkingPaper(models.Model):
    """底稿: written by the team, approved by the team leader."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (草稿)")
        SUBMITTED = "submitted", _("Submitted (待审批)")
        APPROVED = "approved", _("Approved (已审批)")
        RETURNED = "returned", _("Returned (退回)")

    round = models.ForeignKey(
        "rounds.Round", verbose_name=_("round"), on_delete=models.PROTECT, related_name="working_papers"
    )
    target = models.ForeignKey("targets.Target", verbose_name=_("target"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"))
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Classification.choices, default=Classification.INTERNAL
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    author = user_reference()
    decided_by = user_reference(null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    return_reason = models.TextField(_("return reason"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("working paper")
        verbose_name_plural = _("working papers")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
