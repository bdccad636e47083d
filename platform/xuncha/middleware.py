"""Routing to an organisation's schema and the membership check in front of it."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, JsonResponse
from django.urls import set_urlconf
from django.utils.translation import gettext
from django_tenants.middleware.subfolder import TenantSubfolderMiddleware
from django_tenants.postgresql_backend.base import FakeTenant
from django_tenants.urlresolvers import get_subfolder_urlconf
from django_tenants.utils import get_public_schema_name, get_public_schema_urlconf
from rest_framework.exceptions import NotAuthenticated

from shared.accounts.selectors import NO_ACCESS, organization_access
from shared.apitokens.auth import TokenRefused, token_for_request
from shared.orgs.models import Organization
from xuncha import access_hooks
from xuncha.permissions import IsOrganizationMember, admits_administrators

ORG_PREFIX = "/org/"


class OrganizationRoutingMiddleware(TenantSubfolderMiddleware):
    """/org/<region code>/... runs in that organisation's schema; everything else in public.

    Unlike the stock middleware it needs no row for the public schema, and an
    unknown code is a plain 404 that names nothing.
    """

    def process_request(self, request):
        connection.set_schema_to_public()
        if not request.path.startswith(ORG_PREFIX):
            request.tenant = FakeTenant(schema_name=get_public_schema_name())
            request.urlconf = get_public_schema_urlconf()
            set_urlconf(request.urlconf)
            return None
        code = request.path[len(ORG_PREFIX) :].split("/", 1)[0]
        tenant = Organization.objects.local().filter(domains__domain=code).first()
        if tenant is None:
            raise Http404("No such organisation.")
        tenant.domain_subfolder = code
        request.tenant = tenant
        connection.set_tenant(tenant)
        request.urlconf = organization_urlconf(tenant)
        set_urlconf(request.urlconf)
        return None


_URLCONFS: dict[tuple[str, str], object] = {}


def organization_urlconf(tenant):
    """The organisation's subfolder urlconf, built once per code.

    Django caches a resolver per urlconf object; a fresh object per request (and clearing the caches to
    keep them from growing) cost a resolver rebuild on every page and grew memory. One object per
    organisation keeps the caches bounded by the number of organisations.
    """
    key = (settings.ROOT_URLCONF, tenant.domain_subfolder)
    urlconf = _URLCONFS.get(key)
    if urlconf is None:
        urlconf = _URLCONFS.setdefault(key, get_subfolder_urlconf(tenant))
    return urlconf


def api_refusal(detail) -> JsonResponse:
    """A 403 in the API's own shape (`{"detail": "…"}`, in the request's language), as DRF gives its refusals."""
    return JsonResponse({"detail": str(detail)}, status=403)


class OrganizationAccessMiddleware:
    """Only members reach an organisation's pages and API; others never see its data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        request.org_access = NO_ACCESS
        request.org_refused = False
        if isinstance(tenant, Organization):
            # Until access is established, the error pages must not name the organisation.
            request.org_refused = True
            api = request.path.startswith(f"{tenant.route}api/")
            if api:
                refused = self._token_user(request, tenant)
                if refused is not None:
                    return refused
            if not request.user.is_authenticated:
                if api:
                    return api_refusal(NotAuthenticated.default_detail)
                return redirect_to_login(request.get_full_path())
            request.org_access = organization_access(person=request.user, organization_id=tenant.pk)
            if not request.org_access.roles:
                # Re-checked on every request, so an ended or revoked grant stops the next one.
                request.org_access = self._granted_access(request, tenant)
                if not request.org_access.roles and not self._granted_elsewhere(request, tenant):
                    if api:
                        return api_refusal(IsOrganizationMember.message)
                    raise PermissionDenied  # the HTML refused page
            request.org_refused = False
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        """三员分立: an administrator's role alone reaches only the views marked open to administrators."""

        access = getattr(request, "org_access", NO_ACCESS)
        if access.roles and not access.has_working_role and not admits_administrators(view_func):
            if request.path.startswith(f"{request.tenant.route}api/"):  # the API's refusal, as its schema says
                return api_refusal(gettext("Your role in this organisation does not allow this."))
            raise PermissionDenied
        return None

    @staticmethod
    def _token_user(request, tenant):
        """A machine client's `Authorization: Token ...` (shared.apitokens): the request is that token's person,
        whatever session it may carry; a bad token is a 401, never a fall-back to the session."""

        try:
            token = token_for_request(request=request, organization=tenant)
        except TokenRefused as refusal:
            response = JsonResponse({"detail": str(refusal)}, status=401)
            response["WWW-Authenticate"] = "Token"
            return response
        if token is not None:
            request.user, request.api_token = token.user, token
        return None

    @staticmethod
    def _granted_access(request, tenant):
        """Access from a cross-organisation grant (roles, clearance, rounds, targets), or NO_ACCESS."""

        return access_hooks.granted_access(person=request.user, organization=tenant) or NO_ACCESS

    @staticmethod
    def _granted_elsewhere(request, tenant) -> bool:
        """Hook for cross-organisation grants (cross-county teams); none by default."""

        return access_hooks.has_granted_access(person=request.user, organization=tenant)


class SecurityHeadersMiddleware:
    """A Content-Security-Policy on every response, and `Cache-Control: no-store` on the API.

    The pages use only vendored static files (no inline script or style), so the policy allows
    nothing but the site itself. API answers carry classified text: no browser or proxy may keep them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
        tenant = getattr(request, "tenant", None)
        if isinstance(tenant, Organization) and request.path.startswith(f"{tenant.route}api/"):
            response["Cache-Control"] = "no-store"
        return response


class SessionTimeoutMiddleware:
    """Signs a person out after SESSION_IDLE_TIMEOUT seconds without a request, and after
    SESSION_COOKIE_AGE seconds from sign-in however active they were.

    Each request moves the session's expiry on, so the fixed life is kept here from the sign-in time.
    The last-seen time is written at most once a minute, not on every request.
    """

    STARTED, SEEN = "xuncha_session_started", "xuncha_session_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started, seen = session.get(self.STARTED), session.get(self.SEEN)
            if started is None or seen is None:
                session[self.STARTED] = started or now
                session[self.SEEN] = now
            elif now - seen > settings.SESSION_IDLE_TIMEOUT or now - started > settings.SESSION_COOKIE_AGE:
                logout(request)
            elif now - seen >= 60:
                session[self.SEEN] = now
        return self.get_response(request)
