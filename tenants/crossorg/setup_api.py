"""The set-up API of the city office (issue 12): the same services as the pages, the same refusals by field."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.crossorg import selectors, setup, steering
from tenants.crossorg.models import Campaign
from tenants.crossorg.replies import campaign_decline
from tenants.kernel.api import CoreRolePermission
from tenants.kernel.errors import validation_error_body
from tenants.kernel.roles import can_manage
from tenants.rounds.models import MemberRole, Team, TeamMember
from tenants.rounds.services import team_member_remove


class _CityOnly(CoreRolePermission):
    """The office's managers of a city (reading: its overseers); any other organisation has no such endpoint."""

    def has_permission(self, request, view) -> bool:
        if request.tenant.kind != "city":
            raise Http404
        return super().has_permission(request, view)


class CrossRoundSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    home_org_code = serializers.CharField(max_length=6)
    host_org_code = serializers.CharField(max_length=6)
    onsite_start = serializers.DateField(allow_null=True)
    onsite_end = serializers.DateField(allow_null=True)
    team_name = serializers.CharField(max_length=100)
    people = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), max_length=30)
    leader = serializers.IntegerField(min_value=1, max_value=2**31 - 1, allow_null=True)
    units = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), max_length=30)


class ElevatedRoundSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    host_org_code = serializers.CharField(max_length=6)
    onsite_start = serializers.DateField(allow_null=True)
    onsite_end = serializers.DateField(allow_null=True)
    cooperation = serializers.CharField(max_length=2000)
    team_name = serializers.CharField(max_length=100)
    units = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), max_length=30)


class OrganisedRoundEditSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    onsite_start = serializers.DateField(allow_null=True)
    onsite_end = serializers.DateField(allow_null=True)
    cooperation = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class CampaignSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    topic = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    summary = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
    county_codes = serializers.ListField(child=serializers.CharField(max_length=6), max_length=50)


class CreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()


def _run(request, serializer_class, service, *, created: bool, **extra):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    try:
        record = service(**serializer.validated_data, **extra)
    except ValidationError as error:
        return Response(validation_error_body(error), status=status.HTTP_400_BAD_REQUEST)
    return Response({"id": record.pk}, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class _CreateAPI(APIView):
    """POST: one setup service (taking actor) with the serializer's fields."""

    permission_classes = [_CityOnly]
    serializer_class: type[serializers.Serializer]
    service = None

    def post(self, request):
        return _run(request, self.serializer_class, type(self).service, created=True, actor=request.user)


class CrossRoundCreateAPI(_CreateAPI):
    """Create a cross-county round: county A's people (replica ids) on county B's units (replica ids)."""

    serializer_class = CrossRoundSerializer
    service = staticmethod(setup.cross_round_setup)

    @extend_schema(request=CrossRoundSerializer, responses={201: CreatedSerializer})
    def post(self, request):
        return super().post(request)


class ElevatedRoundCreateAPI(_CreateAPI):
    """Create an elevated round on one county's units (replica ids)."""

    serializer_class = ElevatedRoundSerializer
    service = staticmethod(setup.elevated_round_setup)

    @extend_schema(request=ElevatedRoundSerializer, responses={201: CreatedSerializer})
    def post(self, request):
        return super().post(request)


class CampaignCreateAPI(_CreateAPI):
    """Launch a unified campaign (统一部署) to the chosen counties."""

    serializer_class = CampaignSerializer
    service = staticmethod(setup.campaign_setup)

    @extend_schema(request=CampaignSerializer, responses={201: CreatedSerializer})
    def post(self, request):
        return super().post(request)


class OrganisedRoundEditAPI(APIView):
    """Change an elevated or cross-county round's name, on-site window and (elevated) cooperation."""

    permission_classes = [_CityOnly]

    @extend_schema(request=OrganisedRoundEditSerializer, responses={200: CreatedSerializer})
    def put(self, request, pk: int):
        round = get_object_or_404(selectors.organised_rounds(actor=request.user, access=request.org_access), pk=pk)
        return _run(
            request,
            OrganisedRoundEditSerializer,
            setup.organised_round_update,
            created=False,
            round=round,
            actor=request.user,
        )


class CampaignEditAPI(APIView):
    """Change a campaign; a county taken off it has its copy withdrawn."""

    permission_classes = [_CityOnly]

    @extend_schema(request=CampaignSerializer, responses={200: CreatedSerializer})
    def put(self, request, pk: int):
        campaign: Campaign = get_object_or_404(selectors.campaign_list(access=request.org_access), pk=pk)
        return _run(request, CampaignSerializer, setup.campaign_update, created=False, campaign=campaign)


class CampaignDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class CampaignDeclineAPI(APIView):
    """A county's office says why it cannot run a campaign received from its city (the city sees the reason)."""

    permission_classes = [CoreRolePermission]

    @extend_schema(request=CampaignDeclineSerializer, responses={200: CreatedSerializer})
    def post(self, request, replica_id: int):
        replica = selectors.campaign_received_get(access=request.org_access, replica_id=replica_id)
        if replica is None:
            raise Http404
        return _run(
            request, CampaignDeclineSerializer, campaign_decline, created=False, replica=replica, actor=request.user
        )


# --- steering a running elevated or cross-county round (issue 12 point 4) -----------------------------------


class SteeringGrantSerializer(serializers.Serializer):
    person = serializers.CharField()
    home = serializers.CharField()
    role = serializers.CharField()
    units = serializers.ListField(child=serializers.CharField())
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    state = serializers.ChoiceField(choices=["in_force", "not_yet", "ended", "withdrawn", "lapsed"])
    state_label = serializers.CharField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)


