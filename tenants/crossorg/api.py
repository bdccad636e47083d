"""The API of what this organisation (and this person) sees of elevated, cross-county and linked work."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.crossorg import selectors
from tenants.ledger.registry import ledger_get
from tenants.rounds.models import RoundKind, RoundState


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


class CountyProgressSerializer(serializers.Serializer):
    """One county's line of a campaign, from the replicas it sent up (selectors.CountyProgress)."""

    code = serializers.CharField()
    name = serializers.CharField()
    started = serializers.BooleanField()
    round_name = serializers.CharField()
    stage = serializers.CharField()
    targets_count = serializers.IntegerField()
    teams_count = serializers.IntegerField()
    findings_count = serializers.IntegerField()
    declined_reason = serializers.CharField(help_text="Why the county cannot run it (empty: not declined).")
    rectification_items = serializers.IntegerField()
    rectification_closed = serializers.IntegerField()
    overdue_items = serializers.IntegerField(help_text="Open rectification items past due, and open overdue deadlines.")


class _Campaign(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    counties = CountyProgressSerializer(many=True)


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
        data = selectors.overview(actor=request.user, access=request.org_access)
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
        out["campaigns_received"] = [
            {"id": n.pk, "source": n.source, "answer": answer, **n.body} for n, answer in data["campaign_rows"]
        ]
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
