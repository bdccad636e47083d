"""Office API: settings, finding categories, holiday table, deadline calculation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.kernel.api import CoreRolePermission, PagedList
from tenants.kernel.roles import can_edit_settings, can_read_settings
from tenants.office.models import FindingCategory, HolidayOverride, OfficeSettings
from tenants.office.selectors import finding_category_list, holiday_override_list
from tenants.office.services import finding_category_save, holiday_override_set, office_settings_update
from tenants.office.workdays import add_months, add_working_days
from xuncha.permissions import open_to_administrators


class OfficeSettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = OfficeSettings
        exclude = ["singleton", "id"]
        read_only_fields = ["updated_at"]


@open_to_administrators  # the system administrator keeps the configuration (the read check refuses the other two)
class SettingsView(APIView):
    permission_classes = [CoreRolePermission]
    read_check, write_check = staticmethod(can_read_settings), staticmethod(can_edit_settings)

    @extend_schema(responses=OfficeSettingsSerializer)
    def get(self, request):
        return Response(OfficeSettingsSerializer(OfficeSettings.current()).data)

    @extend_schema(request=OfficeSettingsSerializer, responses=OfficeSettingsSerializer)
    def patch(self, request):
        serializer = OfficeSettingsSerializer(OfficeSettings.current(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        settings = office_settings_update(changes=serializer.validated_data, actor=request.user, request=request)
        return Response(OfficeSettingsSerializer(settings).data)


class FindingCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = FindingCategory
        fields = ["id", "code", "name", "description", "county_level_only", "order", "is_active"]


@open_to_administrators
class CategoryListCreate(PagedList, APIView):
    permission_classes = [CoreRolePermission]
    read_check, write_check = staticmethod(can_read_settings), staticmethod(can_edit_settings)

    @extend_schema(responses=FindingCategorySerializer(many=True))
    def get(self, request):
        return self.list_response(finding_category_list(), lambda page: FindingCategorySerializer(page, many=True).data)

    @extend_schema(request=FindingCategorySerializer, responses={201: FindingCategorySerializer})
    def post(self, request):
        serializer = FindingCategorySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        category = finding_category_save(**serializer.validated_data)
        return Response(FindingCategorySerializer(category).data, status=status.HTTP_201_CREATED)


class HolidaySerializer(serializers.ModelSerializer):
    class Meta:
        model = HolidayOverride
        fields = ["date", "is_working_day", "note"]
        extra_kwargs = {"date": {"validators": []}}


class HolidayQuery(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=1, max_value=9999)


@open_to_administrators
class HolidayListSet(PagedList, APIView):
    permission_classes = [CoreRolePermission]
    read_check, write_check = staticmethod(can_read_settings), staticmethod(can_edit_settings)

    @extend_schema(responses=HolidaySerializer(many=True), parameters=[HolidayQuery])
    def get(self, request):
        query = HolidayQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        return self.list_response(
            holiday_override_list(year=query.validated_data.get("year")),
            lambda page: HolidaySerializer(page, many=True).data,
        )

    @extend_schema(request=HolidaySerializer, responses=HolidaySerializer)
    def post(self, request):
        serializer = HolidaySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        override = holiday_override_set(
            day=data["date"], is_working_day=data["is_working_day"], note=data.get("note", "")
        )
        return Response(HolidaySerializer(override).data)


class DeadlineSerializer(serializers.Serializer):
    due = serializers.DateField()
    provisional = serializers.BooleanField()
    reason = serializers.CharField()


class DeadlineQuery(serializers.Serializer):
    start = serializers.DateField()
    working_days = serializers.IntegerField(required=False, min_value=-3650, max_value=3650)
    months = serializers.IntegerField(required=False, min_value=-240, max_value=240)

    def validate(self, data):
        if ("working_days" in data) == ("months" in data):
            raise serializers.ValidationError(_("Give either working_days or months."))
        return data


class DeadlineView(APIView):
    """Compute a deadline in this office's working days (provisional where no holiday table exists)."""

    permission_classes = [CoreRolePermission]

    @extend_schema(parameters=[DeadlineQuery], responses=DeadlineSerializer)
    def get(self, request):
        query = DeadlineQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        if "months" in data:
            deadline = add_months(start=data["start"], months=data["months"])
        else:
            deadline = add_working_days(start=data["start"], days=data["working_days"])
        return Response(DeadlineSerializer(deadline).data)
