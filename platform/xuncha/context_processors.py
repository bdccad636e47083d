from shared.orgs.models import Organization
from xuncha import home_panels


def organization(request):
    tenant = getattr(request, "tenant", None)
    org = tenant if isinstance(tenant, Organization) and not getattr(request, "org_refused", False) else None
    access = getattr(request, "org_access", None)
    nav = home_panels.panels_for(request) if org is not None and access and access.roles else []
    return {"current_org": org, "org_access": access, "org_nav": nav}
