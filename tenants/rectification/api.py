"""REST API for feedback, the signed receipt, submissions, rectification items and documents."""

from __future__ import annotations

from functools import cached_property

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.attachments.api import AttachmentSerializer, files_field
from tenants.attachments.selectors import attachments_by_record
from tenants.findings.models import Finding
from tenants.findings.selectors import finding_list
from tenants.kernel.api import (
    COUNTY_PROGRESS,
    DayOfRequest,
    IdViewSet,
    PrefetchedRows,
    VisibleRelatedField,
    prefetch_rows,
    prefetched,
)
from tenants.kernel.documents import DOCX, XLSX
from tenants.kernel.files import file_response
from tenants.kernel.lookups import get_or_404
from tenants.ledger.api import LedgerSerializer, LedgerViewSet, SuperiorRecordViewSet, ledger_fields
from tenants.rectification import documents, selectors, services, views
from tenants.rectification.models import (
    Feedback,
    ItemStatus,
    ReceiptParty,
    RectificationItem,
    StatusThresholds,
    Submission,
    SubmissionKind,
    SupervisedItem,
    SupervisedStatus,
)
from tenants.rounds.models import Round
from tenants.rounds.selectors import round_list_for
from tenants.targets.models import Target


class ReceiptSignatureSerializer(serializers.Serializer):
    party = serializers.ChoiceField(choices=ReceiptParty.choices)
    signer_name = serializers.CharField(max_length=100)
    signed_on = serializers.DateField()


class SubmissionSerializer(serializers.ModelSerializer):
    on_time = serializers.BooleanField(read_only=True)

    class Meta:
        model = Submission
        fields = ["id", "kind", "content", "submitted_on", "due", "on_time"]
        read_only_fields = ["submitted_on", "due"]


class FeedbackSerializer(DayOfRequest, serializers.ModelSerializer):
    round = VisibleRelatedField(queryset=Round.objects.all(), scope=round_list_for)
    target = serializers.PrimaryKeyRelatedField(queryset=Target.objects.all())
    classification = serializers.IntegerField(required=False)
    receipt_signatures = PrefetchedRows(child=ReceiptSignatureSerializer(), read_only=True)
    submissions = PrefetchedRows(child=SubmissionSerializer(), read_only=True)
    plan_status = serializers.SerializerMethodField()
    report_status = serializers.SerializerMethodField()

    class Meta:
        model = Feedback
        fields = [
            "id",
            "round",
            "target",
            "leadership_content",
            "leadership_delivered_on",
            "principal_content",
            "principal_delivered_on",
            "classification",
            "receipt_signatures",
            "receipt_signed_on",
            "plan_due",
            "plan_due_provisional",
            "report_due",
            "report_due_provisional",
            "deadline_note",
            "submissions",
            "plan_status",
            "report_status",
        ]
        read_only_fields = [
            "receipt_signed_on",
            "plan_due",
            "plan_due_provisional",
            "report_due",
            "report_due_provisional",
            "deadline_note",
        ]

    def _colour(self, obj, kinds, due) -> str:
        # From the prefetched submissions: a .filter() here would query once per row.
        done = set(kinds) <= {submission.kind for submission in prefetched(obj, "submissions")}
        return services.status_colour(
            due=due, done=done, today=self.today, yellow_within_days=self.context.get("yellow_within_days")
        )

    def get_plan_status(self, obj) -> str:
        return self._colour(obj, [SubmissionKind.PLAN], obj.plan_due)

    def get_report_status(self, obj) -> str:
        return self._colour(obj, [SubmissionKind.REPORT, SubmissionKind.PRINCIPAL_REPORT], obj.report_due)


