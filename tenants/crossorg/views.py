"""One page and one API endpoint: what this organisation (and this person) sees of elevated,
cross-county and linked work. Thin: selectors decide visibility."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from shared.grants.selectors import grants_active_for_user
from tenants.crossorg import selectors
from tenants.crossorg.services import campaign_instantiate
from tenants.ledger.registry import ledger_get
from tenants.rounds.models import RoundKind, RoundState
from xuncha import home_panels

MANAGERS = ("office_admin", "office_staff")


def _overview(request) -> dict:
    access = request.org_access
    data = {"granted": access.is_granted}
    if access.is_granted:
        data["targets"] = list(selectors.granted_targets(access=access))
        data["rounds"] = list(selectors.organised_rounds(user=request.user, access=access))
        return data
    data["rounds"] = list(selectors.organised_rounds(user=request.user, access=access))  # only rounds one may open
    data["may_instantiate"] = access.has_role(*MANAGERS)
    data["campaigns"] = [(c, selectors.campaign_progress(campaign=c)) for c in selectors.campaign_list(access=access)]
    data["notices"] = list(selectors.elevated_notices(access=access))
    data["campaigns_received"] = list(selectors.campaigns_received(access=access))
    data["rectification_received"] = list(selectors.rectification_lists_received(access=access))
    return data


def overview_page(request):
    data = _overview(request)
    # dates as dates, shown in the page's language
    data["notices"] = [
        (notice, parse_date(notice.text("start_date")), parse_date(notice.text("end_date")))
        for notice in data.get("notices", [])
    ]
    return render(request, "crossorg/overview.html", data)


@require_POST
def campaign_instantiate_page(request, replica_id: int):
    if not request.org_access.has_role(*MANAGERS):
        raise PermissionDenied
    replica = selectors.campaign_received_get(access=request.org_access, replica_id=replica_id)
    if replica is None:
        raise Http404
    try:
        campaign_instantiate(
            replica=replica, name=request.POST.get("name", "").strip() or replica.body["title"], created_by=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The campaign's round has been created."))
    return redirect(f"{request.tenant.route}crossorg/")


class _OverviewRound(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=RoundKind.choices)
    state = serializers.ChoiceField(choices=RoundState.choices)
    onsite_start = serializers.DateField(allow_null=True)
    onsite_end = serializers.DateField(allow_null=True)


class _GrantedTarget(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    round = serializers.IntegerField()


class _CountyProgress(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    started = serializers.BooleanField()
    round_name = serializers.CharField()
    stage = serializers.CharField()
    targets_count = serializers.IntegerField()
    teams_count = serializers.IntegerField()
    findings_count = serializers.IntegerField()


class _Campaign(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    counties = _CountyProgress(many=True)


class _RectificationReceived(serializers.Serializer):
    id = serializers.IntegerField()
    source = serializers.CharField()
    title = serializers.CharField()
    target_name = serializers.CharField()
    deadline = serializers.DateField(allow_null=True)
    deadline_provisional = serializers.BooleanField()
    origin_round_kind = serializers.CharField()
    status = serializers.ChoiceField(choices=ledger_get(selectors.RECTIFICATION_ITEM).model.status_choices())


class OverviewSerializer(serializers.Serializer):
    """What a granted member gets (granted, rounds, targets), or an office the rest (no targets)."""

    granted = serializers.BooleanField()
    rounds = _OverviewRound(many=True)
    targets = _GrantedTarget(many=True, required=False)
    campaigns = _Campaign(many=True, required=False)
    notices = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text="Elevated-round notices received: the source and the notice's fields.",
    )
    campaigns_received = serializers.ListField(child=serializers.DictField(), required=False)
    rectification_received = _RectificationReceived(many=True, required=False)


class OverviewAPI(APIView):
    """Elevated/cross-county rounds, campaigns with county progress, notices and lists received."""

    @extend_schema(responses=OverviewSerializer)
    def get(self, request):
        data = _overview(request)
        out = {
            "granted": data["granted"],
            "rounds": [
                {
                    "id": r.pk,
                    "name": r.name,
                    "kind": r.kind,
                    "state": r.state,
                    "onsite_start": r.onsite_start,
                    "onsite_end": r.onsite_end,
                }
                for r in data["rounds"]
            ],
        }
        if data["granted"]:
            out["targets"] = [{"id": t.target_id, "name": t.target.name, "round": t.round_id} for t in data["targets"]]
            return Response(out)
        out["campaigns"] = [
            {"id": c.pk, "title": c.title, "counties": [vars(p) for p in progress]} for c, progress in data["campaigns"]
        ]
        out["notices"] = [{"source": n.source, **n.body} for n in data["notices"]]
        out["campaigns_received"] = [{"id": n.pk, "source": n.source, **n.body} for n in data["campaigns_received"]]
        out["rectification_received"] = [
            {
                "id": n.pk,
                "source": n.source,
                "title": n.title,
                "target_name": n.target_name,
                "deadline": n.deadline,
                "deadline_provisional": n.deadline_provisional,
                "origin_round_kind": n.origin_round_kind,
                "status": n.status,
            }
            for n in data["rectification_received"]
        ]
        return Response(out)


def crossorg_panel(request):
    access = getattr(request, "org_access", None)
    if access is None or not access.roles:
        return None
    return home_panels.Panel(
        title=str(gettext_lazy("Elevated, cross-county and linked")),
        url=f"{request.tenant.route}crossorg/",
        description=str(gettext_lazy("提级、交叉、联动巡察")),
        order=45,
    )


home_panels.register(crossorg_panel)


def granted_work_panel(request):
    """At home, a cross-county team member finds the way to the organisation whose targets the team
    inspects (a grant, not a membership: it shows only while the on-site window is open)."""
    if not getattr(request.user, "is_authenticated", False) or getattr(request, "org_access", None) is None:
        return None
    grant = grants_active_for_user(user=request.user).exclude(organization_id=request.tenant.pk).first()
    if grant is None:
        return None
    return home_panels.Panel(
        title=str(_("Cross-county inspection: %(org)s") % {"org": grant.organization.name}),
        url=f"{grant.organization.route}crossorg/",
        order=5,
        description=str(
            _("Your team's assigned targets there, open until %(end)s.")
            % {"end": date_format(grant.ends_on, "DATE_FORMAT")}
        ),
    )


home_panels.register(granted_work_panel)
