"""REST API for in-round work. Informant identity only via its own endpoint, for entitled users."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from tenants.agencies.models import Agency
from tenants.attachments.api import AttachmentSerializer, files_field
from tenants.attachments.selectors import attachments_by_record
from tenants.audit.views import audited_list, audited_read
from tenants.inround import selectors, services
from tenants.inround.models import InformationRequest, Interview, Petition, WorkingPaper
from tenants.kernel.api import IdViewSet, InformantSerializer, VisibleRelatedField
from tenants.kernel.lookups import get_or_404
from tenants.rounds.models import Round
from tenants.rounds.selectors import round_list_for
from tenants.targets.models import Target


class InformationRequestSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    reply = serializers.SerializerMethodField()

    class Meta:
        model = InformationRequest
        fields = [
            "id",
            "round",
            "target",
            "agency",
            "agency_name",
            "period_start",
            "period_end",
            "note",
            "status",
            "requested_at",
            "reply",
        ]

    def get_reply(self, obj) -> dict | None:
        request = self.context["request"]
        reply = getattr(obj, "reply", None)
        if reply is None or not request.org_access.cleared_for(reply.classification):
            return None
        return {"content": reply.content, "classification": reply.classification, "received_at": reply.received_at}


class InformationRequestSendSerializer(serializers.Serializer):
    round = VisibleRelatedField(queryset=Round.objects.all(), scope=round_list_for)
    target = serializers.PrimaryKeyRelatedField(queryset=Target.objects.all())
    agencies = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), many=True, required=False)
    as_of = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReplySerializer(serializers.Serializer):
    content = serializers.CharField()
    classification = serializers.IntegerField(required=False)


class InformationRequestViewSet(IdViewSet):
    """Pre-entry information requests (3 years, 7 agencies) and their confidential replies."""

    def get_queryset(self):
        return selectors.information_request_list(actor=self.request.user, access=self.request.org_access)

    @extend_schema(responses=InformationRequestSerializer(many=True))
    def list(self, request):
        return self.list_response(
            self.get_queryset(),
            lambda page: InformationRequestSerializer(page, many=True, context={"request": request}).data,
        )

    @extend_schema(responses=InformationRequestSerializer)
    def retrieve(self, request, pk=None):
        return Response(
            InformationRequestSerializer(get_or_404(self.get_queryset(), pk), context={"request": request}).data
        )

    @extend_schema(request=InformationRequestSendSerializer, responses=InformationRequestSerializer(many=True))
    def create(self, request):
        data = InformationRequestSendSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        created = services.information_requests_send(
            actor=request.user,
            access=request.org_access,
            round=values["round"],
            target=values["target"],
            agencies=values.get("agencies") or None,
            as_of=values.get("as_of"),
            note=values["note"],
        )
        return Response(
            InformationRequestSerializer(created, many=True, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ReplySerializer, responses=InformationRequestSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        info_request = get_or_404(self.get_queryset(), pk)
        data = ReplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.information_reply_record(
            actor=request.user, access=request.org_access, request=info_request, **data.validated_data
        )
        info_request.refresh_from_db()
        return Response(
            InformationRequestSerializer(info_request, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class InterviewSerializer(serializers.ModelSerializer):
    round = VisibleRelatedField(queryset=Round.objects.all(), scope=round_list_for)

    class Meta:
        model = Interview
        fields = ["id", "round", "target", "held_on", "summary", "classification", "created_at"]
        read_only_fields = ["created_at"]


class PetitionSerializer(serializers.ModelSerializer):
    round = VisibleRelatedField(queryset=Round.objects.all(), scope=round_list_for)

    class Meta:
        model = Petition
        fields = [
            "id",
            "round",
            "target",
            "channel",
            "received_on",
            "summary",
            "anonymous",
            "classification",
            "created_at",
        ]
        read_only_fields = ["anonymous", "created_at"]


class InterviewCreateSerializer(InterviewSerializer):
    informant = InformantSerializer(required=False, write_only=True)
    classification = serializers.IntegerField(required=False)

    class Meta(InterviewSerializer.Meta):
        fields = InterviewSerializer.Meta.fields + ["informant"]


class PetitionCreateSerializer(PetitionSerializer):
    informant = InformantSerializer(required=False, write_only=True)
    classification = serializers.IntegerField(required=False)

    class Meta(PetitionSerializer.Meta):
        fields = PetitionSerializer.Meta.fields + ["informant"]


class _RecordViewSet(IdViewSet):
    serializer_class = None
    create_serializer_class = None
    selector = None
    service = None

    def get_queryset(self):
        return type(self).selector(actor=self.request.user, access=self.request.org_access)

    def list(self, request):
        return self.list_response(
            self.get_queryset(), lambda page: self.serializer_class(audited_list(request, page), many=True).data
        )

    def retrieve(self, request, pk=None):
        return Response(self.serializer_class(audited_read(request, get_or_404(self.get_queryset(), pk))).data)

    def create(self, request):
        data = self.create_serializer_class(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        record = type(self).service(actor=request.user, access=request.org_access, round=values.pop("round"), **values)
        return Response(self.serializer_class(record).data, status=status.HTTP_201_CREATED)


class _InformantRecordViewSet(_RecordViewSet):
    @extend_schema(request=None, responses=InformantSerializer)
    @action(detail=True, methods=["get"])
    def informant(self, request, pk=None):
        """The informant's identity: only 机密-cleared office officers and the round's team leader."""
        record = get_or_404(self.get_queryset(), pk)
        identity = services.informant_disclose(request=request, access=request.org_access, record=record)
        if identity is None:
            return Response({"anonymous": True})
        return Response({"anonymous": False, **InformantSerializer(identity).data})


@extend_schema(request=InterviewCreateSerializer, responses=InterviewSerializer)
class InterviewViewSet(_InformantRecordViewSet):
    """Interview records (谈话); identity of the interviewee kept apart."""

    serializer_class = InterviewSerializer
    create_serializer_class = InterviewCreateSerializer
    selector = staticmethod(selectors.interview_list)
    service = staticmethod(services.interview_record)


@extend_schema(request=PetitionCreateSerializer, responses=PetitionSerializer)
class PetitionViewSet(_InformantRecordViewSet):
    """Petition records (来信来访); identity of the petitioner kept apart."""

    serializer_class = PetitionSerializer
    create_serializer_class = PetitionCreateSerializer
    selector = staticmethod(selectors.petition_list)
    service = staticmethod(services.petition_record)


class WorkingPaperSerializer(serializers.ModelSerializer):
    round = VisibleRelatedField(queryset=Round.objects.all(), scope=round_list_for)
    classification = serializers.IntegerField(required=False)
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = WorkingPaper
        fields = [
            "id",
            "round",
            "target",
            "title",
            "content",
            "classification",
            "status",
            "author",
            "decided_by",
            "decided_at",
            "return_reason",
            "created_at",
            "attachments",
        ]
        read_only_fields = ["status", "author", "decided_by", "decided_at", "return_reason", "created_at"]

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, obj) -> list:
        """The paper's files (listed only; each downloaded from its `url`, audited)."""
        by_record = self.context.get("attachments")
        if by_record is None:  # one paper: its own query (a list gives them all at once in its context)
            by_record = attachments_by_record(records=[obj])
        return AttachmentSerializer(by_record.get(str(obj.pk), []), many=True).data