class ItemSerializer(DayOfRequest, serializers.ModelSerializer):
    finding = VisibleRelatedField(queryset=Finding.objects.all(), scope=finding_list, required=False, allow_null=True)
    due_date = serializers.DateField(required=False, allow_null=True)
    assignee_org_code = serializers.CharField(required=False, allow_blank=True, max_length=6)
    colour = serializers.SerializerMethodField()
    county_progress = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = RectificationItem
        fields = [
            "id",
            "feedback",
            "finding",
            "problem",
            "task",
            "responsible_unit",
            "responsible_person",
            "due_date",
            "due_provisional",
            "assignee_org_code",
            "status",
            "colour",
            "evidence",
            "evidence_submitted_on",
            "verified_on",
            "verification_note",
            "county_progress",
            "attachments",
        ]
        read_only_fields = [
            "feedback",
            "due_provisional",
            "status",
            "evidence",
            "evidence_submitted_on",
            "verified_on",
            "verification_note",
        ]

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, obj) -> list:
        files = self.context.get("attachments", {}).get(str(obj.pk), [])
        return [self._attachment.to_representation(file) for file in files]

    @cached_property
    def _attachment(self) -> AttachmentSerializer:
        # One for all the rows: a serializer made per row (AttachmentSerializer(files, many=True)) cost more than
        # the rest of the row.
        return AttachmentSerializer()

    def get_colour(self, obj) -> str:
        return services.status_colour(
            due=obj.due_date,
            done=obj.status == ItemStatus.CLOSED,
            today=self.today,
            yellow_within_days=self.context.get("yellow_within_days"),
        )

    @extend_schema_field(COUNTY_PROGRESS)  # none until the county reports
    def get_county_progress(self, obj):
        """The supervising county's latest reported progress (status, progress_note, completed_on, reported_on)."""
        return self.context.get("county_progress", {}).get(obj.pk)


class SubmitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SubmissionKind.choices)
    content = serializers.CharField()
    files = files_field()


class SubmittedSerializer(SubmissionSerializer):
    """A submission just made, with the files that came with it."""

    attachments = AttachmentSerializer(many=True, read_only=True, source="attachment_list")

    class Meta(SubmissionSerializer.Meta):
        fields = [*SubmissionSerializer.Meta.fields, "attachments"]


def _context():
    return {"yellow_within_days": StatusThresholds.current().yellow_within_days}


