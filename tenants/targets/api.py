"""Targets API: list/create/update, coverage, import (all-or-nothing) and export."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.kernel.api import CoreRolePermission, PagedList
from tenants.kernel.documents import XLSX
from tenants.kernel.files import file_response
from tenants.kernel.roles import can_manage
from tenants.targets.models import Target, TargetLevel
from tenants.targets.selectors import coverage_list, target_list
from tenants.targets.services import (
    LeaderSpec,
    TargetImportError,
    target_create,
    target_update,
    targets_export,
    targets_import,
    targets_import_template,
)


class LeaderSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    post = serializers.CharField(max_length=100)
    is_principal = serializers.BooleanField(default=False)


class TargetSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=200)
    level = serializers.ChoiceField(choices=TargetLevel.choices)
    category = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    managing_org_code = serializers.CharField(max_length=6)
    region_code = serializers.CharField(max_length=12, required=False, allow_blank=True, default="")
    business_tags = serializers.ListField(child=serializers.CharField(max_length=32), required=False, default=list)
    is_active = serializers.BooleanField(required=False, default=True)
    last_inspected_on = serializers.DateField(required=False, allow_null=True, default=None)
    last_inspected_round = serializers.CharField(read_only=True)
    leaders = LeaderSerializer(many=True, required=False)


def _leaders(data) -> list[LeaderSpec] | None:
    if "leaders" not in data:
        return None
    leaders = [LeaderSpec(**item) for item in data.pop("leaders")]
    if sum(leader.is_principal for leader in leaders) > 1:
        raise ValidationError({"leaders": [_("Only one leader can be the principal (主要负责人).")]})
    return leaders


class TargetListCreate(PagedList, APIView):
    permission_classes = [CoreRolePermission]

    @extend_schema(
        responses=TargetSerializer(many=True),
        parameters=[OpenApiParameter("q", str), OpenApiParameter("level", str), OpenApiParameter("tag", str)],
    )
    def get(self, request):
        targets = target_list(
            query=request.query_params.get("q", ""),
            level=request.query_params.get("level", ""),
            tag=request.query_params.get("tag", ""),
        )
        return self.list_response(targets, lambda page: TargetSerializer(page, many=True).data)

    @extend_schema(request=TargetSerializer, responses={201: TargetSerializer})
    def post(self, request):
        serializer = TargetSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        leaders = _leaders(data)
        target = target_create(
            name=data.pop("name"),
            level=data.pop("level"),
            managing_org_code=data.pop("managing_org_code"),
            leaders=leaders,
            **data,
        )
        return Response(TargetSerializer(target).data, status=status.HTTP_201_CREATED)


class TargetDetail(APIView):
    permission_classes = [CoreRolePermission]

    @extend_schema(responses=TargetSerializer)
    def get(self, request, pk: int):
        return Response(TargetSerializer(get_object_or_404(Target, pk=pk)).data)

    @extend_schema(request=TargetSerializer, responses=TargetSerializer)
    def patch(self, request, pk: int):
        target = get_object_or_404(Target, pk=pk)
        serializer = TargetSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {key: value for key, value in serializer.validated_data.items() if key in request.data}
        leaders = _leaders(data)
        target = target_update(target=target, leaders=leaders, **data)
        return Response(TargetSerializer(target).data)


class CoverageSerializer(serializers.Serializer):
    target_id = serializers.IntegerField(source="target.pk")
    target_name = serializers.CharField(source="target.name")
    last_inspected_on = serializers.DateField(allow_null=True)
    due_by = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    at_risk = serializers.BooleanField()


class CoverageView(PagedList, APIView):
    permission_classes = [CoreRolePermission]

    @extend_schema(responses=CoverageSerializer(many=True), parameters=[OpenApiParameter("at_risk", bool)])
    def get(self, request):
        rows = coverage_list(
            today=timezone.localdate(), at_risk_only=request.query_params.get("at_risk") in ("1", "true")
        )
        return self.list_response(rows, lambda page: CoverageSerializer(page, many=True).data)


class TargetImportView(APIView):
    permission_classes = [CoreRolePermission]
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": inline_serializer("TargetImport", {"file": serializers.FileField()})},
        responses={
            200: inline_serializer(
                "TargetImportResult", {"created": serializers.IntegerField(), "updated": serializers.IntegerField()}
            ),
            400: inline_serializer(
                "TargetImportErrors", {"row_errors": serializers.ListField(child=serializers.CharField())}
            ),
        },
    )
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            return Response(
                {"row_errors": [_("Upload the file in the field “file”.")]}, status=status.HTTP_400_BAD_REQUEST
            )
        try:
            report = targets_import(content=upload.read(), filename=upload.name)
        except TargetImportError as error:
            return Response({"row_errors": [str(e) for e in error.row_errors]}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"created": report.created, "updated": report.updated})


class TargetImportTemplateView(APIView):
    """The import's template (.xlsx): its columns and one example row that imports as it is."""

    permission_classes = [CoreRolePermission]
    read_check = staticmethod(can_manage)

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    def get(self, request):
        return file_response(
            targets_import_template(organization=request.tenant),
            content_type=XLSX,
            filename="targets-import-template.xlsx",
        )


class TargetExportView(APIView):
    permission_classes = [CoreRolePermission]

    @extend_schema(
        parameters=[OpenApiParameter("file_format", str, enum=["xlsx", "csv"])],
        responses={(200, XLSX): OpenApiTypes.BINARY, (200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request):
        # not "format": DRF reserves ?format= for choosing a renderer
        fmt = request.query_params.get("file_format", "xlsx")
        if fmt not in ("xlsx", "csv"):
            return Response({"file_format": [_("Choose xlsx or csv.")]}, status=status.HTTP_400_BAD_REQUEST)
        return file_response(
            targets_export(targets=target_list(), fmt=fmt),
            content_type="text/csv; charset=utf-8" if fmt == "csv" else XLSX,
            filename=f"targets.{fmt}",
        )
