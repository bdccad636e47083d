from shared.accounts.models import Role
from shared.orgs.models import Organization
from tenants.kernel.roles import ROUND_READERS
from tenants.reminders.panels import unread_count
from xuncha import home_panels
from xuncha.api_docs import may_read_api_docs

# People who work in or for the inspection office: the header names the office (县区巡察办 ...).
_OFFICE_SIDE = set(ROUND_READERS)  # the office, its leading group and the teams


def organization(request):
    tenant = getattr(request, "tenant", None)
    org = tenant if isinstance(tenant, Organization) and not getattr(request, "org_refused", False) else None
    access = getattr(request, "org_access", None)
    signed_in = org is not None and access and access.roles
    nav = home_panels.panels_for(request) if signed_in else []
    return {
        "current_org": org,
        "org_access": access,
        "org_nav": nav,
        "org_caption": _caption(org, access) if signed_in else "",
        "api_docs": bool(signed_in) and may_read_api_docs(access),
        # The bell in the header: this person's unread notices here (None: no bell).
        "unread_notices": _unread(request, org, access) if signed_in else None,
    }


def _unread(request, org, access) -> int | None:
    if not access.has_working_role or access.is_granted:
        return None
    return unread_count(request)


def _caption(org, access) -> str:
    """What the header says beside the organisation's name: its office for the office's own people,
    the person's role for a unit's liaison or an agency (who are not in the office)."""
    if set(access.roles) & _OFFICE_SIDE:
        return str(org.get_kind_display())
    return "、".join(str(Role(role).label) for role in sorted(access.roles) if role in Role.values)
