"""The administrators' API (三员分立): accounts for the system administrator, memberships for the security
administrator, the audit log for the audit administrator. The same services and selectors as the pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from shared.accounts.models import Classification, Membership, Role, User
from tenants.administration.access import can_grant_roles, can_keep_accounts, can_read_audit_log
from tenants.administration.selectors import (
    AuditFilter,
    account_list,
    audit_change_words,
    audit_event_search,
    grantable_people,
    membership_list,
)
from tenants.administration.services import (
    account_create,
    account_password_set,
    account_update,
    membership_grant,
    membership_update,
)
from tenants.audit.models import AuditAction
from tenants.kernel.api import PagedList
from tenants.kernel.lookups import get_or_404
from xuncha.permissions import IsOrganizationMember, open_to_administrators


class _RolePermission(IsOrganizationMember):
    """The view's `role_check(access)` must hold, for reading as for writing."""

    message = _("Your role in this organisation does not allow this.")

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and view.role_check(request.org_access)


class AccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "display_name", "is_active", "last_login", "date_joined"]
        read_only_fields = ["id", "username", "last_login", "date_joined"]


class AccountCreateSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    display_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)


class AccountUpdateSerializer(serializers.Serializer):
    display_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)


class PasswordSerializer(serializers.Serializer):
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)


@open_to_administrators
class _AccountsBase(APIView):
    permission_classes = [_RolePermission]
    role_check = staticmethod(can_keep_accounts)


class AccountListCreate(PagedList, _AccountsBase):
    @extend_schema(responses=AccountSerializer(many=True))
    def get(self, request):
        return self.list_response(
            account_list(organization=request.tenant), lambda page: AccountSerializer(page, many=True).data
        )

    @extend_schema(request=AccountCreateSerializer, responses={201: AccountSerializer})
    def post(self, request):
        data = AccountCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = account_create(actor=request.user, organization=request.tenant, request=request, **data.validated_data)
        return Response(AccountSerializer(user).data, status=status.HTTP_201_CREATED)


class AccountDetail(_AccountsBase):
    @extend_schema(responses=AccountSerializer)
    def get(self, request, pk: int):
        return Response(AccountSerializer(get_or_404(account_list(organization=request.tenant), pk)).data)

    @extend_schema(request=AccountUpdateSerializer, responses=AccountSerializer)
    def patch(self, request, pk: int):
        user = get_or_404(account_list(organization=request.tenant), pk)
        data = AccountUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = {"display_name": user.display_name, "is_active": user.is_active, **data.validated_data}
        user = account_update(actor=request.user, organization=request.tenant, person=user, request=request, **values)
        return Response(AccountSerializer(user).data)


class AccountPassword(_AccountsBase):
    @extend_schema(request=PasswordSerializer, responses={204: None})
    def post(self, request, pk: int):
        user = get_or_404(account_list(organization=request.tenant), pk)
        data = PasswordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        account_password_set(
            actor=request.user, organization=request.tenant, person=user, request=request, **data.validated_data
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "username", "role", "clearance", "is_active", "created_at"]
        read_only_fields = ["id", "user", "username", "role", "created_at"]


class MembershipGrantSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.none())
    role = serializers.ChoiceField(choices=Role.choices)
    clearance = serializers.ChoiceField(choices=Classification.choices, default=Classification.INTERNAL)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["user"].queryset = people


class MembershipUpdateSerializer(serializers.Serializer):
    clearance = serializers.ChoiceField(choices=Classification.choices, required=False)
    is_active = serializers.BooleanField(required=False)


@open_to_administrators
class _MembershipsBase(APIView):
    permission_classes = [_RolePermission]
    role_check = staticmethod(can_grant_roles)


class MembershipListCreate(PagedList, _MembershipsBase):
    @extend_schema(responses=MembershipSerializer(many=True))
    def get(self, request):
        return self.list_response(
            membership_list(organization=request.tenant), lambda page: MembershipSerializer(page, many=True).data
        )

    @extend_schema(request=MembershipGrantSerializer, responses={201: MembershipSerializer})
    def post(self, request):
        people = grantable_people(organization=request.tenant, actor=request.user)
        data = MembershipGrantSerializer(data=request.data, people=people)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        membership = membership_grant(
            actor=request.user, organization=request.tenant, person=values.pop("user"), request=request, **values
        )
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)


class MembershipDetail(_MembershipsBase):
    @extend_schema(responses=MembershipSerializer)
    def get(self, request, pk: int):
        return Response(MembershipSerializer(get_or_404(membership_list(organization=request.tenant), pk)).data)

    @extend_schema(request=MembershipUpdateSerializer, responses=MembershipSerializer)
    def patch(self, request, pk: int):
        membership = get_or_404(membership_list(organization=request.tenant), pk)
        if membership.user_id == request.user.pk:
            raise PermissionDenied
        data = MembershipUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = {"clearance": membership.clearance, "is_active": membership.is_active, **data.validated_data}
        membership = membership_update(
            actor=request.user, organization=request.tenant, membership=membership, request=request, **values
        )
        return Response(MembershipSerializer(membership).data)


class AuditEventSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    at = serializers.DateTimeField()
    username = serializers.CharField()
    organization_code = serializers.CharField()
    access_via = serializers.CharField()
    action = serializers.ChoiceField(choices=AuditAction.choices)
    record_type = serializers.CharField()
    record_key = serializers.CharField()
    classification = serializers.ChoiceField(choices=Classification.choices)
    ip = serializers.CharField()
    detail = serializers.CharField()
    changes = serializers.SerializerMethodField()

    def get_changes(self, event) -> list[str]:
        return audit_change_words(event)


class AuditQuery(serializers.Serializer):
    who = serializers.CharField(max_length=150, required=False)
    action = serializers.ChoiceField(choices=AuditAction.choices, required=False)
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)
    organization = serializers.RegexField(r"^[1-9]\d{5}$", required=False)
    limit = serializers.IntegerField(min_value=1, max_value=500, default=100)
    before_seq = serializers.IntegerField(min_value=1, max_value=2**62, required=False)


@open_to_administrators
class AuditEventList(APIView):
    """The organisation's audit log, newest first; page with `before_seq` (the last `seq` you received)."""

    permission_classes = [_RolePermission]
    role_check = staticmethod(can_read_audit_log)

    @extend_schema(parameters=[AuditQuery], responses=AuditEventSerializer(many=True))
    def get(self, request):
        query = AuditQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        filters = AuditFilter(
            who=data.get("who", ""),
            action=data.get("action", ""),
            since=data.get("since"),
            until=data.get("until"),
            organization_code=data.get("organization", ""),
        )
        events = audit_event_search(filters=filters)
        if "before_seq" in data:
            events = events.filter(seq__lt=data["before_seq"])
        return Response(AuditEventSerializer(events[: data["limit"]], many=True).data)
