"""Reading API tokens."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from shared.apitokens.models import ApiToken


def api_tokens_of(*, person, organization) -> QuerySet[ApiToken]:
    """The person's unexpired tokens for one organisation, newest first."""
    now = timezone.now()
    return ApiToken.objects.filter(user=person, organization=organization, expiry__gt=now)