class WorkingPaperCreateSerializer(WorkingPaperSerializer):
    files = files_field()  # multipart: the paper's files, checked by their content

    class Meta(WorkingPaperSerializer.Meta):
        fields = [*WorkingPaperSerializer.Meta.fields, "files"]


class PaperFilesSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(allow_empty_file=True))


class PaperDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema(request=WorkingPaperCreateSerializer, responses=WorkingPaperSerializer)
class WorkingPaperViewSet(_RecordViewSet):
    """Working papers (底稿) with the team leader's approval, and their files (kept in this office)."""

    serializer_class = WorkingPaperSerializer
    create_serializer_class = WorkingPaperCreateSerializer
    selector = staticmethod(selectors.working_paper_list)
    service = staticmethod(services.working_paper_create)

    def list(self, request):
        def serialize(page):
            rows = audited_list(request, page)
            context = {"attachments": attachments_by_record(records=rows)}
            return WorkingPaperSerializer(rows, many=True, context=context).data

        return self.list_response(self.get_queryset(), serialize)

    @extend_schema(request={"multipart/form-data": PaperFilesSerializer}, responses=WorkingPaperSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def files(self, request, pk=None):
        """Attach files to a paper not yet approved (the round's team or the office)."""
        data = PaperFilesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        paper = services.working_paper_files_add(
            actor=request.user,
            access=request.org_access,
            paper=get_or_404(self.get_queryset(), pk),
            files=data.validated_data["files"],
        )
        return Response(WorkingPaperSerializer(paper).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path="files/<int:file_id>")
    def file_remove(self, request, pk=None, file_id=None):
        """Take one file off a paper not yet approved."""
        services.working_paper_file_remove(
            actor=request.user,
            access=request.org_access,
            paper=get_or_404(self.get_queryset(), pk),
            file_id=int(file_id),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        paper = services.working_paper_submit(
            actor=request.user, access=request.org_access, paper=get_or_404(self.get_queryset(), pk)
        )
        return Response(WorkingPaperSerializer(paper).data)

    @extend_schema(request=PaperDecisionSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = PaperDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        paper = services.working_paper_decide(
            actor=request.user,
            access=request.org_access,
            paper=get_or_404(self.get_queryset(), pk),
            **data.validated_data,
        )
        return Response(WorkingPaperSerializer(paper).data)
