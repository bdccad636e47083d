"""Helpers for the tenant apps' thin views: role checks, service calls from a POST, errors on forms, pages."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect

from tenants.kernel.inputs import parse_date


def run_service(request, service, *, success: str, redirect_to: str, dates: dict | None = None, **kwargs):
    """Call a service from a POST; its ValidationError becomes a message (never echoing input).
    `dates` are posted ISO dates by argument name, parsed here so a malformed one is refused the same way."""
    try:
        parsed = {name: parse_date(value, field=name) for name, value in (dates or {}).items()}
        result = service(**kwargs, **parsed)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return None, redirect(redirect_to)
    messages.success(request, success)
    return result, redirect(redirect_to)


def require_post(request):
    if request.method != "POST":
        raise Http404


PAGE_SIZE = 50


def paginated(request, rows, *, param: str = "page", per_page: int = PAGE_SIZE):
    """One page of `rows` (Django's Paginator; a bad or too large number gives the first or last page), with
    the links to the pages around it that keep the rest of the query string; render it with xuncha/_pager.html."""
    page = Paginator(rows, per_page).get_page(request.GET.get(param))

    def link(number):
        query = request.GET.copy()
        query[param] = number
        return f"?{query.urlencode()}"

    page.previous_link = link(page.previous_page_number()) if page.has_previous() else ""
    page.next_link = link(page.next_page_number()) if page.has_next() else ""
    return page


def role_required(check):
    """View decorator: `check(request.org_access)` must hold, else 403 (server-side, whatever the page showed)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(request.org_access):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def attach_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form (field errors on fields the form has)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def org_url(request, path: str = "") -> str:
    """An address inside the current organisation (/org/<code>/<path>)."""
    return f"{request.tenant.route}{path}"
