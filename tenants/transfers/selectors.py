"""Read queries for transfers, filtered by role, agency, round and clearance."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from shared.accounts.models import Role
from tenants.agencies.selectors import agency_ids_for_user
from tenants.kernel.access import is_office, is_reader
from tenants.kernel.roles import TEAM_ROLES
from tenants.rounds.access import team_round_ids
from tenants.transfers.models import Transfer, TransferStatus
from tenants.transfers.sharing import TRANSFERS
from xuncha.clearance import narrow_for_grant


def transfer_list(*, actor, access):
    queryset = (
        Transfer.objects.filter(classification__lte=access.clearance)
        .select_related("agency", "round")
        .prefetch_related("signatures__signed_by")
    )
    if is_office(access) or is_reader(access):
        return queryset
    visible = Q(pk__in=[])
    if access.has_role(*TEAM_ROLES):
        visible |= Q(round_id__in=team_round_ids(actor=actor))
    if access.has_role(Role.AGENCY_RECEIVER):
        visible |= Q(agency_id__in=agency_ids_for_user(person=actor))
    return narrow_for_grant(queryset.filter(visible), access, target_field="clue__target_id")


def transfer_overdue_list(*, actor, access, today: datetime.date | None = None):
    today = today or timezone.localdate()
    return transfer_list(actor=actor, access=access).filter(status=TransferStatus.HANDED_OVER, feedback_due__lt=today)


def county_progress(*, transfers, access) -> dict[int, dict]:
    """City side: each transfer's latest handling status from the county it was sent to, by transfer id."""
    return TRANSFERS.county_progress(records=transfers, access=access)
