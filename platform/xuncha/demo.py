"""Demo data: a province, one city, three counties and one person per role.

Seeding is a list of steps run in order by `demo_seed()`. Every step creates
what is missing and leaves what exists, so the demo can be started any number
of times. Apps add their own steps (demo rounds, findings, ...) without
editing this file, from their AppConfig.ready():

    from xuncha.demo import DemoContext, seed_step

    @seed_step("rounds", order=200)
    def seed_rounds(context: DemoContext) -> None:
        with schema_context(context.organization("410621").schema_name):
            ...  # get_or_create your demo rows

Each step runs in its own transaction; a failing step stops the seeding with
its name in the error, and what earlier steps created stays (re-running
completes the rest).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction

DEFAULT_PASSWORD = "xuncha-demo-2026"

# kind, region code, name, parent code, slug used in user names
DEMO_ORGANIZATIONS = [
    ("province", "410000", "河南省", None, "henan"),
    ("city", "410600", "鹤壁市", "410000", "hebi"),
    ("county", "410621", "浚县", "410600", "xunxian"),
    ("county", "410622", "淇县", "410600", "qixian"),
    ("county", "410611", "鹤山区", "410600", "heshan"),
]

# role -> (user-name suffix, clearance). Clearance follows what the role handles:
# the office and team leaders see clues (机密), liaisons only public material.
DEMO_ROLES = {
    "office_admin": ("admin", 3),
    "office_staff": ("staff", 2),
    "leading_group": ("leader", 3),
    "team_leader": ("teamlead", 3),
    "team_member": ("member", 2),
    "unit_liaison": ("liaison", 0),
    "agency_receiver": ("agency", 2),
    "province_viewer": ("viewer", 1),
}

# Which roles exist in which kind of organisation.
ROLES_BY_KIND = {
    "province": ["office_admin", "province_viewer"],
    "city": [
        "office_admin",
        "office_staff",
        "leading_group",
        "team_leader",
        "team_member",
        "unit_liaison",
        "agency_receiver",
    ],
    "county": [
        "office_admin",
        "office_staff",
        "leading_group",
        "team_leader",
        "team_member",
        "unit_liaison",
        "agency_receiver",
    ],
}


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

    def organization(self, code: str):
        from shared.orgs.models import Organization

        return Organization.objects.get(code=code)

    def count_created(self, what: str, number: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + number


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


def demo_seed(*, password: str | None = None) -> DemoContext:
    """Create the demo data that is missing; safe to run any number of times."""
    context = DemoContext(password=password or os.environ.get("XUNCHA_DEMO_PASSWORD") or DEFAULT_PASSWORD)
    # XUNCHA_DEMO_CORE_ONLY=1: organisations and people only (steps ordered below 100). The process
    # test uses it: it commits to the shared test database and must be able to remove what it made.
    core_only = os.environ.get("XUNCHA_DEMO_CORE_ONLY") == "1"
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


@seed_step("organisations", order=10)
def seed_organizations(context: DemoContext) -> None:
    from shared.orgs.models import Organization
    from shared.orgs.services import OrganizationSpec, organizations_create_many

    existing = set(Organization.objects.values_list("code", flat=True))
    missing = [
        OrganizationSpec(kind, code, name, parent)
        for kind, code, name, parent, _slug in DEMO_ORGANIZATIONS
        if code not in existing
    ]
    if missing:
        organizations_create_many(specs=missing)
        context.count_created("organisations", len(missing))


@seed_step("people", order=20)
def seed_people(context: DemoContext) -> None:
    from shared.accounts.models import Membership, User

    for kind, code, name, _parent, slug in DEMO_ORGANIZATIONS:
        organization = context.organization(code)
        for role in ROLES_BY_KIND[kind]:
            suffix, clearance = DEMO_ROLES[role]
            username = f"{slug}.{suffix}"
            user, created = User.objects.get_or_create(
                username=username, defaults={"display_name": f"{name}{_role_title(role, kind=kind)}"}
            )
            if created:
                user.set_password(context.password)
                user.save(update_fields=["password"])
                context.count_created("users")
            _membership, membership_created = Membership.objects.get_or_create(
                user=user, organization=organization, role=role, defaults={"clearance": clearance}
            )
            if membership_created:
                context.count_created("memberships")
            context.logins.append(
                DemoLogin(
                    username=username,
                    password=context.password,
                    organization_code=code,
                    organization_name=name,
                    role=role,
                    created=created,
                )
            )


def _role_title(role: str, *, kind: str) -> str:
    """The Chinese part of the role's label, e.g. 巡察办管理员, for display names; a province's office is
    the 巡视办 (provincial inspection tours are 巡视, city and county ones 巡察)."""
    from shared.accounts.models import Role

    label = str(Role(role).label)
    title = label[label.find("(") + 1 : label.rfind(")")] if "(" in label else label
    return title.replace("巡察办", "巡视办") if kind == "province" else title


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
