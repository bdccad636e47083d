"""The demo seed's runner: the steps registered in `xuncha.demo` (and any a test adds with `seed_step`),
run in order by `demo_seed()`.

Every step creates what is missing and leaves what exists, so the demo can be started any number of
times. Each step runs in its own transaction; a failing step stops the seeding with its name in the
error, and what earlier steps created stays (re-running completes the rest).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction

from shared.orgs.models import Organization
from sync.delivery import outbox_deliver_all

DEFAULT_PASSWORD = "xuncha-demo-2026"
# The demo content (rounds, filings, campaigns, 督办) is the city's and its counties': seeded where the city is.
CONTENT_ORGANIZATION = "410600"
# The organisations whose messages the seed carries among themselves (outbox_carry).
CARRIED_ORGANIZATIONS = ("410600", "410611", "410621", "410622")


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    organization_code: str
    organization_name: str
    role: str
    created: bool


@dataclass
class DemoContext:
    """What steps share: the password, the organisations seeded so far, the logins to print."""

    password: str
    logins: list[DemoLogin] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    carried: int = 0  # messages the seed carried in process (outbox_carry): delivered, not created
    # The demo organisations this deployment hosts (None: all of them). With the province on a deployment of its
    # own (`xuncha demo --province linked`), the city platform hosts the city and its counties, the province's
    # deployment the province alone.
    hosted: frozenset[str] | None = None

    def hosts(self, code: str) -> bool:
        return self.hosted is None or code in self.hosted

    def organization(self, code: str):
        return Organization.objects.get(code=code)

    def count_created(self, what: str, number: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + number


def outbox_carry(context: DemoContext) -> None:
    """A seed step: carry what the steps so far queued among the city and its counties (hosted here), in
    process, as the relay and the consumers would (sync.delivery.outbox_deliver_all), so that later steps find
    the replicas the pages pick from: the counties' registries at the city, the city's campaign at the
    counties. Messages to the province wait for the relay. Nothing pending: nothing done."""
    codes = [code for code in CARRIED_ORGANIZATIONS if context.hosts(code)]
    context.carried += outbox_deliver_all(organizations=Organization.objects.filter(code__in=codes).order_by("code"))


@dataclass(frozen=True)
class SeedStep:
    name: str
    run: Callable[[DemoContext], None]
    order: int


_steps: dict[str, SeedStep] = {}


def seed_step(name: str, *, order: int = 100) -> Callable:
    """Register function(context) as the demo seed step `name` (re-registering replaces it)."""

    def register(function: Callable[[DemoContext], None]) -> Callable[[DemoContext], None]:
        _steps[name] = SeedStep(name=name, run=function, order=order)
        return function

    return register


def seed_steps() -> list[SeedStep]:
    return sorted(_steps.values(), key=lambda step: (step.order, step.name))


class DemoSeedError(RuntimeError):
    pass


def demo_seed(*, password: str | None = None, hosted: Iterable[str] | None = None) -> DemoContext:
    """Create the demo data that is missing; safe to run any number of times. `hosted`: the demo organisations
    this deployment hosts (default all); the steps ordered from 100 on (the city's and counties' content) run
    only where the city is hosted."""
    context = DemoContext(
        password=password or os.environ.get("XUNCHA_DEMO_PASSWORD") or DEFAULT_PASSWORD,
        hosted=frozenset(hosted) if hosted is not None else None,
    )
    # XUNCHA_DEMO_CORE_ONLY=1: organisations and people only (steps ordered below 100). The process
    # test uses it: it commits to the shared test database and must be able to remove what it made.
    core_only = os.environ.get("XUNCHA_DEMO_CORE_ONLY") == "1" or not context.hosts(CONTENT_ORGANIZATION)
    for step in seed_steps():
        if core_only and step.order >= 100:
            continue
        try:
            with transaction.atomic():
                step.run(context)
        except Exception as error:
            raise DemoSeedError(f"demo seed step “{step.name}” failed: {error}") from error
        finally:
            connection.set_schema_to_public()
    return context


def logins_table(context: DemoContext) -> str:
    """The sign-in table printed by `xuncha demo`."""
    rows = [("user name", "password", "organisation", "role")]
    rows += [
        (login.username, login.password, f"{login.organization_code} {login.organization_name}", login.role)
        for login in context.logins
    ]
    widths = [max(_display_width(row[column]) for row in rows) for column in range(4)]
    lines = []
    for number, row in enumerate(rows):
        lines.append("  ".join(cell + " " * (widths[i] - _display_width(cell)) for i, cell in enumerate(row)).rstrip())
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _display_width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if ord(character) > 0x2E80 else 1 for character in text)
