"""Rounds API: rounds (filtered to what the caller may see), lifecycle, teams, members, targets."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.audit.views import audited_read
from tenants.experts.models import Expert
from tenants.kernel.api import CoreRolePermission, PagedList, VisibleRelatedField
from tenants.kernel.roles import ROUND_READERS, can_manage
from tenants.planning.models import AnnualPlan
from tenants.rounds.lifecycle import next_state
from tenants.rounds.models import (
    MemberRole,
    Round,
    RoundKind,
    RoundState,
    RoundTransition,
    Team,
    TeamMember,
    TeamTarget,
)
from tenants.rounds.selectors import round_deadlines, round_get_for, round_list_for, round_teams
from tenants.rounds.services import (
    round_create,
    round_expert_authorise,
    round_transition,
    team_create,
    team_member_add,
    team_target_add,
)
from tenants.targets.models import Target


def _reader(access) -> bool:
    return access.has_role(*ROUND_READERS)


class TransitionSerializer(serializers.ModelSerializer):
    by = serializers.StringRelatedField()

    class Meta:
        model = RoundTransition
        fields = ["from_state", "to_state", "by", "at", "note"]


class MemberSerializer(serializers.ModelSerializer):
    expert_name = serializers.CharField(source="expert.name", read_only=True)

    class Meta:
        model = TeamMember
        fields = ["id", "expert", "expert_name", "role"]


class TeamTargetSerializer(serializers.ModelSerializer):
    target_name = serializers.CharField(source="target.name", read_only=True)

    class Meta:
        model = TeamTarget
        fields = ["id", "target", "target_name"]


class TeamSerializer(serializers.ModelSerializer):
    members = MemberSerializer(many=True, read_only=True)
    targets = TeamTargetSerializer(source="team_targets", many=True, read_only=True)

    class Meta:
        model = Team
        fields = ["id", "name", "members", "targets"]


class RoundSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=RoundKind.choices)
    annual_plan = serializers.PrimaryKeyRelatedField(queryset=AnnualPlan.objects.all(), required=False, allow_null=True)
    look_back_of = VisibleRelatedField(
        queryset=Round.objects.all(), scope=round_list_for, required=False, allow_null=True
    )

    class Meta:
        model = Round
        fields = [
            "id",
            "name",
            "kind",
            "state",
            "topic",
            "annual_plan",
            "look_back_of",
            "onsite_start",
            "onsite_end",
            "classification",
            "created_at",
        ]
        read_only_fields = ["state", "created_at"]

    def validate_classification(self, value):
        if value > self.context["request"].org_access.clearance:
            raise serializers.ValidationError(_("You cannot create a round above your own clearance."))
        return value


class RoundDetailSerializer(RoundSerializer):
    teams = serializers.SerializerMethodField()
    transitions = TransitionSerializer(many=True, read_only=True)
    hearing_due = serializers.SerializerMethodField()
    next_state = serializers.SerializerMethodField()

    class Meta(RoundSerializer.Meta):
        fields = RoundSerializer.Meta.fields + ["teams", "transitions", "hearing_due", "next_state"]

    def get_teams(self, round) -> list[dict]:
        request = self.context.get("request")
        return TeamSerializer(round_teams(round=round, access=getattr(request, "org_access", None)), many=True).data

    def get_hearing_due(self, round) -> dict | None:
        hearing = round_deadlines(round=round).hearing
        return (
            None
            if hearing is None
            else {"due": hearing.due, "provisional": hearing.provisional, "reason": hearing.reason}
        )

    def get_next_state(self, round) -> str | None:

        return next_state(round.state)


class RoundListCreate(PagedList, APIView):
    permission_classes = [CoreRolePermission]
    read_check = staticmethod(_reader)

    @extend_schema(responses=RoundSerializer(many=True))
    def get(self, request):
        rounds = round_list_for(actor=request.user, access=request.org_access)
        return self.list_response(
            rounds, lambda page: RoundSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(request=RoundSerializer, responses={201: RoundSerializer})
    def post(self, request):
        serializer = RoundSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        round = round_create(name=data.pop("name"), kind=data.pop("kind"), actor=request.user, **data)
        return Response(RoundSerializer(round, context={"request": request}).data, status=status.HTTP_201_CREATED)


class RoundDetail(APIView):
    permission_classes = [CoreRolePermission]
    read_check = staticmethod(_reader)

    @extend_schema(responses=RoundDetailSerializer)
    def get(self, request, pk: int):
        round = audited_read(request, round_get_for(actor=request.user, access=request.org_access, pk=pk))
        return Response(RoundDetailSerializer(round, context={"request": request}).data)


class TransitionRequest(serializers.Serializer):
    to_state = serializers.ChoiceField(choices=RoundState.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RoundTransitionView(APIView):
    """Move the round one step; the service checks legality and the caller's role for that step."""

    permission_classes = [CoreRolePermission]
    read_check = write_check = staticmethod(_reader)

    @extend_schema(request=TransitionRequest, responses=RoundSerializer)
    def post(self, request, pk: int):
        round = round_get_for(actor=request.user, access=request.org_access, pk=pk)
        body = TransitionRequest(data=request.data)
        body.is_valid(raise_exception=True)
        round = round_transition(round=round, actor=request.user, access=request.org_access, **body.validated_data)
        return Response(RoundSerializer(round, context={"request": request}).data)


