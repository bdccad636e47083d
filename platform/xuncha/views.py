"""The web shell: organisation chooser, an organisation's home page, health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from shared.accounts.models import Role
from shared.accounts.selectors import memberships_for_user
from tenants.workbench.selectors import light_counts, workbench_for
from xuncha import home_panels
from xuncha.permissions import open_to_administrators


@login_required
def organization_chooser(request):
    memberships = list(memberships_for_user(person=request.user))
    organizations = {m.organization.pk: m.organization for m in memberships}
    if len(organizations) == 1:
        return redirect(next(iter(organizations.values())).route)
    return render(request, "xuncha/chooser.html", {"memberships": memberships})


@open_to_administrators
def organization_home(request):
    """The 工作台: what this person must do now (tenants/workbench), then the module cards, each with how many
    of those items lead into it."""
    panels = home_panels.panels_for(request)
    role_labels = [Role(role).label for role in sorted(request.org_access.roles) if role in Role.values]
    bench = workbench_for(
        actor=request.user, access=request.org_access, organization=request.tenant, today=timezone.localdate()
    )
    return render(
        request,
        "xuncha/org_home.html",
        {
            "cards": [(panel, bench.count_under(panel.url)) for panel in panels],
            "role_labels": role_labels,
            "bench": bench,
            "lights": light_counts(bench.items),
        },
    )


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


class _MeOrganization(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    organization = _MeOrganization()
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices))
    clearance = serializers.IntegerField()


@open_to_administrators
class MeView(APIView):
    """Who the caller is in this organisation."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        org = request.tenant
        return Response(
            {
                "username": request.user.username,
                "organization": {"code": org.code, "name": org.name, "kind": org.kind},
                "roles": sorted(request.org_access.roles),
                "clearance": request.org_access.clearance,
            }
        )


def permission_denied(request, exception=None):
    """403: a page in the site's language. A refused submit (POST) says that nothing was saved and
    links back to the page it came from (same site only), where the browser still holds what was typed."""

    refused_action = request.method == "POST"
    back = request.META.get("HTTP_REFERER", "") if refused_action else ""
    if back and not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    return render(request, "403.html", {"refused_action": refused_action, "back": back}, status=403)
