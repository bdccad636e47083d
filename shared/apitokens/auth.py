"""Token authentication for machine clients: `Authorization: Token <token>` on an organisation's API.

The token is checked once, by OrganizationAccessMiddleware (`token_for_request`), before anything looks at the
organisation: knox finds it by its key and compares the SHA-512 digest, refuses (and deletes) an expired one;
a revoked one is gone; then it must belong to the organisation of the URL. A request that carries a token is
that token's person and nobody else: its session, if any, is ignored. DRF then sees the same person through
`OrganizationTokenAuthentication`. Browsers keep the session with its CSRF check: a page cannot make the browser
send an Authorization header to another site, and tokens open no page.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from knox.auth import TokenAuthentication
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication

KEYWORD = "Token"


class TokenRefused(Exception):
    """The request's token is malformed, unknown, expired, revoked or for another organisation."""


def token_header(request) -> str | None:
    """The token text of an `Authorization: Token ...` header, or None when the request carries none."""
    parts = request.META.get("HTTP_AUTHORIZATION", "").split()
    if not parts or parts[0].lower() != KEYWORD.lower():
        return None
    if len(parts) != 2:
        raise TokenRefused(_("The Authorization header must be “Token <token>”."))
    return parts[1]


def token_for_request(*, request, organization):
    """The valid token of this request for `organization`, or None without one; TokenRefused otherwise."""
    text = token_header(request)
    if text is None:
        return None
    try:
        _user, token = TokenAuthentication().authenticate_credentials(text.encode("utf-8"))
    except (exceptions.AuthenticationFailed, UnicodeError):
        raise TokenRefused(_("The token is invalid, expired or revoked.")) from None
    if token.organization_id != organization.pk:
        raise TokenRefused(_("This token is for another organisation."))
    return token


class OrganizationTokenAuthentication(BaseAuthentication):
    """DRF's view of the token the middleware accepted for this request (request.auth is the ApiToken)."""

    def authenticate(self, request):
        token = getattr(request._request, "api_token", None)
        return None if token is None else (token.user, token)

    def authenticate_header(self, request) -> str:
        return KEYWORD
