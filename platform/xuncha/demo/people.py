"""Demo step: a province, one city, three counties (the organisations) and one person per role in each."""

from __future__ import annotations

from shared.accounts.models import Membership, Role, User
from shared.orgs.models import Organization
from shared.orgs.services import OrganizationSpec, organizations_create_many
from xuncha.demo.seeding import DemoContext, DemoLogin

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
    # 三员分立: they read no case content, so their clearance is the lowest.
    "system_admin": ("sysadmin", 0),
    "security_admin": ("secadmin", 0),
    "audit_admin": ("auditor", 0),
}
ADMINISTRATORS = ["system_admin", "security_admin", "audit_admin"]

# Which roles exist in which kind of organisation.
ROLES_BY_KIND = {
    "province": ["office_admin", "province_viewer", *ADMINISTRATORS],
    "city": [
        "office_admin",
        "office_staff",
        "leading_group",
        "team_leader",
        "team_member",
        "unit_liaison",
        "agency_receiver",
        *ADMINISTRATORS,
    ],
    "county": [
        "office_admin",
        "office_staff",
        "leading_group",
        "team_leader",
        "team_member",
        "unit_liaison",
        "agency_receiver",
        *ADMINISTRATORS,
    ],
}


def seed_organizations(context: DemoContext) -> None:
    existing = set(Organization.objects.values_list("code", flat=True))
    missing = [
        OrganizationSpec(kind, code, name, parent)
        for kind, code, name, parent, _slug in DEMO_ORGANIZATIONS
        if code not in existing and context.hosts(code)
    ]
    if missing:
        organizations_create_many(specs=missing)
        context.count_created("organisations", len(missing))


def seed_people(context: DemoContext) -> None:
    for kind, code, name, _parent, slug in DEMO_ORGANIZATIONS:
        if not context.hosts(code):
            continue  # another deployment's organisation (remote here): its people sign in there
        organization = context.organization(code)
        for role in ROLES_BY_KIND[kind]:
            suffix, clearance = DEMO_ROLES[role]
            username = f"{slug}.{suffix}"
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"display_name": f"{name}{_role_title(role, kind=kind)}", "home_organization": organization},
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
    label = str(Role(role).label)
    title = label[label.find("(") + 1 : label.rfind(")")] if "(" in label else label
    return title.replace("巡察办", "巡视办") if kind == "province" else title
