"""The administrators' pages (三员分立): accounts (system administrator), roles and clearance (security
administrator), the audit log and its export (audit administrator)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared.accounts.models import ADMINISTRATOR_ROLES, Membership
from shared.orgs.models import Organization
from tenants.administration import exports
from tenants.administration.access import can_grant_roles, can_keep_accounts, can_read_audit_log
from tenants.administration.forms import (
    AccountCreateForm,
    AccountForm,
    AuditFilterForm,
    MembershipForm,
    MembershipGrantForm,
    PasswordSetForm,
)
from tenants.administration.selectors import (
    AuditFilter,
    account_list,
    audit_change_words,
    audit_event_search,
    audit_record_words,
    audit_via_words,
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
from tenants.audit.models import AuditEvent
from tenants.kernel.lookups import get_or_404
from tenants.kernel.views import form_submit, paginated, role_required, run_service
from xuncha.permissions import open_to_administrators


def _is_administrator(user) -> bool:
    return Membership.objects.filter(user=user, role__in=ADMINISTRATOR_ROLES).exists()


@open_to_administrators
@role_required(can_keep_accounts)
def accounts_page(request):
    form = AccountCreateForm(request.POST or None)
    saved = form_submit(
        request,
        form,
        lambda data: account_create(actor=request.user, organization=request.tenant, request=request, **data),
        success=_("Account created. The security administrator grants its roles."),
        redirect_to=lambda user: reverse("administration-account-edit", args=[user.pk]),
    )
    if saved:
        return saved
    accounts = paginated(request, account_list(organization=request.tenant))
    return render(request, "administration/accounts.html", {"accounts": accounts, "form": form})


@open_to_administrators
@role_required(can_keep_accounts)
def account_edit(request, pk: int):
    user = get_or_404(account_list(organization=request.tenant), pk)
    form = AccountForm(request.POST or None, initial={"display_name": user.display_name, "is_active": user.is_active})
    saved = form_submit(
        request,
        form,
        lambda data: account_update(
            actor=request.user, organization=request.tenant, person=user, request=request, **data
        ),
        success=_("Saved."),
        redirect_to="administration-accounts",
    )
    if saved:
        return saved
    may_set_password = user.pk != request.user.pk and not _is_administrator(user)
    return render(
        request,
        "administration/account_edit.html",
        {
            "account": user,
            "form": form,
            "password_form": PasswordSetForm() if may_set_password else None,
            "memberships": user.memberships.select_related("organization").order_by("organization__code", "role"),
        },
    )


@require_POST
@open_to_administrators
@role_required(can_keep_accounts)
def account_password(request, pk: int):
    user = get_or_404(account_list(organization=request.tenant), pk)
    form = PasswordSetForm(request.POST)
    back = reverse("administration-account-edit", args=[user.pk])
    if not form.is_valid():
        messages.error(request, _("Enter the new password."))
        return redirect(back)
    return run_service(
        request,
        account_password_set,
        success=_("The new password is set; give it to its holder in person."),
        redirect_to=back,
        actor=request.user,
        organization=request.tenant,
        person=user,
        request=request,
        **form.cleaned_data,
    )[1]


@open_to_administrators
@role_required(can_grant_roles)
def memberships_page(request):
    people = grantable_people(organization=request.tenant, actor=request.user)
    form = MembershipGrantForm(request.POST or None, people=people)

    def grant(values):
        person = values.pop("user")
        return membership_grant(
            actor=request.user, organization=request.tenant, person=person, request=request, **values
        )

    saved = form_submit(request, form, grant, success=_("Role granted."), redirect_to="administration-memberships")
    if saved:
        return saved
    rows = paginated(request, membership_list(organization=request.tenant))
    return render(request, "administration/memberships.html", {"memberships": rows, "form": form})


@open_to_administrators
@role_required(can_grant_roles)
def membership_edit(request, pk: int):
    membership = get_or_404(membership_list(organization=request.tenant), pk)
    if membership.user_id == request.user.pk:
        raise PermissionDenied  # nobody changes their own roles; the list offers no link to it
    form = MembershipForm(
        request.POST or None, initial={"clearance": membership.clearance, "is_active": membership.is_active}
    )
    saved = form_submit(
        request,
        form,
        lambda data: membership_update(
            actor=request.user, organization=request.tenant, membership=membership, request=request, **data
        ),
        success=_("Saved."),
        redirect_to="administration-memberships",
    )
    if saved:
        return saved
    return render(request, "administration/membership_edit.html", {"membership": membership, "form": form})


def _audit_filters(request) -> tuple[AuditFilterForm, AuditFilter | None]:
    """The filter form and what it asks for; None when a filter is malformed (it then shows nothing, not all)."""
    form = AuditFilterForm(request.GET or None, organizations=Organization.objects.local().order_by("code"))
    if not request.GET.keys() - {"page"}:
        return form, AuditFilter()
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, AuditFilter(
        who=data["who"],
        action=data["action"],
        since=data["since"],
        until=data["until"],
        organization_code=data["organization"],
    )


@open_to_administrators
@role_required(can_read_audit_log)
def audit_page(request):
    form, filters = _audit_filters(request)
    events = paginated(request, audit_event_search(filters=filters) if filters else AuditEvent.objects.none())
    rows = [
        {
            "event": event,
            "record": audit_record_words(event),
            "via": audit_via_words(event),
            "changes": audit_change_words(event),
        }
        for event in events
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "administration/audit.html", {"form": form, "events": events, "rows": rows, "query": query.urlencode()}
    )


@open_to_administrators
@role_required(can_read_audit_log)
def audit_export(request, fmt: str):
    _form, filters = _audit_filters(request)
    if filters is None:
        messages.error(request, _("Correct the filter first."))
        return redirect("administration-audit")
    return exports.audit_export(request=request, filters=filters, fmt=fmt)
