"""Expert pool API."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.experts.models import ConflictDeclaration, Expert
from tenants.experts.selectors import conflict_list, expert_list
from tenants.experts.services import conflict_declare, expert_create
from tenants.kernel.api import CoreRolePermission, PagedList
from tenants.targets.models import Target


class ExpertSerializer(serializers.ModelSerializer):
    class Meta:
        model = Expert
        fields = ["id", "name", "specialty", "post", "unit", "home_region_code", "is_active", "note", "user"]


class ConflictSerializer(serializers.ModelSerializer):
    target = serializers.PrimaryKeyRelatedField(queryset=Target.objects.all())

    class Meta:
        model = ConflictDeclaration
        fields = ["id", "target", "kind", "note"]


class ExpertListCreate(PagedList, APIView):
    permission_classes = [CoreRolePermission]

    @extend_schema(responses=ExpertSerializer(many=True))
    def get(self, request):
        return self.list_response(
            expert_list(specialty=request.query_params.get("specialty")),
            lambda page: ExpertSerializer(page, many=True).data,
        )

    @extend_schema(request=ExpertSerializer, responses={201: ExpertSerializer})
    def post(self, request):
        serializer = ExpertSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        expert = expert_create(name=data.pop("name"), **data)
        return Response(ExpertSerializer(expert).data, status=status.HTTP_201_CREATED)


class ExpertConflicts(PagedList, APIView):
    permission_classes = [CoreRolePermission]

    @extend_schema(responses=ConflictSerializer(many=True))
    def get(self, request, pk: int):
        return self.list_response(
            conflict_list(expert=get_object_or_404(Expert, pk=pk)),
            lambda page: ConflictSerializer(page, many=True).data,
        )

    @extend_schema(request=ConflictSerializer, responses={201: ConflictSerializer})
    def post(self, request, pk: int):
        expert = get_object_or_404(Expert, pk=pk)
        serializer = ConflictSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        declaration = conflict_declare(expert=expert, **serializer.validated_data)
        return Response(ConflictSerializer(declaration).data, status=status.HTTP_201_CREATED)
