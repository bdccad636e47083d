"""The guidance API: the same reading and issuing as the guidance pages, for the same people. An issuing office
(a city or the province) lists, issues and revises its documents with their files; everyone who reads the guidance
pages lists what arrived from above, with the files that arrived whole."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from shared.accounts.models import Classification
from tenants.attachments.api import AttachmentSerializer, ReceivedFileSerializer, files_field
from tenants.attachments.selectors import attachments_by_record
from tenants.attachments.travel import received_files
from tenants.guidance import selectors, services
from tenants.guidance.models import DocumentType, GuidanceDocument
from tenants.guidance.views import ISSUERS
from tenants.kernel.access import is_office
from tenants.kernel.api import PagedList
from xuncha.permissions import IsOrganizationMember


class GuidanceReaders(IsOrganizationMember):
    """Whoever reads the guidance pages (the office and the rounds' teams); a unit's liaison and others are refused."""

    message = _("Your role in this organisation does not allow this.")

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and selectors.guidance_readable(request.org_access)


class GuidanceIssuers(IsOrganizationMember):
    """The office of an organisation with offices below it; elsewhere there is no such endpoint."""

    message = _("Your role in this organisation does not allow this.")

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.tenant.kind not in ISSUERS:
            raise Http404
        return is_office(request.org_access)


class GuidanceDocumentSerializer(serializers.ModelSerializer):
    files = serializers.SerializerMethodField()

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_files(self, obj) -> list:
        return AttachmentSerializer(self.context["files"].get(str(obj.pk), []), many=True).data

    class Meta:
        model = GuidanceDocument
        fields = [
            "id",
            "title",
            "doc_type",
            "issued_on",
            "summary",
            "content",
            "classification",
            "created_at",
            "updated_at",
            "files",
        ]
        read_only_fields = fields


class GuidanceDocumentWriteSerializer(serializers.Serializer):
    """A document's fields as the form has them: the 密级 up to the author's own clearance."""

    title = serializers.CharField(max_length=200)
    doc_type = serializers.ChoiceField(choices=DocumentType.choices)
    issued_on = serializers.DateField()
    summary = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    content = serializers.CharField(max_length=100_000, required=False, allow_blank=True, default="")
    classification = serializers.ChoiceField(choices=Classification.choices, default=Classification.INTERNAL)
    files = files_field()  # multipart: on a revision, added to the files the document has

    def validate_classification(self, value: int) -> int:
        if value > self.context["clearance"]:
            raise serializers.ValidationError(_("You cannot classify a document above your own clearance."))
        return value


class ReceivedGuidanceSerializer(serializers.Serializer):
    source = serializers.CharField()
    key = serializers.CharField(source="record_key")
    # the issuing office's fields as its replica carries them
    title = serializers.CharField(source="body.title", default="")
    doc_type = serializers.CharField(source="body.doc_type", default="")
    issued_on = serializers.CharField(source="body.issued_on", default="")
    summary = serializers.CharField(source="body.summary", default="")
    content = serializers.CharField(source="body.content", default="")
    classification = serializers.IntegerField()
    files = serializers.SerializerMethodField()

    @extend_schema_field(ReceivedFileSerializer(many=True))
    def get_files(self, replica) -> list:
        return ReceivedFileSerializer(
            self.context["files"].get((replica.source, replica.record_key), []), many=True
        ).data


def _documents_data(documents: list[GuidanceDocument]) -> list:
    return GuidanceDocumentSerializer(
        documents, many=True, context={"files": attachments_by_record(records=documents)}
    ).data


def _document_data(document: GuidanceDocument) -> dict:
    return _documents_data([document])[0]


class GuidanceDocumentsAPI(PagedList, APIView):
    """The documents this office issued (newest first); POST issues one, shared down at once."""

    permission_classes = [GuidanceIssuers]

    @extend_schema(responses=GuidanceDocumentSerializer(many=True))
    def get(self, request):
        documents = selectors.guidance_document_list(clearance=request.org_access.clearance)
        return self.list_response(documents, _documents_data)

    @extend_schema(request=GuidanceDocumentWriteSerializer, responses={201: GuidanceDocumentSerializer})
    def post(self, request):
        data = GuidanceDocumentWriteSerializer(data=request.data, context={"clearance": request.org_access.clearance})
        data.is_valid(raise_exception=True)
        document = services.guidance_document_issue(actor=request.user, **data.validated_data)
        return Response(_document_data(document), status=status.HTTP_201_CREATED)


class GuidanceDocumentAPI(APIView):
    """One document this office issued; PUT revises it (the offices below receive the revision)."""

    permission_classes = [GuidanceIssuers]

    def _document(self, request, pk: int) -> GuidanceDocument:
        return get_object_or_404(selectors.guidance_document_list(clearance=request.org_access.clearance), pk=pk)

    @extend_schema(responses={200: GuidanceDocumentSerializer})
    def get(self, request, pk: int):
        return Response(_document_data(self._document(request, pk)))

    @extend_schema(request=GuidanceDocumentWriteSerializer, responses={200: GuidanceDocumentSerializer})
    def put(self, request, pk: int):
        document = self._document(request, pk)
        data = GuidanceDocumentWriteSerializer(data=request.data, context={"clearance": request.org_access.clearance})
        data.is_valid(raise_exception=True)
        document = services.guidance_document_revise(document=document, actor=request.user, **data.validated_data)
        return Response(_document_data(document))


class GuidanceDocumentFileAPI(APIView):
    """Take one file off a document: every office below that received it loses it."""

    permission_classes = [GuidanceIssuers]

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int, file_id: int):
        document = get_object_or_404(selectors.guidance_document_list(clearance=request.org_access.clearance), pk=pk)
        services.guidance_document_file_remove(document=document, file_id=file_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class GuidanceReceivedAPI(PagedList, APIView):
    """The documents received from the office above, up to the reader's clearance, each with the files that
    arrived whole (downloaded from their `url`, audited and watermarked as on the page)."""

    permission_classes = [GuidanceReaders]

    @extend_schema(responses=ReceivedGuidanceSerializer(many=True))
    def get(self, request):
        clearance = request.org_access.clearance

        def serialize(page):
            files = received_files(replicas=page, clearance=clearance)
            return ReceivedGuidanceSerializer(page, many=True, context={"files": files}).data

        return self.list_response(selectors.guidance_received_list(clearance=clearance), serialize)
