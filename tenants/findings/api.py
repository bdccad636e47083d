"""REST API for findings and clues; the confidential clue ledger for cleared office users."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from shared.accounts.models import Classification
from tenants.audit.models import AuditAction
from tenants.audit.views import audited_list, audited_read
from tenants.findings import escalation, selectors, services
from tenants.findings.documents import clue_ledger_xlsx
from tenants.findings.models import Clue, ClueEscalation, Finding, LeadershipMember
from tenants.findings.selectors import finding_list
from tenants.kernel.access import is_office, require
from tenants.kernel.api import IdViewSet, VisibleRelatedField
from tenants.kernel.documents import XLSX
from tenants.kernel.files import file_response
from tenants.kernel.lookups import get_or_404
from tenants.office.models import FindingCategory
from tenants.rounds.models import Round, Team
from tenants.rounds.selectors import round_list_for, team_list_for
from tenants.targets.models import Target


class FindingSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)
    classification = serializers.IntegerField(required=False)
    round = VisibleRelatedField(queryset=Round.objects.all(), scope=round_list_for)
    team = VisibleRelatedField(queryset=Team.objects.all(), scope=team_list_for, required=False, allow_null=True)
    target = serializers.PrimaryKeyRelatedField(queryset=Target.objects.all())
    category = serializers.PrimaryKeyRelatedField(queryset=FindingCategory.objects.filter(is_active=True))

    class Meta:
        model = Finding
        fields = [
            "id",
            "round",
            "team",
            "target",
            "category",
            "category_name",
            "severity",
            "title",
            "description",
            "evidence",
            "fixed_on_spot",
            "fixed_on_spot_note",
            "classification",
            "created_at",
        ]
        read_only_fields = ["created_at"]


class FindingViewSet(IdViewSet):
    """Findings (问题) with category, severity, evidence and the 立行立改 flag."""

    def get_queryset(self):
        require(selectors.may_read_findings(self.request.org_access))  # refused, as on the page
        return selectors.finding_list(
            actor=self.request.user,
            access=self.request.org_access,
            round_id=self.request.query_params.get("round") or None,
        )

    @extend_schema(responses=FindingSerializer(many=True))
    def list(self, request):
        # A row names its round, team and unit by id: of the selector's joins, only the category's name is read.
        rows = self.get_queryset().select_related(None).select_related("category")
        return self.list_response(rows, lambda page: FindingSerializer(page, many=True).data)

    @extend_schema(responses=FindingSerializer)
    def retrieve(self, request, pk=None):
        return Response(FindingSerializer(get_or_404(self.get_queryset(), pk)).data)

    @extend_schema(request=FindingSerializer, responses=FindingSerializer)
    def create(self, request):
        data = FindingSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        finding = services.finding_create(
            actor=request.user, access=request.org_access, round=values.pop("round"), **values
        )
        return Response(FindingSerializer(finding).data, status=status.HTTP_201_CREATED)


class PersonSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    position = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ClueSerializer(serializers.ModelSerializer):
    persons = PersonSerializer(many=True, required=False)
    classification = serializers.IntegerField(required=False)
    round = VisibleRelatedField(queryset=Round.objects.all(), scope=round_list_for)
    target = serializers.PrimaryKeyRelatedField(queryset=Target.objects.all())
    category = serializers.PrimaryKeyRelatedField(
        queryset=FindingCategory.objects.all(), required=False, allow_null=True
    )
    findings = VisibleRelatedField(queryset=Finding.objects.all(), scope=finding_list, many=True, required=False)
    concerns_own_leadership = serializers.BooleanField(
        required=False,
        default=False,
        write_only=True,
        help_text="涉及本级党委管理的领导干部: a county escalates the clue, sealed, to its city (the answer is "
        "then the receipt, not the clue).",
    )

    class Meta:
        model = Clue
        fields = [
            "id",
            "round",
            "target",
            "category",
            "summary",
            "findings",
            "persons",
            "classification",
            "created_at",
            "concerns_own_leadership",
            "origin_org_code",
            "origin_org_name",
            "origin_reference",
            "origin_round_name",
            "origin_target_name",
            "origin_escalated_at",
        ]
        read_only_fields = [
            "created_at",
            "origin_org_code",
            "origin_org_name",
            "origin_reference",
            "origin_round_name",
            "origin_target_name",
            "origin_escalated_at",
        ]


class EscalationReceiptSerializer(serializers.ModelSerializer):
    """A county's receipt for a clue escalated to its city: never any content of the clue."""

    escalated_by = serializers.CharField(source="escalated_by.get_username", read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = ClueEscalation
        fields = [
            "reference",
            "escalated_at",
            "escalated_by",
            "destination_code",
            "destination_name",
            "received_at",
            "status",
        ]

    def get_status(self, receipt) -> str:
        if receipt.received_at:
            return "received"
        return "sent" if getattr(receipt, "sent_at", None) else "queued"


class LeadershipMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = LeadershipMember
        fields = ["id", "name", "post", "body", "is_active", "added_at"]
        read_only_fields = ["is_active", "added_at"]


class ClueViewSet(IdViewSet):
    """Clues (问题线索): 机密 by default, visible only to users cleared for them."""

    def get_queryset(self):
        require(selectors.may_read_findings(self.request.org_access))
        return selectors.clue_list(
            actor=self.request.user,
            access=self.request.org_access,
            round_id=self.request.query_params.get("round") or None,
        ).prefetch_related("persons", "findings")

    @extend_schema(responses=ClueSerializer(many=True))
    def list(self, request):
        return self.list_response(
            self.get_queryset(), lambda page: ClueSerializer(audited_list(request, page), many=True).data
        )

    @extend_schema(responses=ClueSerializer)
    def retrieve(self, request, pk=None):
        return Response(ClueSerializer(audited_read(request, get_or_404(self.get_queryset(), pk))).data)

    @extend_schema(request=ClueSerializer, responses=ClueSerializer)
    def create(self, request):
        data = ClueSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        clue = services.clue_create(actor=request.user, access=request.org_access, round=values.pop("round"), **values)
        if isinstance(clue, ClueEscalation):  # escalated to the city: only the receipt comes back
            return Response(
                {"escalated": True, **EscalationReceiptSerializer(clue).data}, status=status.HTTP_201_CREATED
            )
        return Response(ClueSerializer(clue).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"], url_path="ledger.xlsx")
    def ledger(self, request):
        """The confidential clue ledger (问题线索台账): office users cleared for 机密 only."""
        access = request.org_access
        require(is_office(access) and access.cleared_for(Classification.CONFIDENTIAL))
        clues = self.get_queryset().prefetch_related("transfers__agency").order_by("id")
        clues = audited_list(request, clues, action=AuditAction.EXPORT)
        return file_response(clue_ledger_xlsx(clues=clues), content_type=XLSX, filename="clue-ledger.xlsx")


class ClueEscalationViewSet(IdViewSet):
    """A county's receipts for clues about its own leadership escalated to the city (office roles)."""

    @extend_schema(responses=EscalationReceiptSerializer(many=True))
    def list(self, request):
        require(is_office(request.org_access))
        return self.list_response(
            escalation.escalation_list(access=request.org_access),
            lambda page: EscalationReceiptSerializer(page, many=True).data,
        )


class LeadershipMemberViewSet(IdViewSet):
    """The office's register of its own leadership (本级领导干部名册): office roles."""

    def _members(self):
        require(is_office(self.request.org_access))
        return LeadershipMember.objects.filter(is_active=True)

    @extend_schema(responses=LeadershipMemberSerializer(many=True))
    def list(self, request):
        return self.list_response(self._members(), lambda page: LeadershipMemberSerializer(page, many=True).data)

    @extend_schema(request=LeadershipMemberSerializer, responses=LeadershipMemberSerializer)
    def create(self, request):
        require(is_office(request.org_access))  # before the input is looked at
        data = LeadershipMemberSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = escalation.leadership_member_add(actor=request.user, access=request.org_access, **data.validated_data)
        return Response(LeadershipMemberSerializer(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        member = get_or_404(self._members(), pk)
        escalation.leadership_member_deactivate(actor=request.user, access=request.org_access, member=member)
        return Response(status=status.HTTP_204_NO_CONTENT)
