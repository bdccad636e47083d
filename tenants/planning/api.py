"""Plans API: create, list, submit (office), decide (leading group)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.kernel.api import CoreRolePermission, PagedList
from tenants.kernel.roles import can_decide
from tenants.planning.models import AnnualPlan, MultiYearPlan, PhaseSchedule, PlanApproval, PlanStatus
from tenants.planning.selectors import plan_get, plan_list
from tenants.planning.services import PLAN_MODELS, plan_create, plan_decide, plan_submit


class ApprovalSerializer(serializers.ModelSerializer):
    decided_by = serializers.StringRelatedField()

    class Meta:
        model = PlanApproval
        fields = ["decision", "note", "decided_by", "decided_at"]


def _serializer_for(model):
    class PlanSerializer(serializers.ModelSerializer):
        approvals = ApprovalSerializer(many=True, read_only=True)

        class Meta:
            fields = "__all__"
            read_only_fields = ["status", "created_by", "created_at"]

    PlanSerializer.Meta.model = model
    PlanSerializer.__name__ = f"{model.__name__}Serializer"
    return PlanSerializer


SERIALIZERS = {kind: _serializer_for(model) for kind, model in PLAN_MODELS.items()}


def _plan(kind, pk):
    if kind not in PLAN_MODELS:
        raise Http404
    try:
        return plan_get(kind=kind, pk=pk)
    except PLAN_MODELS[kind].DoesNotExist:
        raise Http404 from None


class PlanListCreate(PagedList, APIView):
    permission_classes = [CoreRolePermission]
    kind = ""

    def get(self, request):
        serializer = SERIALIZERS[self.kind]
        return self.list_response(plan_list(kind=self.kind), lambda page: serializer(page, many=True).data)

    def post(self, request):
        serializer = SERIALIZERS[self.kind](data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = plan_create(kind=self.kind, actor=request.user, **serializer.validated_data)
        return Response(SERIALIZERS[self.kind](plan).data, status=status.HTTP_201_CREATED)


def _list_view(kind, model):
    """Own get/post functions per kind: extend_schema marks the function it decorates, so decorating the
    shared PlanListCreate.get documented every plan list as the last kind's (phase schedules)."""
    serializer = SERIALIZERS[kind]

    @extend_schema(responses=serializer(many=True))
    def get(self, request):
        return PlanListCreate.get(self, request)

    @extend_schema(request=serializer, responses={201: serializer})
    def post(self, request):
        return PlanListCreate.post(self, request)

    return type(f"{model.__name__}ListCreate", (PlanListCreate,), {"kind": kind, "get": get, "post": post})


MultiYearPlanList = _list_view("multi_year", MultiYearPlan)
AnnualPlanList = _list_view("annual", AnnualPlan)
PhaseScheduleList = _list_view("phase", PhaseSchedule)


class PlanSubmitView(APIView):
    permission_classes = [CoreRolePermission]

    @extend_schema(
        request=None,
        responses=inline_serializer("PlanSubmitted", {"status": serializers.ChoiceField(choices=PlanStatus.choices)}),
    )
    def post(self, request, kind: str, pk: int):
        plan = plan_submit(plan=_plan(kind, pk))
        return Response({"status": plan.status})


class PlanDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approved", "returned"])
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PlanDecideView(APIView):
    """The leading group's decision on a submitted plan."""

    permission_classes = [CoreRolePermission]
    write_check = staticmethod(can_decide)

    @extend_schema(request=PlanDecisionSerializer, responses=ApprovalSerializer)
    def post(self, request, kind: str, pk: int):
        serializer = PlanDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        approval = plan_decide(plan=_plan(kind, pk), actor=request.user, **serializer.validated_data)
        return Response(ApprovalSerializer(approval).data)
