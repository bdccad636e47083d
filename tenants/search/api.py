"""The search API. The query travels in a POST body, never in the address (see views.py)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.search.selectors import QUERY_MAX
from tenants.search.views import search_audited
from xuncha.permissions import HasOrganizationRole


class SearchRequestSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=QUERY_MAX, trim_whitespace=True)


class HitSerializer(serializers.Serializer):
    title = serializers.CharField()
    snippet = serializers.CharField()
    url = serializers.CharField()


class GroupSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    hits = HitSerializer(many=True)


class SearchApi(APIView):
    """Search what the caller may see (POST, so the query stays out of addresses and logs)."""

    permission_classes = [HasOrganizationRole]

    @extend_schema(request=SearchRequestSerializer, responses=GroupSerializer(many=True))
    def post(self, request):
        incoming = SearchRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        _query, groups = search_audited(request, incoming.validated_data["q"])
        return Response(GroupSerializer(groups, many=True).data)
