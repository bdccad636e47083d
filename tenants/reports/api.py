"""The reporting API (DRF, documented by drf-spectacular). Thin: the same services and selectors
as the pages, the same role checks."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.attachments.api import AttachmentSerializer, ReceivedFileSerializer, files_field
from tenants.attachments.selectors import attachments_by_record
from tenants.attachments.travel import received_files
from tenants.audit.services import audit_records_read
from tenants.kernel.api import PagedList
from tenants.kernel.documents import DOCX, XLSX
from tenants.reports import selectors, services, summaries, views
from tenants.reports.models import Filing, FilingKind, FilingRevision, ReceiptStatus
from xuncha.permissions import HasOrganizationRole


class _OrganizationKind(HasOrganizationRole):
    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and request.tenant.kind in view.organization_kinds


class RevisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = FilingRevision
        fields = ["number", "title", "content", "note", "filed_at", "outcome", "outcome_comment"]


def filing_data(filings, *, many: bool = False):
    """Filings as the API answers them, each with the documents filed with it (one query for them all)."""
    rows = list(filings) if many else [filings]
    context = {"attachments": attachments_by_record(records=rows)}
    return FilingSerializer(rows if many else filings, many=many, context=context).data


class FilingSerializer(serializers.ModelSerializer):
    revisions = RevisionSerializer(many=True, read_only=True)
    attachments = serializers.SerializerMethodField()

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, obj) -> list:
        return AttachmentSerializer(self.context.get("attachments", {}).get(str(obj.pk), []), many=True).data

    class Meta:
        model = Filing
        fields = [
            "id",
            "key",
            "kind",
            "subject",
            "title",
            "period",
            "revision",
            "content",
            "note",
            "classification",
            "status",
            "status_comment",
            "status_at",
            "filed_at",
            "revisions",
            "attachments",
        ]
        read_only_fields = fields


class FilingCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FilingKind.choices)
    subject_id = serializers.IntegerField(required=False, allow_null=True)
    period = serializers.CharField(required=False, allow_blank=True, max_length=16, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    files = files_field()


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class FilingListCreate(PagedList, APIView):
    """The city's filings with the province (list; file something new)."""

    permission_classes = [_OrganizationKind]
    organization_kinds = ("city",)
    required_roles = selectors.CITY_REPORTING_ROLES

    @extend_schema(responses=FilingSerializer(many=True))
    def get(self, request):
        filings = selectors.filing_list(access=request.org_access).prefetch_related("revisions")
        return self.list_response(filings, lambda page: filing_data(page, many=True))

    @extend_schema(request=FilingCreateSerializer, responses={201: FilingSerializer})
    def post(self, request):
        if not request.org_access.has_role(*selectors.CITY_FILING_ROLES):
            raise PermissionDenied
        data = FilingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        filing = services.filing_submit(actor=request.user, organization=request.tenant, **data.validated_data)
        return Response(filing_data(filing), status=status.HTTP_201_CREATED)


class FilingDetail(APIView):
    permission_classes = [_OrganizationKind]
    organization_kinds = ("city",)
    required_roles = selectors.CITY_REPORTING_ROLES

    @extend_schema(responses=FilingSerializer)
    def get(self, request, pk: int):
        filing = selectors.filing_get(access=request.org_access, pk=pk)
        if filing is None:
            raise Http404
        return Response(filing_data(filing))


class FilingRefile(APIView):
    """Correct a returned filing: it is generated again from the records as a new revision."""

    permission_classes = [_OrganizationKind]
    organization_kinds = ("city",)
    required_roles = selectors.CITY_FILING_ROLES

    @extend_schema(request=NoteSerializer, responses=FilingSerializer)
    def post(self, request, pk: int):
        filing = selectors.filing_get(access=request.org_access, pk=pk)
        if filing is None:
            raise Http404
        data = NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        filing = services.filing_refile(
            filing=filing, actor=request.user, organization=request.tenant, note=data.validated_data["note"]
        )
        return Response(filing_data(filing))


EXPORT_SCHEMA = extend_schema(
    responses={(200, DOCX): OpenApiTypes.BINARY, (200, XLSX): OpenApiTypes.BINARY},
    parameters=[OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=["docx", "xlsx"])],
)


class FilingExport(APIView):
    """A filing in its fixed layout, as .docx or .xlsx."""

    permission_classes = [_OrganizationKind]
    organization_kinds = ("city",)
    required_roles = selectors.CITY_REPORTING_ROLES

    @EXPORT_SCHEMA
    def get(self, request, pk: int, fmt: str):
        return views.filing_file_response(request, pk, fmt)


