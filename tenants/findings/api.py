"""REST API for findings and clues; the confidential clue ledger for cleared office users."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shared.accounts.models import Classification
from tenants.work_access import is_office, require
from tenants.api_support import call_service, file_response, get_or_404
from tenants.documents import XLSX
from tenants.findings import selectors, services
from tenants.findings.models import Clue, Finding
from tenants.office.models import FindingCategory
from tenants.rounds.models import Round, Team
from tenants.targets.models import Target
from tenants.audit.models import AuditAction
from tenants.audit.views import audited_list, audited_read


class FindingSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)
    classification = serializers.IntegerField(required=False)
    round = serializers.PrimaryKeyRelatedField(queryset=Round.objects.all())
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all(), required=False, allow_null=True)
    target = serializers.PrimaryKeyRelatedField(queryset=Target.objects.all())
    category = serializers.PrimaryKeyRelatedField(queryset=FindingCategory.objects.filter(is_active=True))

    class Meta:
        model = Finding
        fields = ["id", "round", "team", "target", "category", "category_name", "severity", "title", "description",
                  "evidence", "fixed_on_spot", "fixed_on_spot_note", "classification", "created_at"]
        read_only_fields = ["created_at"]


class FindingViewSet(viewsets.ViewSet):
    """Findings (问题) with category, severity, evidence and the 立行立改 flag."""

    def get_queryset(self):
        return selectors.finding_list(user=self.request.user, access=self.request.org_access,
                                      round_id=self.request.query_params.get("round") or None)

    @extend_schema(responses=FindingSerializer(many=True))
    def list(self, request):
        return Response(FindingSerializer(self.get_queryset(), many=True).data)

    @extend_schema(responses=FindingSerializer)
    def retrieve(self, request, pk=None):
        return Response(FindingSerializer(get_or_404(self.get_queryset(), pk)).data)

    @extend_schema(request=FindingSerializer, responses=FindingSerializer)
    def create(self, request):
        data = FindingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        finding = call_service(services.finding_create, actor=request.user, access=request.org_access,
                               round_obj=values.pop("round"), **values)
        return Response(FindingSerializer(finding).data, status=status.HTTP_201_CREATED)


class PersonSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    position = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ClueSerializer(serializers.ModelSerializer):
    persons = PersonSerializer(many=True, required=False)
    classification = serializers.IntegerField(required=False)
    round = serializers.PrimaryKeyRelatedField(queryset=Round.objects.all())
    target = serializers.PrimaryKeyRelatedField(queryset=Target.objects.all())
    category = serializers.PrimaryKeyRelatedField(queryset=FindingCategory.objects.all(), required=False,
                                                  allow_null=True)
    findings = serializers.PrimaryKeyRelatedField(queryset=Finding.objects.all(), many=True, required=False)

    class Meta:
        model = Clue
        fields = ["id", "round", "target", "category", "summary", "findings", "persons", "classification",
                  "created_at"]
        read_only_fields = ["created_at"]


class ClueViewSet(viewsets.ViewSet):
    """Clues (问题线索): 机密 by default, visible only to users cleared for them."""

    def get_queryset(self):
        return selectors.clue_list(user=self.request.user, access=self.request.org_access,
                                   round_id=self.request.query_params.get("round") or None) \
            .prefetch_related("persons", "findings")

    @extend_schema(responses=ClueSerializer(many=True))
    def list(self, request):
        return Response(ClueSerializer(audited_list(request, self.get_queryset()), many=True).data)

    @extend_schema(responses=ClueSerializer)
    def retrieve(self, request, pk=None):
        return Response(ClueSerializer(audited_read(request, get_or_404(self.get_queryset(), pk))).data)

    @extend_schema(request=ClueSerializer, responses=ClueSerializer)
    def create(self, request):
        data = ClueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        clue = call_service(services.clue_create, actor=request.user, access=request.org_access,
                            round_obj=values.pop("round"), **values)
        return Response(ClueSerializer(clue).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"], url_path="ledger.xlsx")
    def ledger(self, request):
        """The confidential clue ledger (问题线索台账): office users cleared for 机密 only."""
        from tenants.transfers.documents import clue_ledger_xlsx

        access = request.org_access
        require(is_office(access) and access.cleared_for(Classification.CONFIDENTIAL))
        clues = self.get_queryset().prefetch_related("transfers__agency").order_by("id")
        clues = audited_list(request, clues, action=AuditAction.EXPORT)
        return file_response(clue_ledger_xlsx(clues=clues), content_type=XLSX, filename="clue-ledger.xlsx")
