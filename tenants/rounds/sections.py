"""Sections other apps add to a round's page (the city office's steering of an elevated or cross-county
round, from tenants.crossorg). Filled from their AppConfig.ready(): the rounds app imports none of them."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

# provider(request, round) -> the section's HTML, or None when it has nothing for this person or round
SectionProvider = Callable[[HttpRequest, object], SafeString | None]
_providers: list[SectionProvider] = []


def round_section_register(provider: SectionProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def round_sections(*, request: HttpRequest, round) -> list[SafeString]:
    return [html for provider in _providers if (html := provider(request, round))]
