"""The set-up API of the city office (issue 12): the same services as the pages, the same refusals by field."""

from __future__ import annotations

from functools import partial

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.attachments.api import AttachmentSerializer, ReceivedFileSerializer, files_field
from tenants.crossorg import campaigns, selectors, setup, steering
from tenants.crossorg.api import CountyProgressSerializer
from tenants.crossorg.models import Campaign
from tenants.crossorg.replies import campaign_decline
from tenants.crossorg.services import campaign_instantiate
from tenants.kernel.api import CoreRolePermission
from tenants.kernel.documents import DOCX, XLSX
from tenants.kernel.files import file_response
from tenants.kernel.roles import can_manage
from tenants.rounds.models import MemberRole, RoundState, Team, TeamMember
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
    files = files_field()  # multipart: the attachments for the counties (on a change: added to those it has)


class CreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()


def _run(request, serializer_class, service, *, created: bool, **extra):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    record = service(**serializer.validated_data, **extra)
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


class _CampaignCounty(CountyProgressSerializer):
    answer = serializers.ChoiceField(choices=["started", "declined", "unanswered"])
    stage_label = serializers.CharField()
    last_reminded_at = serializers.DateTimeField(allow_null=True)
    next_reminder_after = serializers.DateTimeField(allow_null=True)


class CampaignDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    topic = serializers.CharField()
    summary = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    counties = _CampaignCounty(many=True)
    files = AttachmentSerializer(many=True)


def campaign_detail(campaign: Campaign) -> dict:
    reminded = selectors.campaign_reminders_last(campaign=campaign)
    return {
        "id": campaign.pk,
        "title": campaign.title,
        "topic": campaign.topic,
        "summary": campaign.summary,
        "start_date": campaign.start_date,
        "end_date": campaign.end_date,
        "closed_on": campaign.closed_on,
        "counties": [
            {
                **vars(row),
                "answer": row.answer,
                "stage_label": row.stage_label,
                "last_reminded_at": reminded.get(row.code),
                "next_reminder_after": campaigns.reminder_next_allowed(reminded.get(row.code)),
            }
            for row in selectors.campaign_progress(campaign=campaign)
        ],
        "files": AttachmentSerializer(selectors.campaign_files(campaign=campaign), many=True).data,
    }


class CampaignEditAPI(APIView):
    """Read a campaign with each county's answer and figures (from the replicas); change it (a county taken off
    it has its copy withdrawn)."""

    permission_classes = [_CityOnly]

    @extend_schema(responses={200: CampaignDetailSerializer})
    def get(self, request, pk: int):
        campaign: Campaign = get_object_or_404(selectors.campaign_list(access=request.org_access), pk=pk)
        return Response(campaign_detail(campaign))

    @extend_schema(request=CampaignSerializer, responses={200: CreatedSerializer})
    def put(self, request, pk: int):
        campaign: Campaign = get_object_or_404(selectors.campaign_list(access=request.org_access), pk=pk)
        return _run(
            request, CampaignSerializer, setup.campaign_update, created=False, campaign=campaign, actor=request.user
        )


