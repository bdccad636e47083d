"""REST API for transfers: routing, three-party hand-over, handling reports, the ledger."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from tenants.agencies.models import Agency
from tenants.findings.models import Clue, Finding
from tenants.findings.selectors import clue_list, finding_list
from tenants.kernel.access import is_office, require
from tenants.kernel.api import COUNTY_PROGRESS, DayOfRequest, PrefetchedRows, VisibleRelatedField, prefetch_rows
from tenants.kernel.documents import XLSX
from tenants.kernel.files import file_response
from tenants.ledger.api import LedgerSerializer, LedgerViewSet, SuperiorRecordViewSet, ledger_fields
from tenants.rectification.services import yellow_within_days
from tenants.transfers import selectors, services
from tenants.transfers.documents import transfer_ledger_xlsx
from tenants.transfers.models import (
    HandlingKind,
    HandlingProgress,
    Party,
    ReceivedTransfer,
    Transfer,
    TransferSignature,
    TransferType,
)


class SignatureSerializer(serializers.Serializer):
    party = serializers.CharField()
    signed_by = serializers.CharField(source="signed_by.username")
    signed_at = serializers.DateTimeField()


class TransferSerializer(DayOfRequest, serializers.ModelSerializer):
    """Refers to the clue by id only: its content stays in the clue store."""

    agency_name = serializers.CharField(source="agency.name", read_only=True)
    signatures = PrefetchedRows(child=SignatureSerializer(), read_only=True)
    acknowledged = serializers.BooleanField(read_only=True)
    overdue = serializers.SerializerMethodField()
    county_progress = serializers.SerializerMethodField()

    class Meta:
        model = Transfer
        fields = [
            "id",
            "round",
            "transfer_type",
            "agency",
            "agency_name",
            "clue",
            "finding",
            "fast_track",
            "fast_track_ground",
            "classification",
            "status",
            "signatures",
            "acknowledged",
            "handed_over_on",
            "feedback_due",
            "feedback_due_provisional",
            "feedback_due_note",
            "overdue",
            "handling_kind",
            "handling_report",
            "handling_reported_on",
            "county_progress",
        ]

    def get_overdue(self, obj) -> bool:
        return services.transfer_is_overdue(transfer=obj, today=self.today)

    @extend_schema_field(COUNTY_PROGRESS)  # none until the county reports
    def get_county_progress(self, obj):
        """The county managing the unit: its latest handling status (status, handled_on, reported_on)."""
        return self.context.get("county_progress", {}).get(obj.pk)


class TransferCreateSerializer(serializers.Serializer):
    transfer_type = serializers.ChoiceField(choices=TransferType.choices)
    clue = VisibleRelatedField(queryset=Clue.objects.all(), scope=clue_list, required=False, allow_null=True)
    finding = VisibleRelatedField(queryset=Finding.objects.all(), scope=finding_list, required=False, allow_null=True)
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), required=False, allow_null=True)
    fast_track = serializers.BooleanField(required=False, default=False)
    fast_track_ground = serializers.CharField(required=False, allow_blank=True, default="")


class SignSerializer(serializers.Serializer):
    party = serializers.ChoiceField(choices=Party.choices)


class HandlingSerializer(serializers.Serializer):
    handling_kind = serializers.ChoiceField(choices=HandlingKind.choices)
    report = serializers.CharField()


class TransferViewSet(SuperiorRecordViewSet):
    """Transfers (移交) to 纪委监委 / 组织部 / the unit concerned (004 art.35)."""

    ledger_type, serializer_class = "transfers.transfer", TransferSerializer

    def get_queryset(self):
        return selectors.transfer_list(actor=self.request.user, access=self.request.org_access)

    def list_queryset(self):
        # A row names its round by id and its signers by name: the signatures come with their people in one
        # statement, as plain lists (prefetch_rows).
        signatures = prefetch_rows("signatures", TransferSignature.objects.select_related("signed_by"))
        return (
            self.get_queryset()
            .select_related(None)
            .select_related("agency")
            .prefetch_related(None)
            .prefetch_related(signatures)
        )

    @extend_schema(request=TransferCreateSerializer, responses=TransferSerializer)
    def create(self, request):
        require(is_office(request.org_access))  # before the input is looked at
        data = TransferCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        clue, finding = values.get("clue"), values.get("finding")  # only what the caller can see resolves
        transfer = services.transfer_create(
            actor=request.user,
            access=request.org_access,
            transfer_type=values["transfer_type"],
            clue=clue,
            finding=finding,
            agency=values.get("agency"),
            fast_track=values["fast_track"],
            fast_track_ground=values["fast_track_ground"],
        )
        return Response(TransferSerializer(transfer).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SignSerializer, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        return self._record_step(request, pk, body=SignSerializer, service=services.transfer_sign, record="transfer")

    @extend_schema(request=HandlingSerializer, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def handling(self, request, pk=None):
        return self._record_step(
            request, pk, body=HandlingSerializer, service=services.transfer_report_handling, record="transfer"
        )

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"], url_path="ledger.xlsx")
    def ledger(self, request):
        """移交台账 (no clue content) of the transfers the caller may see."""
        transfers = self.get_queryset().order_by("id")
        return file_response(
            transfer_ledger_xlsx(transfers=transfers), content_type=XLSX, filename="transfer-ledger.xlsx"
        )


class ReceivedTransferSerializer(LedgerSerializer):
    class Meta:
        model = ReceivedTransfer
        fields = ledger_fields(
            "reference",
            "category",
            "route",
            "target_name",
            "deadline",
            "deadline_provisional",
            "superior_status",
            "status",
            "handled_on",
            "note",
            "reported_on",
        )
        read_only_fields = fields


class ReceivedHandlingSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=HandlingProgress.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    handled_on = serializers.DateField(required=False, allow_null=True, default=None)


class ReceivedTransferViewSet(LedgerViewSet):
    """A county's transfers from its city (督办); the handling status goes up to the city."""

    model, serializer_class, report_serializer_class = (
        ReceivedTransfer,
        ReceivedTransferSerializer,
        ReceivedHandlingSerializer,
    )
    yellow_within_days = staticmethod(yellow_within_days)

    @extend_schema(request=ReceivedHandlingSerializer, responses=ReceivedTransferSerializer)
    @action(detail=True, methods=["post"])
    def handling(self, request, pk=None):
        return self._report(request, pk)
