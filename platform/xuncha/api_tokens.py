"""API tokens for machine clients: making and revoking them (each written to the organisation's audit chain in
the same transaction), and a person's own tokens in the API and on the page `/org/<code>/tokens/`: list, make (the
token is shown once), revoke. The security administrator (安全保密管理员) of the organisation revokes anyone's token
there, on the page and in the API.

The token model and its authentication live in shared.apitokens (public schema); this is the site's part, as it
writes the organisation's audit log. The token endpoints take a signed-in browser's session (with CSRF) only: a
token cannot make or renew tokens.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tenants.utils import schema_context
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from shared.accounts.models import Classification
from shared.accounts.selectors import organization_access
from shared.apitokens import selectors
from shared.apitokens.models import ApiToken
from tenants.administration.access import can_grant_roles
from tenants.audit.models import AuditAction
from tenants.audit.services import audit_event_record
from tenants.kernel.api import PagedList
from xuncha.permissions import IsOrganizationMember, open_to_administrators

RECORD_TYPE = "apitokens.apitoken"


def _audit(*, token: ApiToken, action: str, actor, request, detail: dict) -> None:
    with schema_context(token.organization.schema_name):
        audit_event_record(
            action=action,
            record_type=RECORD_TYPE,
            record_key=token.token_key,
            classification=Classification.INTERNAL,
            request=request,
            actor=actor,
            detail={"owner": token.user.get_username(), "name": token.name, **detail},
        )


@transaction.atomic
def api_token_create(*, actor, organization, name: str, days: int | None = None, request=None) -> tuple[ApiToken, str]:
    """A new token for `actor` in `organization` (a member there); returns it and its text, shown only now."""
    if not organization_access(person=actor, organization_id=organization.pk).roles:
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name (what it is for).")})
    days = settings.XUNCHA_API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= settings.XUNCHA_API_TOKEN_MAX_DAYS:
        raise ValidationError(
            {"days": _("A token lasts from 1 to %(max)d days.") % {"max": settings.XUNCHA_API_TOKEN_MAX_DAYS}}
        )
    token, text = ApiToken.objects.create(
        user=actor, expiry=timedelta(days=days), organization=organization, name=name[:100]
    )
    _audit(token=token, action=AuditAction.TOKEN_CREATE, actor=actor, request=request, detail={"expiry": token.expiry})
    return token, text


def api_token_revocable(*, actor, access, organization, key: str) -> ApiToken | None:
    """The unexpired token `key` of `organization` that `actor` may revoke: their own, or anyone's for the
    organisation's security administrator; None otherwise."""
    tokens = ApiToken.objects.filter(organization=organization, expiry__gt=timezone.now(), token_key=key)
    if not can_grant_roles(access):
        tokens = tokens.filter(user=actor)
    return tokens.select_related("user", "organization").first()


def api_tokens_revocable(*, actor, access, organization):
    """Other people's unexpired tokens of `organization` that `actor` may revoke (the security administrator's
    list; nobody else's), oldest expiry first."""
    if not can_grant_roles(access):
        return ApiToken.objects.none()
    return (
        ApiToken.objects.filter(organization=organization, expiry__gt=timezone.now())
        .exclude(user=actor)
        .select_related("user")
        .order_by("expiry", "token_key")
    )


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor, request=None) -> None:
    """Revoke a token: the very next request with it is refused."""
    _audit(token=token, action=AuditAction.TOKEN_REVOKE, actor=actor, request=request, detail={})
    token.delete()


class NotWithAToken(BasePermission):
    """A request that came with a token (whose person the middleware made it) may not make or revoke tokens."""

    message = gettext_lazy("Tokens are made and revoked in a signed-in browser, not with a token.")

    def has_permission(self, request, view) -> bool:
        return getattr(request._request, "api_token", None) is None


class ApiTokenSerializer(serializers.Serializer):
    key = serializers.CharField(source="token_key", read_only=True, help_text="The token's first characters.")
    name = serializers.CharField(max_length=100)
    days = serializers.IntegerField(
        write_only=True, required=False, min_value=1, max_value=settings.XUNCHA_API_TOKEN_MAX_DAYS
    )
    created = serializers.DateTimeField(read_only=True)
    expiry = serializers.DateTimeField(read_only=True)


class NewApiTokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(read_only=True, help_text="The token itself: shown only in this answer.")


@open_to_administrators  # the security administrator revokes tokens; every member keeps their own
class ApiTokenList(PagedList, APIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [NotWithAToken, IsAuthenticated, IsOrganizationMember]

    @extend_schema(responses=ApiTokenSerializer(many=True))
    def get(self, request):
        tokens = selectors.api_tokens_of(person=request.user, organization=request.tenant)
        return self.list_response(tokens, lambda page: ApiTokenSerializer(page, many=True).data)

    @extend_schema(request=ApiTokenSerializer, responses={201: NewApiTokenSerializer})
    def post(self, request):
        data = ApiTokenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, text = api_token_create(
            actor=request.user, organization=request.tenant, request=request, **data.validated_data
        )
        body = {**ApiTokenSerializer(token).data, "token": text}
        return Response(body, status=status.HTTP_201_CREATED)


@open_to_administrators
class ApiTokenDetail(APIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [NotWithAToken, IsAuthenticated, IsOrganizationMember]

    @extend_schema(
        responses={204: None},
        description="Revoke one of your tokens; the organisation's security administrator revokes anyone's.",
    )
    def delete(self, request, key: str):
        token = api_token_revocable(actor=request.user, access=request.org_access, organization=request.tenant, key=key)
        if token is None:
            raise Http404
        api_token_revoke(token=token, actor=request.user, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)
