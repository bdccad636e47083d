"""Small shared pieces for the inspection-work web pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect

from tenants.inputs import parse_date


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


def get_or_404(queryset, pk):
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


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
