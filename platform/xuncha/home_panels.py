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
    panels = [panel for provider in _providers if (panel := provider(request)) is not None]
    return sorted(panels, key=lambda panel: (panel.order, panel.title))
