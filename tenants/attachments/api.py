from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from tenants.attachments.models import Attachment, ReceivedFile
from tenants.attachments.views import attachment_file, received_file
from xuncha.permissions import IsOrganizationMember


class AttachmentSerializer(serializers.ModelSerializer):
    """A file's description on its record (its content is downloaded from `url`)."""

    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "content_type", "size", "sha256", "classification", "uploaded_at", "url"]

    def get_url(self, obj) -> str:
        return reverse("attachments:api-download", args=[obj.pk])


class ReceivedFileSerializer(serializers.ModelSerializer):
    """A file that came with another organisation's record, complete (its content is downloaded from `url`)."""

    url = serializers.SerializerMethodField()

    class Meta:
        model = ReceivedFile
        fields = ["id", "source", "name", "content_type", "size", "sha256", "classification", "received_at", "url"]

    def get_url(self, obj) -> str:
        return reverse("attachments:api-received", args=[obj.pk])


def files_field() -> serializers.ListField:
    """The `files` of a multipart upload beside a record's fields; each is checked by its content in the
    service (attachments_check), which names the file in its error."""
    return serializers.ListField(child=serializers.FileField(allow_empty_file=True), required=False, default=list)


class AttachmentDownloadView(APIView):
    """One attachment's content, for whoever may open its record; audited, watermarked when 秘密 or above."""

    permission_classes = [IsOrganizationMember]

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, pk):
        return attachment_file(request, pk)


class ReceivedFileDownloadView(APIView):
    """A received file's content, for whoever may open its record's replica here; audited, watermarked from 秘密."""

    permission_classes = [IsOrganizationMember]

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, pk):
        return received_file(request, pk)