class FeedbackViewSet(IdViewSet):
    """Feedback to a unit (反馈), its three-signature receipt (签收单), deadlines and submissions."""

    def get_queryset(self):
        return selectors.feedback_list(actor=self.request.user, access=self.request.org_access).prefetch_related(
            "receipt_signatures", "submissions"
        )

    def _get(self, pk):
        return get_or_404(self.get_queryset(), pk)

    @extend_schema(responses=FeedbackSerializer(many=True))
    def list(self, request):
        # The rows name their round and unit by id (the selector's joins to them are the pages'), and their
        # signatures and submissions come as plain lists (prefetch_rows).
        rows = (
            selectors.feedback_list(actor=request.user, access=request.org_access)
            .select_related(None)
            .prefetch_related(prefetch_rows("receipt_signatures"), prefetch_rows("submissions"))
        )
        return self.list_response(rows, lambda page: FeedbackSerializer(page, many=True, context=_context()).data)

    @extend_schema(responses=FeedbackSerializer)
    def retrieve(self, request, pk=None):
        return Response(FeedbackSerializer(self._get(pk), context=_context()).data)

    @extend_schema(request=FeedbackSerializer, responses=FeedbackSerializer)
    def create(self, request):
        data = FeedbackSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        feedback = services.feedback_create(
            actor=request.user, access=request.org_access, round=values.pop("round"), **values
        )
        return Response(FeedbackSerializer(feedback, context=_context()).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReceiptSignatureSerializer, responses=FeedbackSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        data = ReceiptSignatureSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        feedback = services.receipt_sign(
            actor=request.user, access=request.org_access, feedback=self._get(pk), **data.validated_data
        )
        return Response(FeedbackSerializer(feedback, context=_context()).data)

    @extend_schema(request=ItemSerializer(many=True), responses=ItemSerializer(many=True))
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        feedback = self._get(pk)
        data = ItemSerializer(data=request.data, many=True, context={"request": request})
        data.is_valid(raise_exception=True)
        created = services.rectification_items_add(
            actor=request.user,
            access=request.org_access,
            feedback=feedback,
            items=[dict(item) for item in data.validated_data],
        )
        return Response(ItemSerializer(created, many=True, context=_context()).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SubmitSerializer, responses=SubmittedSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        data = SubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        submission = services.submission_submit(
            actor=request.user, access=request.org_access, feedback=self._get(pk), **data.validated_data
        )
        submission.attachment_list = attachments_by_record(records=[submission]).get(str(submission.pk), [])
        return Response(SubmittedSerializer(submission).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, DOCX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="feedback-notice.docx")
    def feedback_notice(self, request, pk=None):
        return self._notice(pk, documents.feedback_notice_docx, "feedback-notice")

    @extend_schema(responses={(200, DOCX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="rectification-notice.docx")
    def rectification_notice(self, request, pk=None):
        return self._notice(pk, documents.rectification_notice_docx, "rectification-notice")

    def _notice(self, pk, build, name: str):
        """One of the feedback's notices (.docx), built by `build(feedback=)`, saved as <name>-<id>.docx."""
        feedback = self._get(pk)
        return file_response(build(feedback=feedback), content_type=DOCX, filename=f"{name}-{feedback.pk}.docx")


class EvidenceSerializer(serializers.Serializer):
    evidence = serializers.CharField()
    files = files_field()


class VerifySerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AssignSerializer(serializers.Serializer):
    assignee_org_code = serializers.CharField(allow_blank=True, max_length=6)


class ItemViewSet(SuperiorRecordViewSet):
    """Rectification items (问题/任务/责任清单), closed one by one with evidence and verification (对账销号)."""

    ledger_type, serializer_class = "rectification.item", ItemSerializer

    def get_queryset(self):
        return selectors.item_list(
            actor=self.request.user,
            access=self.request.org_access,
            feedback_id=self.request.query_params.get("feedback") or None,
        )

    def list_queryset(self):
        # A row names its feedback and finding by id; the county supervising it is its own or its unit's.
        return self.get_queryset().select_related(None).select_related("feedback__target")

    def _context(self, records):
        return {**_context(), **super()._context(records), "attachments": attachments_by_record(records=records)}

    @extend_schema(request=EvidenceSerializer, responses=ItemSerializer)
    @action(detail=True, methods=["post"])
    def evidence(self, request, pk=None):
        return self._record_step(
            request, pk, body=EvidenceSerializer, service=services.item_submit_evidence, record="item"
        )

    @extend_schema(request=VerifySerializer, responses=ItemSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self._record_step(request, pk, body=VerifySerializer, service=services.item_verify, record="item")

    @extend_schema(request=AssignSerializer, responses=ItemSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Name (or clear) the county supervising the item (督办); a county no longer named gets a withdrawal."""
        return self._record_step(request, pk, body=AssignSerializer, service=services.item_assign, record="item")

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"], url_path="ledger.xlsx")
    def ledger(self, request):
        """整改台账 of the items the caller may see, with red/yellow/green status."""
        items = self.get_queryset().order_by("feedback__round_id", "feedback_id", "id")
        content = documents.rectification_ledger_xlsx(
            items=items, yellow_within_days=StatusThresholds.current().yellow_within_days
        )
        return file_response(content, content_type=XLSX, filename="rectification-ledger.xlsx")


class SupervisedItemSerializer(LedgerSerializer):
    class Meta:
        model = SupervisedItem
        fields = ledger_fields(
            "title",
            "category",
            "description",
            "target_name",
            "deadline",
            "deadline_provisional",
            "superior_status",
            "origin_round_kind",
            "status",
            "responsible_person",
            "progress_note",
            "completed_on",
            "reported_on",
        )
        read_only_fields = fields


class ProgressSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=SupervisedStatus.choices)
    progress_note = serializers.CharField()
    responsible_person = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    completed_on = serializers.DateField(required=False, allow_null=True, default=None)
    files = files_field()


class SupervisedItemViewSet(LedgerViewSet):
    """A county's 督办 ledger: its city's rectification items assigned to it; progress goes up to the city."""

    model, serializer_class, report_serializer_class = SupervisedItem, SupervisedItemSerializer, ProgressSerializer
    yellow_within_days = staticmethod(services.yellow_within_days)

    @extend_schema(request=ProgressSerializer, responses=SupervisedItemSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        return self._report(request, pk)


class ThresholdsSerializer(serializers.Serializer):
    yellow_within_days = serializers.IntegerField()


class ThresholdsView(APIView):
    """Red/yellow/green thresholds: read by anyone here, changed by the office administrator."""

    @extend_schema(responses=ThresholdsSerializer)
    def get(self, request):
        return Response({"yellow_within_days": StatusThresholds.current().yellow_within_days})

    @extend_schema(request=ThresholdsSerializer, responses=ThresholdsSerializer)
    def put(self, request):
        thresholds = services.thresholds_update(
            access=request.org_access, yellow_within_days=request.data.get("yellow_within_days")
        )
        return Response({"yellow_within_days": thresholds.yellow_within_days})


class RoundReportView(APIView):
    """巡察报告 (.docx) of one round: office, readers and the round's team."""

    @extend_schema(responses={(200, DOCX): OpenApiTypes.BINARY})
    def get(self, request, round_id: int):
        return views.round_report(request, round_id)  # the page's download, the same checks
