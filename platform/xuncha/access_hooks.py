"""Extension point: access to an organisation that comes from a grant, not a membership.

Cross-county inspections (交叉巡察) let members of county A into the organiser's
schema for their assigned targets only. The grants app registers its check here.
"""

from __future__ import annotations

from collections.abc import Callable

_checks: list[Callable[..., bool]] = []
_providers: list[Callable] = []


def register(check: Callable[..., bool]) -> None:
    if check not in _checks:
        _checks.append(check)


def has_granted_access(*, person, organization) -> bool:
    return any(check(person=person, organization=organization) for check in _checks)


def register_provider(provider: Callable) -> None:
    """provider(person=, organization=) -> OrganizationAccess | None: the access a grant gives."""
    if provider not in _providers:
        _providers.append(provider)


def granted_access(*, person, organization):
    """The access granted to a non-member, or None. Asked on every request: never cached."""
    for provider in _providers:
        access = provider(person=person, organization=organization)
        if access is not None:
            return access
    return None
