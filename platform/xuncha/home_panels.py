"""Home-page panels contributed by the apps (a registry, so the shell knows no app)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    title: str
    url: str
    description: str = ""
    order: int = 100


_providers: list[Callable] = []


def register(provider: Callable) -> Callable:
    """Register a function(request) -> Panel | None; usable as a decorator."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def panels_for(request) -> list[Panel]:
    """The panels for this person. One whose roles here are only administrators' (三员分立) gets only the panels of
    providers marked with xuncha.permissions.open_to_administrators: the pages behind the others refuse them."""
    known = getattr(request, "_xuncha_panels", None)
    if known is not None:  # the home page's cards and every page's navigation: the providers run once a request
        return list(known)
    providers, access = _providers, getattr(request, "org_access", None)
    if access is not None and not access.has_working_role:
        providers = [provider for provider in _providers if getattr(provider, "open_to_administrators", False)]
    panels = [panel for provider in providers if (panel := provider(request)) is not None]
    request._xuncha_panels = sorted(panels, key=lambda panel: (panel.order, panel.title))
    return list(request._xuncha_panels)
