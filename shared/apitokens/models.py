"""API tokens for machine clients (public schema), kept by django-rest-knox.

One token belongs to one person and one organisation: it opens that organisation's API only
(`/org/<code>/api/`, never a page), with that person's current membership there, until it expires or is
revoked. Only a digest is stored (knox: SHA-512); the token itself is shown once, when it is made.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken


class ApiToken(AbstractAuthToken):
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. the client's name."))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.token_key} ({self.name})"