class SummaryView(APIView):
    """Counts for a period, generated from the records: this office, each county (from what it sent
    up), and the total."""

    permission_classes = [_OrganizationKind]
    organization_kinds = ("city", "county")
    required_roles = selectors.CITY_REPORTING_ROLES

    @extend_schema(
        parameters=[OpenApiParameter("period", str, description="2026, 2026-Q3 or 2026-07")],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        period = request.query_params.get("period", "")
        combined = summaries.combined_period_summary(organization=request.tenant, period=period)
        return Response(
            {
                "period": period,
                "own": combined.own.as_dict(),
                "total": combined.total.as_dict(),
                "counties": [
                    {
                        "code": part.code,
                        "name": part.name,
                        "counts": part.summary.as_dict() if part.summary else None,
                        "received_at": part.received_at,
                    }
                    for part in combined.counties
                ],
            }
        )


class ReceivedFilingSerializer(serializers.Serializer):
    source = serializers.CharField(source="replica.source")
    source_name = serializers.CharField()
    key = serializers.CharField(source="replica.record_key")
    received_at = serializers.DateTimeField(source="replica.received_at")
    status = serializers.CharField()
    comment = serializers.SerializerMethodField()
    filing = serializers.JSONField(source="body")
    files = serializers.SerializerMethodField()

    def get_comment(self, item) -> str:
        return item.receipt.comment if item.receipt else ""

    @extend_schema_field(ReceivedFileSerializer(many=True))
    def get_files(self, item) -> list:
        """The documents filed with it, once every piece arrived."""
        found = self.context.get("files", {}).get((item.replica.source, item.replica.record_key), [])
        return ReceivedFileSerializer(found, many=True).data


def received_filing_data(items, *, access, many: bool = False):
    rows = list(items) if many else [items]
    context = {"files": received_files(replicas=[item.replica for item in rows], clearance=access.clearance)}
    return ReceivedFilingSerializer(rows if many else items, many=many, context=context).data


class FilingDecisionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[ReceiptStatus.ACKNOWLEDGED, ReceiptStatus.RETURNED])
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    revision = serializers.IntegerField(required=False)


class InboxList(PagedList, APIView):
    """At the province: the filings the cities sent (newest revision of each)."""

    permission_classes = [_OrganizationKind]
    organization_kinds = ("province",)
    required_roles = selectors.PROVINCE_ROLES

    @extend_schema(responses=ReceivedFilingSerializer(many=True))
    def get(self, request):
        return self.list_response(
            selectors.received_filing_list(access=request.org_access),
            lambda page: received_filing_data(page, many=True, access=request.org_access),
        )


class InboxDecide(APIView):
    """At the province: one received filing; acknowledge it (备案) or return it with a comment."""

    permission_classes = [_OrganizationKind]
    organization_kinds = ("province",)
    required_roles = selectors.PROVINCE_ROLES

    def _item(self, request, source, key):
        item = selectors.received_filing_get(access=request.org_access, source=source, key=str(key))
        if item is None:
            raise Http404
        return item

    @extend_schema(responses=ReceivedFilingSerializer)
    def get(self, request, source: str, key):
        return Response(received_filing_data(self._item(request, source, key), access=request.org_access))

    @extend_schema(request=FilingDecisionSerializer, responses=ReceivedFilingSerializer)
    def post(self, request, source: str, key):
        if not request.org_access.has_role(*selectors.PROVINCE_DECIDING_ROLES):
            raise PermissionDenied
        item = self._item(request, source, key)
        data = FilingDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if item.receipt is None:
            raise ApiValidationError({"detail": [_("This filing has not been recorded as received yet.")]})
        services.filing_decide(receipt=item.receipt, actor=request.user, **data.validated_data)
        return Response(received_filing_data(self._item(request, source, key), access=request.org_access))


class InboxExport(APIView):
    permission_classes = [_OrganizationKind]
    organization_kinds = ("province",)
    required_roles = selectors.PROVINCE_ROLES

    @EXPORT_SCHEMA
    def get(self, request, source: str, key, fmt: str):
        return views.inbox_file_response(request, source, key, fmt)


# --- the city's 县区督导 (live oversight), read-only ------------------------------------------------------------


YEAR = OpenApiParameter("year", int, description="the year of the counties' statistics (default: this year)")


class StageCountSerializer(serializers.Serializer):
    stage = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class TrendMonthSerializer(serializers.Serializer):
    month = serializers.CharField()
    findings = serializers.IntegerField()
    closed = serializers.IntegerField()


class ItemLightsSerializer(serializers.Serializer):
    red = serializers.IntegerField()
    yellow = serializers.IntegerField()
    green = serializers.IntegerField()


