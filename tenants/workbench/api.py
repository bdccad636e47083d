"""The 工作台's API: the same items the home page shows this person, with the count per module card."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.workbench.selectors import SECTIONS, light_counts, workbench_for
from xuncha import home_panels
from xuncha.permissions import IsOrganizationMember


class WorkItemSerializer(serializers.Serializer):
    section = serializers.ChoiceField(choices=SECTIONS)
    title = serializers.CharField()
    url = serializers.CharField()
    due = serializers.DateField(allow_null=True)
    light = serializers.CharField(allow_blank=True)


class ModuleCountSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField()
    count = serializers.IntegerField()


class LightsSerializer(serializers.Serializer):
    red = serializers.IntegerField()
    yellow = serializers.IntegerField()
    green = serializers.IntegerField()


class WorkbenchSerializer(serializers.Serializer):
    week_end = serializers.DateField()
    items = WorkItemSerializer(many=True)
    lights = LightsSerializer()
    modules = ModuleCountSerializer(many=True)


class WorkbenchApi(APIView):
    """What the caller must do now here: overdue, due this week, waiting for them, their rounds, new arrivals."""

    permission_classes = [IsOrganizationMember]

    @extend_schema(responses=WorkbenchSerializer)
    def get(self, request):
        bench = workbench_for(
            actor=request.user, access=request.org_access, organization=request.tenant, today=timezone.localdate()
        )
        modules = [
            {"title": panel.title, "url": panel.url, "count": bench.count_under(panel.url)}
            for panel in home_panels.panels_for(request)
        ]
        data = {
            "week_end": bench.week_end,
            "items": bench.items,
            "lights": light_counts(bench.items),
            "modules": modules,
        }
        return Response(WorkbenchSerializer(data).data)