class CampaignFileAPI(APIView):
    """Take one attachment off a running campaign: the counties no longer receive it."""

    permission_classes = [_CityOnly]

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int, file_id: int):
        campaign: Campaign = get_object_or_404(selectors.campaign_list(access=request.org_access), pk=pk)
        campaigns.campaign_file_remove(campaign=campaign, file_id=file_id, actor=request.user, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


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
        added = type(self).service(round=round, team=team, actor=request.user, **data)
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
        team_member_remove(member=member, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _city_campaign(request, pk: int) -> Campaign:
    return get_object_or_404(selectors.campaign_list(access=request.org_access), pk=pk)


class CampaignRemindSerializer(serializers.Serializer):
    county_code = serializers.CharField(max_length=6)


class CampaignRemindAPI(APIView):
    """催办: remind a county that has not started the campaign's round (refused once it has)."""

    permission_classes = [_CityOnly]

    @extend_schema(request=CampaignRemindSerializer, responses={201: CreatedSerializer})
    def post(self, request, pk: int):
        campaign = _city_campaign(request, pk)
        return _run(
            request,
            CampaignRemindSerializer,
            partial(campaigns.campaign_remind, request=request),
            created=True,
            campaign=campaign,
            actor=request.user,
        )


class _Empty(serializers.Serializer):
    pass


class CampaignCloseAPI(APIView):
    """Close the campaign: the counties' figures are kept as they stand and the summary can be downloaded."""

    permission_classes = [_CityOnly]

    @extend_schema(request=None, responses={200: CreatedSerializer})
    def post(self, request, pk: int):
        campaign = _city_campaign(request, pk)
        return _run(
            request,
            _Empty,
            partial(campaigns.campaign_close, request=request),
            created=False,
            campaign=campaign,
            actor=request.user,
        )


class CampaignSummaryAPI(APIView):
    """The closed campaign's summary, Word or Excel (audited; never cached)."""

    permission_classes = [_CityOnly]

    @extend_schema(
        parameters=[OpenApiParameter("file_format", str, enum=["docx", "xlsx"])],
        responses={(200, DOCX): OpenApiTypes.BINARY, (200, XLSX): OpenApiTypes.BINARY},
    )
    def get(self, request, pk: int):
        campaign = _city_campaign(request, pk)
        fmt = request.query_params.get("file_format", "docx")
        content, content_type = campaigns.campaign_summary_export(
            campaign=campaign, fmt=fmt, actor=request.user, request=request
        )
        return file_response(content, content_type=content_type, filename=f"campaign-{campaign.pk}-summary.{fmt}")


class CampaignReceivedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    source = serializers.CharField()
    title = serializers.CharField()
    topic = serializers.CharField()
    summary = serializers.CharField()
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
    closed_on = serializers.DateField(allow_null=True)
    answer = serializers.ChoiceField(choices=["started", "declined", ""])
    round_id = serializers.IntegerField(allow_null=True, help_text="Our linked round (null: not started).")
    round_state = serializers.ChoiceField(choices=RoundState.choices, allow_null=True)
    declined_reason = serializers.CharField()
    files = ReceivedFileSerializer(many=True, help_text="The files the city attached, once each arrived whole.")


class CampaignReceivedAPI(APIView):
    """County side: one campaign received from the city, and our answer to it."""

    permission_classes = [CoreRolePermission]

    @extend_schema(responses={200: CampaignReceivedSerializer})
    def get(self, request, replica_id: int):
        replica = selectors.campaign_received_get(access=request.org_access, replica_id=replica_id)
        if replica is None:
            raise Http404
        our_round = selectors.campaign_round_here(replica=replica)
        reply = selectors.campaign_reply_here(replica=replica)
        return Response(
            {
                "id": replica.pk,
                "source": replica.source,
                **{name: replica.body.get(name) or "" for name in ("title", "topic", "summary")},
                **{name: replica.body.get(name) or None for name in ("start_date", "end_date", "closed_on")},
                "answer": selectors.campaign_received_answer(replica=replica),
                "round_id": our_round.pk if our_round else None,
                "round_state": our_round.state if our_round else None,
                "declined_reason": reply.reason if reply else "",
                "files": ReceivedFileSerializer(
                    selectors.campaign_received_files(access=request.org_access, replica=replica), many=True
                ).data,
            }
        )


class CampaignAcceptSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    onsite_start = serializers.DateField(allow_null=True, required=False, default=None)
    onsite_end = serializers.DateField(allow_null=True, required=False, default=None)


class CampaignAcceptAPI(APIView):
    """County side: accept the campaign by starting our own linked round (our units, our team)."""

    permission_classes = [CoreRolePermission]

    @extend_schema(request=CampaignAcceptSerializer, responses={201: CreatedSerializer})
    def post(self, request, replica_id: int):
        replica = selectors.campaign_received_get(access=request.org_access, replica_id=replica_id)
        if replica is None:
            raise Http404
        return _run(
            request, CampaignAcceptSerializer, campaign_instantiate, created=True, replica=replica, actor=request.user
        )
