"""The API token page, `/org/<code>/tokens/`: a person makes a token for a machine client (this organisation only,
with an expiry), sees it once, lists and revokes their own; the organisation's security administrator also sees
and revokes everyone else's. Every make and revoke is in the audit log (xuncha.api_tokens)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from shared.apitokens.selectors import api_tokens_of
from tenants.kernel.views import attach_errors, paginated
from xuncha.api_tokens import api_token_create, api_token_revocable, api_token_revoke, api_tokens_revocable
from xuncha.permissions import open_to_administrators


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("What the token is for"), max_length=100, help_text=gettext_lazy("e.g. the client's name")
    )
    days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"), min_value=1, max_value=settings.XUNCHA_API_TOKEN_MAX_DAYS
    )


@never_cache  # the page that shows a new token is never kept by a browser or proxy
@open_to_administrators  # every member keeps their own tokens; the security administrator revokes anyone's
def tokens_page(request):
    form, made = TokenForm(initial={"days": settings.XUNCHA_API_TOKEN_DAYS}), None
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                token, text = api_token_create(
                    actor=request.user,
                    organization=request.tenant,
                    request=request,
                    name=form.cleaned_data["name"],
                    days=form.cleaned_data["days"],
                )
            except ValidationError as error:
                attach_errors(form, error)
            else:
                made, form = (token, text), TokenForm(initial={"days": settings.XUNCHA_API_TOKEN_DAYS})
    return render(
        request,
        "xuncha/tokens.html",
        {
            "form": form,
            "made": made,
            "own": paginated(
                request, api_tokens_of(person=request.user, organization=request.tenant).order_by("-created")
            ),
            "others": paginated(
                request,
                api_tokens_revocable(actor=request.user, access=request.org_access, organization=request.tenant),
                param="others_page",
            ),
            "max_days": settings.XUNCHA_API_TOKEN_MAX_DAYS,
        },
    )


@require_POST
@open_to_administrators
def token_revoke(request, key: str):
    token = api_token_revocable(actor=request.user, access=request.org_access, organization=request.tenant, key=key)
    if token is None:
        raise Http404
    api_token_revoke(token=token, actor=request.user, request=request)
    messages.success(request, _("Token %(key)s revoked.") % {"key": token.token_key})
    return redirect("tokens")