class OverdueItemSerializer(serializers.Serializer):
    label = serializers.CharField(allow_null=True)
    due_date = serializers.CharField(allow_null=True)
    escalated_on = serializers.CharField(allow_null=True)


class CountyOversightSerializer(serializers.Serializer):
    """A county's row of the 县区督导 page (tenants.reports.selectors.CountyOversight): the figures it sent up."""

    code = serializers.CharField()
    name = serializers.CharField()
    coverage_percent = serializers.FloatField(source="term_coverage_percent", allow_null=True)
    targets_covered = serializers.SerializerMethodField()
    targets_total = serializers.SerializerMethodField()
    lights = serializers.SerializerMethodField()
    items_total = serializers.SerializerMethodField()
    items_closed = serializers.SerializerMethodField()
    overdue = serializers.IntegerField(source="overdue_shown", allow_null=True)
    rounds_by_stage = serializers.SerializerMethodField()
    trend = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField(source="live_received_at", allow_null=True)
    last_sync = serializers.DateTimeField(allow_null=True)

    def get_targets_covered(self, row) -> int | None:
        return row.live_coverage.get("targets_covered")

    def get_targets_total(self, row) -> int | None:
        return row.live_coverage.get("targets_total")

    @extend_schema_field(ItemLightsSerializer(allow_null=True))
    def get_lights(self, row) -> dict | None:
        return row.lights if row.live else None

    def get_items_total(self, row) -> int | None:
        return (row.live or {}).get("items_total")

    def get_items_closed(self, row) -> int | None:
        return (row.live or {}).get("items_closed")

    @extend_schema_field(StageCountSerializer(many=True))
    def get_rounds_by_stage(self, row) -> list:
        return [{"stage": code, "label": label, "count": number} for code, label, number in row.stages]

    @extend_schema_field(TrendMonthSerializer(many=True))
    def get_trend(self, row) -> list:
        return [{"month": month, "findings": found, "closed": closed} for month, found, closed in row.trend]


class CountyOversightDetailSerializer(CountyOversightSerializer):
    overdue_count = serializers.IntegerField()
    overdue_earliest = OverdueItemSerializer(source="overdue", many=True)


class CountyRoundSerializer(serializers.Serializer):
    """A county's round as the city holds it (selectors.county_round_row): what it shared, stage and kind by name."""

    key = serializers.CharField()
    name = serializers.CharField(allow_null=True)
    kind = serializers.CharField(allow_null=True)
    kind_label = serializers.CharField()
    stage = serializers.CharField(allow_null=True)
    stage_label = serializers.CharField()
    start_date = serializers.CharField(allow_null=True)
    end_date = serializers.CharField(allow_null=True)
    targets_count = serializers.IntegerField(allow_null=True)
    findings_count = serializers.IntegerField(allow_null=True)
    rectification_items = serializers.IntegerField(allow_null=True)
    rectification_closed = serializers.IntegerField(allow_null=True)
    past_due = serializers.IntegerField()


class _Oversight(PagedList, APIView):
    permission_classes = [_OrganizationKind]
    organization_kinds = ("city",)
    required_roles = selectors.CITY_REPORTING_ROLES

    def county(self, request, code: str):
        row = selectors.county_oversight_get(organization=request.tenant, code=code, year=views.oversight_year(request))
        if row is None:
            raise Http404
        return row


class OversightList(_Oversight):
    """The city's 县区督导: each county's live figures (coverage of the term, items by light, overdue, rounds by
    stage, trend by month), from what the counties sent up; the page's selectors."""

    @extend_schema(parameters=[YEAR], responses=CountyOversightSerializer(many=True))
    def get(self, request):
        rows = selectors.oversight_rows(organization=request.tenant, year=views.oversight_year(request))
        return self.list_response(rows, lambda page: CountyOversightSerializer(page, many=True).data)


class OversightCounty(_Oversight):
    """One county of the city: its figures and its earliest open overdue items (404 for a code not its county's)."""

    @extend_schema(parameters=[YEAR], responses=CountyOversightDetailSerializer)
    def get(self, request, code: str):
        return Response(CountyOversightDetailSerializer(self.county(request, code)).data)


class OversightCountyRounds(_Oversight):
    """The county's rounds as the city holds them, up to the reader's clearance, newest first (the drill-down's)."""

    @extend_schema(responses=CountyRoundSerializer(many=True))
    def get(self, request, code: str):
        self.county(request, code)
        today = timezone.localdate().isoformat()

        def serialize(page):
            audit_records_read(records=page, request=request)  # the classified ones shown, as the page logs them
            return CountyRoundSerializer(
                [selectors.county_round_row(replica=replica, today=today) for replica in page], many=True
            ).data

        return self.list_response(selectors.county_rounds(access=request.org_access, code=code), serialize)