class SteeringDeliverySerializer(serializers.Serializer):
    county = serializers.CharField()
    what = serializers.CharField()
    item = serializers.CharField()
    state = serializers.ChoiceField(choices=["sent", "queued", "retrying", "withdrawn"])
    state_label = serializers.CharField()
    at = serializers.DateTimeField(allow_null=True)


class SteeringSerializer(serializers.Serializer):
    grants = SteeringGrantSerializer(many=True)
    deliveries = SteeringDeliverySerializer(many=True)


def _steered_round(request, pk: int):
    return get_object_or_404(selectors.organised_rounds(actor=request.user, access=request.org_access), pk=pk)


class SteeringAPI(APIView):
    """The grants in force of a cross-county round and what each county has received of it (the office only)."""

    permission_classes = [_CityOnly]
    read_check = staticmethod(can_manage)

    @extend_schema(responses={200: SteeringSerializer})
    def get(self, request, pk: int):
        found = steering.round_steering(round=_steered_round(request, pk), access=request.org_access)
        if found is None:
            raise Http404
        return Response(SteeringSerializer({"grants": found.grants, "deliveries": found.deliveries}).data)


class PersonAddSerializer(serializers.Serializer):
    team = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    person = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    role = serializers.ChoiceField(choices=MemberRole.choices, default=MemberRole.MEMBER)


class UnitAddSerializer(serializers.Serializer):
    team = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    unit = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


def _with_team(request, pk: int, serializer_class):
    round = _steered_round(request, pk)
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    data = dict(body.validated_data)
    team = get_object_or_404(Team, pk=data.pop("team"), round=round)
    return round, team, data


class _TeamAddAPI(APIView):
    """POST: `service(round=, team=, actor=, **fields)` with the serializer's fields (the team by id)."""

    permission_classes = [_CityOnly]
    serializer_class: type[serializers.Serializer]
    service = None

    def post(self, request, pk: int):
        round, team, data = _with_team(request, pk, self.serializer_class)
        try:
            added = type(self).service(round=round, team=team, actor=request.user, **data)
        except ValidationError as error:
            return Response(validation_error_body(error), status=status.HTTP_400_BAD_REQUEST)
        return Response({"id": added.pk}, status=status.HTTP_201_CREATED)


class PersonAddAPI(_TeamAddAPI):
    """Put a person of the home county's pool (replica id) on a team of a cross-county round; access follows."""

    serializer_class = PersonAddSerializer
    service = staticmethod(setup.organised_round_person_add)

    @extend_schema(request=PersonAddSerializer, responses={201: CreatedSerializer})
    def post(self, request, pk: int):
        return super().post(request, pk)


class UnitAddAPI(_TeamAddAPI):
    """Assign a unit of the inspected county (replica id) to a team (before the announcement)."""

    serializer_class = UnitAddSerializer
    service = staticmethod(setup.organised_round_unit_add)

    @extend_schema(request=UnitAddSerializer, responses={201: CreatedSerializer})
    def post(self, request, pk: int):
        return super().post(request, pk)


class PersonRemoveAPI(APIView):
    """Take a person off the round's team: their access ends at their next request."""

    permission_classes = [_CityOnly]

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int, member_pk: int):
        member = get_object_or_404(TeamMember, pk=member_pk, round=_steered_round(request, pk))
        try:
            team_member_remove(member=member, actor=request.user)
        except ValidationError as error:
            return Response(validation_error_body(error), status=status.HTTP_400_BAD_REQUEST)
        return Response(status=status.HTTP_204_NO_CONTENT)
