"""What arrives at a county of the city's elevated rounds (the `rounds.round` notice projection: name, dates,
cooperation): the county's office is notified (the bell) when the notice arrives and each time the city
changes its name, dates or the cooperation asked; a withdrawn notice takes its notifications with it."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from sync.replicas import ReplicaView
from tenants.kernel.documents import document_date
from tenants.reminders.models import Notification
from tenants.reminders.services import notification_create
from xuncha.office_language import office_language

ELEVATED_NOTICE = "elevated_notice"
NOTICE_FIELDS = ("name", "start_date", "end_date", "cooperation")


def _key(replica: ReplicaView) -> str:
    return f"{replica.source}:{replica.record_key}:"


@transaction.atomic
@office_language()  # kept and read later by anyone in the county: in the office's language
def elevated_notice_received(*, replica: ReplicaView, previous_body) -> None:
    if replica.tombstone or not replica.body:
        Notification.objects.filter(kind=ELEVATED_NOTICE, item_key__startswith=_key(replica)).delete()
        return
    body = replica.body
    if body.get("kind") != "elevated":
        return
    previous = previous_body or {}
    if previous and all(previous.get(name) == body.get(name) for name in NOTICE_FIELDS):
        return  # nothing the county is told of has changed
    words = {
        "name": body.get("name", ""),
        "start": document_date(body.get("start_date")) or "—",
        "end": document_date(body.get("end_date")) or "—",
    }
    title = (
        _("The city changed the elevated round %(name)s: on site %(start)s to %(end)s")
        if previous
        else _("The city will inspect units of ours (elevated round %(name)s): on site %(start)s to %(end)s")
    ) % words
    notification_create(
        kind=ELEVATED_NOTICE,
        item_key=f"{_key(replica)}{replica.version}",
        title=title,
        body=_("Cooperation asked: %(cooperation)s") % {"cooperation": body.get("cooperation", "")},
        link="crossorg/",
    )
