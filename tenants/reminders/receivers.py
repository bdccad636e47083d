"""A grant's notices follow the grant at once (issue 15 point 3): when another organisation grants, changes or
revokes a lent person's access, their home office's grant notices are brought up to date as soon as the change
commits (shared.grants' `grant_committed`), not only by the next morning's reminders job, which still runs (a
window that opens on a later day is told that morning) and adds nothing twice (one notice per grant and window).

This listens on `grant_committed`, never on `grant_changed`: that one is the access audit's, and the grants service
refuses a change when the audit is not listening there."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.reminders.services import grant_notices_sync

logger = logging.getLogger("xuncha.reminders")


def grant_notices_follow(*, changes, **_signal) -> None:
    """The grant changes of one committed transaction: each home office's notices once, however many of its people
    the changes touched."""
    homes = {grant.home_organization_id: grant.home_organization for grant, _action in changes}
    for home in homes.values():
        if home is None or home.remote_route:  # a member's own grant, or a person lent from another deployment
            continue
        # After the grant's commit: a failure here must not turn the grant's own page into an error; the morning's
        # job brings the notices up to date anyway.
        try:
            with schema_context(home.schema_name):
                grant_notices_sync(organization=home, today=timezone.localdate())
        except Exception:
            logger.exception("grant notices of %s not brought up to date after a grant change", home.code)
