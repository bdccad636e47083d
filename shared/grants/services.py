"""Creating, changing and revoking grants; every change is written to the granting organisation's
audit chain in the same transaction (no grant change without its audit row)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shared.accounts.models import Classification
from shared.grants.models import GRANTABLE_ROLES, AccessGrant
from shared.grants.signals import AUDITED, GRANT_CHANGE, GRANT_CREATE, GRANT_REVOKE, grant_changed, grant_committed


def _audit(*, grant: AccessGrant, action: str, actor, request, detail: dict) -> None:
    """Tell the access audit (a tenant app, listening on grant_changed): it writes the change to the
    granting organisation's chain in this transaction and answers AUDITED. Unanswered, the change is refused (and
    this transaction undone with it), whoever else listens. Once the change commits, grant_committed tells what
    follows it (the person's notices at home)."""
    answers = grant_changed.send(
        sender=AccessGrant,
        grant=grant,
        action=action,
        actor=actor,
        request=request,
        detail={"grantee": grant.user.get_username(), **detail},
    )
    if not any(answer == AUDITED for _receiver, answer in answers):  # the audit's receiver, not just anyone's
        raise ImproperlyConfigured("No access audit listens to grant changes (tenants.audit is not installed).")
    _committed_queue(grant=grant, action=action)


class _Committed:
    """The one callback a transaction queues for its grant changes: once it commits, grant_committed is sent once
    with all of them (`changes`: (grant, action) pairs), so what follows a change per home office (its notices) is
    done once per transaction, not once per person."""

    def __init__(self) -> None:
        self.changes: list[tuple[AccessGrant, str]] = []
        self.done = False

    def __call__(self) -> None:
        self.done = True
        grant_committed.send(sender=AccessGrant, changes=list(self.changes))


def _committed_queue(*, grant: AccessGrant, action: str) -> None:
    # A change made in a savepoint that is later rolled back stays listed: its listeners (the notices) read the
    # grants' state as committed, so a change that did not happen changes nothing there.
    queued = next(
        (entry[1] for entry in connection.run_on_commit if isinstance(entry[1], _Committed) and not entry[1].done), None
    )
    if queued is None:
        queued = _Committed()
        transaction.on_commit(queued, robust=True)
    queued.changes.append((grant, action))


def _window_and_targets_problems(*, starts_on: date, ends_on: date, target_keys) -> list[str]:
    problems = []
    if starts_on is None or ends_on is None:
        problems.append(_("A grant needs its first and last day."))
    elif ends_on < starts_on:
        problems.append(_("A grant cannot end before it starts."))
    if not target_keys:
        problems.append(_("A grant names at least one target."))
    return problems


@transaction.atomic
def grant_create(
    *,
    organization,
    person,
    round_key,
    target_keys,
    starts_on: date,
    ends_on: date,
    actor,
    role: str = "team_member",
    clearance: int = Classification.INTERNAL,
    home_organization=None,
    request=None,
) -> AccessGrant:
    problems = _window_and_targets_problems(starts_on=starts_on, ends_on=ends_on, target_keys=target_keys)
    if role not in GRANTABLE_ROLES:
        problems.append(_("Only team roles can be granted."))
    if clearance not in Classification.values:
        problems.append(_("Unknown clearance level."))
    if home_organization is not None and home_organization.pk == organization.pk:
        problems.append(_("Members of the organisation need no grant."))
    if AccessGrant.objects.filter(
        user=person, organization=organization, round_key=str(round_key), revoked_at__isnull=True
    ).exists():
        problems.append(_("This person already holds a grant for this round."))
    if problems:
        raise ValidationError(problems)
    grant = AccessGrant.objects.create(
        user=person,
        organization=organization,
        home_organization=home_organization,
        round_key=str(round_key),
        target_keys=sorted({str(key) for key in target_keys}),
        role=role,
        clearance=clearance,
        starts_on=starts_on,
        ends_on=ends_on,
        granted_by=actor,
    )
    _audit(
        grant=grant,
        action=GRANT_CREATE,
        actor=actor,
        request=request,
        detail={
            "round": grant.round_key,
            "targets": grant.target_keys,
            "from": str(starts_on),
            "until": str(ends_on),
            "role": role,
            "clearance": clearance,
        },
    )
    return grant


@transaction.atomic
def grant_change(
    *,
    grant: AccessGrant,
    actor,
    target_keys=None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    clearance: int | None = None,
    request=None,
) -> AccessGrant:
    grant = AccessGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.revoked_at is not None:
        raise ValidationError(_("A revoked grant cannot be changed."))
    before = {
        "targets": grant.target_keys,
        "from": str(grant.starts_on),
        "until": str(grant.ends_on),
        "clearance": grant.clearance,
    }
    new_targets = sorted({str(k) for k in target_keys}) if target_keys is not None else grant.target_keys
    new_start, new_end = starts_on or grant.starts_on, ends_on or grant.ends_on
    problems = _window_and_targets_problems(starts_on=new_start, ends_on=new_end, target_keys=new_targets)
    if clearance is not None and clearance not in Classification.values:
        problems.append(_("Unknown clearance level."))
    if problems:
        raise ValidationError(problems)
    grant.target_keys, grant.starts_on, grant.ends_on = new_targets, new_start, new_end
    if clearance is not None:
        grant.clearance = clearance
    grant.save(update_fields=["target_keys", "starts_on", "ends_on", "clearance"])
    after = {
        "targets": grant.target_keys,
        "from": str(grant.starts_on),
        "until": str(grant.ends_on),
        "clearance": grant.clearance,
    }
    _audit(grant=grant, action=GRANT_CHANGE, actor=actor, request=request, detail={"before": before, "after": after})
    return grant


@transaction.atomic
def grant_revoke(*, grant: AccessGrant, actor, reason: str = "", request=None) -> AccessGrant:
    grant = AccessGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.revoked_at is not None:
        return grant
    _revoked(grants=[grant], actor=actor, reason=reason, request=request)
    return grant


def _revoked(*, grants: list[AccessGrant], actor, reason: str, request) -> None:
    """End the locked live `grants`: one UPDATE for all, then each change in the chain (one event a grant)."""
    now, reason = timezone.now(), reason[:200]
    AccessGrant.objects.filter(pk__in=[grant.pk for grant in grants]).update(
        revoked_at=now, revoked_by=actor, revoke_reason=reason
    )
    for grant in grants:
        grant.revoked_at, grant.revoked_by, grant.revoke_reason = now, actor, reason
        _audit(grant=grant, action=GRANT_REVOKE, actor=actor, request=request, detail={"reason": reason})


@transaction.atomic
def grants_revoke_for_round(*, organization, round_key, actor, reason: str) -> int:
    """End every live grant of a round (the round left its on-site phase, or was cancelled): the grants locked and
    read with their people and offices in one statement, ended in one, and their notices brought up to date once per
    home office after the commit (it was all of that once per person)."""
    grants = list(
        AccessGrant.objects.select_for_update(of=("self",))
        .select_related("user", "organization", "home_organization")
        .filter(organization=organization, round_key=str(round_key), revoked_at__isnull=True)
        .order_by("pk")
    )
    if grants:
        _revoked(grants=grants, actor=actor, reason=reason, request=None)
    return len(grants)
