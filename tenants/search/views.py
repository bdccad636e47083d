"""The search page and API. The query travels in a POST body, never in the address: addresses end up in
access logs, proxies and browser history, and a query may itself be confidential (a person's name)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.audit.views import audited_list
from tenants.search.selectors import QUERY_MAX, search_everything, search_query_clean
from xuncha.permissions import HasOrganizationRole


def _search(request, raw_query):
    query = search_query_clean(raw_query)
    groups = search_everything(user=request.user, access=request.org_access, query=query)
    audited_list(request, [hit.record for group in groups for hit in group.hits if hit.record is not None])
    return query, groups


def search_page(request):
    context = {"query": "", "groups": None, "query_max": QUERY_MAX}
    if request.method == "POST":
        try:
            context["query"], context["groups"] = _search(request, request.POST.get("q"))
        except ValidationError as error:
            context["query"], context["error"] = (request.POST.get("q") or "")[:QUERY_MAX], error.messages[0]
            return render(request, "search/search.html", context, status=400)
    return render(request, "search/search.html", context)


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
        try:
            _query, groups = _search(request, incoming.validated_data["q"])
        except ValidationError as error:
            raise ApiValidationError({"q": error.messages}) from error
        return Response(GroupSerializer(groups, many=True).data)
