"""The client's address for login throttling (django-axes' AXES_CLIENT_IP_CALLABLE).

Behind the documented nginx every request comes from nginx's own address, so throttling on REMOTE_ADDR
alone would lock out every person at once after one person's failures. A request from a proxy named in
XUNCHA_TRUSTED_PROXIES is attributed to the right-most X-Forwarded-For entry: the address that proxy saw
and appended itself (`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for`); entries to its
left were written by the client and are never trusted. A request from anywhere else keeps REMOTE_ADDR,
whatever headers it sends.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    if remote and remote in settings.XUNCHA_TRUSTED_PROXIES:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded and forwarded[-1]:
            return forwarded[-1]
    return remote