class TeamRequest(serializers.Serializer):
    name = serializers.CharField(max_length=100)


class TeamCreate(APIView):
    permission_classes = [CoreRolePermission]
    read_check, write_check = staticmethod(_reader), staticmethod(can_manage)

    @extend_schema(request=TeamRequest, responses={201: TeamSerializer})
    def post(self, request, pk: int):
        round = round_get_for(actor=request.user, access=request.org_access, pk=pk)
        body = TeamRequest(data=request.data)
        body.is_valid(raise_exception=True)
        team = team_create(round=round, name=body.validated_data["name"])
        return Response(TeamSerializer(team).data, status=status.HTTP_201_CREATED)


class ExpertRequest(serializers.Serializer):
    expert = serializers.PrimaryKeyRelatedField(queryset=Expert.objects.all())


class AuthoriseView(APIView):
    permission_classes = [CoreRolePermission]

    @extend_schema(
        request=ExpertRequest,
        responses={
            201: inline_serializer(
                "ExpertAuthorised", {"authorised": serializers.IntegerField(help_text="the expert's id")}
            )
        },
    )
    def post(self, request, pk: int):
        round = round_get_for(actor=request.user, access=request.org_access, pk=pk)
        body = ExpertRequest(data=request.data)
        body.is_valid(raise_exception=True)
        round_expert_authorise(round=round, expert=body.validated_data["expert"], actor=request.user)
        return Response({"authorised": body.validated_data["expert"].pk}, status=status.HTTP_201_CREATED)


class MemberRequest(ExpertRequest):
    role = serializers.ChoiceField(choices=MemberRole.choices, default=MemberRole.MEMBER)


def _team(request, pk, team_pk) -> Team:
    round = round_get_for(actor=request.user, access=request.org_access, pk=pk)
    return get_object_or_404(Team, pk=team_pk, round=round)


class MemberAdd(APIView):
    """Put a person on a team; refused with the avoidance rule's name (code avoidance_<rule>)."""

    permission_classes = [CoreRolePermission]

    @extend_schema(request=MemberRequest, responses={201: MemberSerializer})
    def post(self, request, pk: int, team_pk: int):
        team = _team(request, pk, team_pk)
        body = MemberRequest(data=request.data)
        body.is_valid(raise_exception=True)
        member = team_member_add(team=team, actor=request.user, **body.validated_data)
        return Response(MemberSerializer(member).data, status=status.HTTP_201_CREATED)


class TargetRequest(serializers.Serializer):
    target = serializers.PrimaryKeyRelatedField(queryset=Target.objects.all())


class TargetAdd(APIView):
    permission_classes = [CoreRolePermission]

    @extend_schema(request=TargetRequest, responses={201: TeamTargetSerializer})
    def post(self, request, pk: int, team_pk: int):
        team = _team(request, pk, team_pk)
        body = TargetRequest(data=request.data)
        body.is_valid(raise_exception=True)
        assignment = team_target_add(team=team, target=body.validated_data["target"], actor=request.user)
        return Response(TeamTargetSerializer(assignment).data, status=status.HTTP_201_CREATED)
