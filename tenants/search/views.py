"""The search page (its API: api.py). The query travels in a POST body, never in the address: addresses end up in
access logs, proxies and browser history, and a query may itself be confidential (a person's name)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render

from tenants.audit.views import audited_list
from tenants.search.selectors import QUERY_MAX, search_everything, search_query_clean


def search_audited(request, raw_query):
    """Search what the caller may see; the records found are audited as read (the page and the API)."""
    query = search_query_clean(raw_query)
    groups = search_everything(actor=request.user, access=request.org_access, query=query)
    audited_list(request, [hit.record for group in groups for hit in group.hits if hit.record is not None])
    return query, groups


def search_page(request):
    context = {"query": "", "groups": None, "query_max": QUERY_MAX}
    if request.method == "POST":
        try:
            context["query"], context["groups"] = search_audited(request, request.POST.get("q"))
        except ValidationError as error:
            context["query"], context["error"] = (request.POST.get("q") or "")[:QUERY_MAX], error.messages[0]
            return render(request, "search/search.html", context, status=400)
    return render(request, "search/search.html", context)
