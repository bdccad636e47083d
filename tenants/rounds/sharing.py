"""Rounds are shared as schedules (down to the counties, up to the province as a filing) and as
progress (a county's rounds up to its city); the sharing policy decides per kind which fields go
where. The record type `rounds.round` is registered once, by tenants.crossorg.sharing, whose
snapshot and audience also cover the elevated, cross-county and linked kinds; here every state
transition re-shares the round in the transition's transaction."""

from __future__ import annotations

from django.dispatch import receiver

from sync.outbox import record_changed
from tenants.rounds.models import Round
from tenants.rounds.signals import round_transitioned


@receiver(round_transitioned, sender=Round, dispatch_uid="sync-round-transitioned")
def share_round_transition(*, round, **_) -> None:
    record_changed(instance=round)
