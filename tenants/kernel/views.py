"""Helpers for the tenant apps' thin views: role checks, service calls from a POST, errors on forms, pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenants.kernel.documents import XLSX
from tenants.kernel.files import file_response
from tenants.kernel.imports import ImportRowsError
from tenants.kernel.inputs import parse_date

if TYPE_CHECKING:
    from shared.accounts.selectors import OrganizationAccess
    from shared.orgs.models import Organization


class OrgRequest(HttpRequest):
    """A page request inside one organisation, for annotations: xuncha's middleware sets the organisation
    (`tenant`) and what the person holds in it (`org_access`)."""

    tenant: Organization
    org_access: OrganizationAccess


T = TypeVar("T")
View = TypeVar("View", bound=Callable[..., HttpResponse])


def run_service(
    request: HttpRequest,
    service: Callable[..., T],
    /,
    *,
    success: str | Callable[[T], str] | None,
    redirect_to: str,
    dates: dict[str, Any] | None = None,
    refused: Callable[[ValidationError], HttpResponse] | None = None,
    **kwargs: Any,
) -> tuple[T | None, HttpResponse]:
    """Call a service from a POST; its ValidationError becomes a message each (never echoing input), or, with
    `refused`, the page `refused(error)` draws (a row's form shown again with its refusal beside its fields);
    done, the `success` message (or `success(result)`; None: no message). `dates` are posted ISO dates by
    argument name, parsed here so a malformed one is refused the same way. (`request` and `service` are
    positional only: a service may take a `request` too.)"""
    try:
        parsed = {name: parse_date(value, field=name) for name, value in (dates or {}).items()}
        result = service(**kwargs, **parsed)
    except ValidationError as error:
        if refused is not None:
            return None, refused(error)
        for message in error.messages:
            messages.error(request, message)
        return None, redirect(redirect_to)
    if success is not None:
        messages.success(request, success(result) if callable(success) else success)
    return result, redirect(redirect_to)


def form_submit(
    request: HttpRequest,
    form: BaseForm,
    save: Callable[[dict[str, Any]], T],
    *,
    success: str,
    redirect_to: str | Callable[[T], str],
) -> HttpResponseRedirect | None:
    """The one way a form page saves: on a POST whose form is valid, `save(cleaned_data)` (a service call); saved,
    the `success` message and a redirect to `redirect_to` (a URL or name, or `redirect_to(result)`). Otherwise
    None, and the page shows the form again: with its own errors, or with the service's ValidationError next to
    the fields it names (attach_errors)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(dict(form.cleaned_data))
    except ValidationError as error:
        attach_errors(form, error)
        return None
    messages.success(request, success)
    return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)


def require_post(request: HttpRequest) -> None:
    if request.method != "POST":
        raise Http404


def paginated(request: HttpRequest, rows: Any, *, param: str = "page", per_page: int | None = None) -> Page[Any]:
    """One page of `rows` (Django's Paginator; a bad or too large number gives the first or last page), with
    the links to the pages around it that keep the rest of the query string; render it with xuncha/_pager.html.
    `per_page` defaults to XUNCHA_PAGE_SIZE, the API's page size too."""
    paginator = Paginator(rows, per_page or settings.XUNCHA_PAGE_SIZE)
    page = _first_page(paginator, request.GET.get(param))
    if page is None:
        page = paginator.get_page(request.GET.get(param))

    def link(number: int) -> str:
        query = request.GET.copy()
        query[param] = str(number)
        return f"?{query.urlencode()}"

    # Two attributes for the pager template, beside Django's own.
    page.previous_link = link(page.previous_page_number()) if page.has_previous() else ""  # type: ignore[attr-defined]
    page.next_link = link(page.next_page_number()) if page.has_next() else ""  # type: ignore[attr-defined]
    return page


def _first_page(paginator: Paginator[Any], number: str | None) -> Page[Any] | None:
    """The first page without its COUNT(*) when it holds every row (most lists of an organisation do): it reads one
    row more than a page, and a list that overflows it is counted as before. None for any other page asked."""
    if number not in (None, "", "1"):
        return None
    size = paginator.per_page
    rows = list(paginator.object_list[: size + 1])
    if len(rows) > size:
        return Page(rows[:size], 1, paginator)  # the COUNT(*) comes when the pager asks for the last page
    paginator.count = len(rows)  # Paginator.count is a cached property: the rows are all there is
    return Page(rows, 1, paginator)


def role_required(
    check: Callable[[OrganizationAccess], bool] | None = None, *, roles: Iterable[str] = (), kinds: Iterable[str] = ()
) -> Callable[[View], View]:
    """View decorator, the one way a page checks a role: `check(request.org_access)` must hold, or the person must
    hold one of `roles`; with `kinds`, the organisation must be of one of those kinds (city, county, province).
    Else 403, server-side, whatever the page showed."""

    roles, kinds = tuple(roles), tuple(kinds)

    def allowed(request: OrgRequest) -> bool:
        if kinds and request.tenant.kind not in kinds:
            return False
        if roles and not request.org_access.has_role(*roles):
            return False
        return check is None or bool(check(request.org_access))

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: OrgRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not allowed(request):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]  # wraps keeps the view's signature

    return decorator


def attach_errors(form: BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form (field errors on fields the form has)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("XLSX or CSV file"))


def import_page(
    request: HttpRequest,
    *,
    service: Callable[..., dict[str, int]],
    title: str,
    intro: str,
    template_url: str,
    done_url: str,
    **kwargs: Any,
) -> HttpResponse:
    """A register's import page (xuncha/import.html): the template's download, the upload, and on a bad file
    every bad row's problem in Chinese above the form (nothing written); done: back to the register."""
    row_errors: list[str] = []
    form = ImportForm()
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = service(content=upload.read(), filename=upload.name, **kwargs)
            except ImportRowsError as error:
                row_errors = error.row_errors
            else:
                messages.success(
                    request,
                    _("Imported: %(created)s new, %(updated)s updated.")
                    % {"created": report["created"], "updated": report["updated"]},
                )
                return redirect(done_url)
    context = {"form": form, "row_errors": row_errors, "title": title, "intro": intro, "template_url": template_url}
    return render(request, "xuncha/import.html", context)


def import_template_page(request: HttpRequest, *, content: bytes, name: str) -> HttpResponse:
    """An import's template download (tenants.kernel.imports.import_template), named for the office."""
    code = request.tenant.code  # type: ignore[attr-defined]  # set by django-tenants' middleware
    return file_response(content, content_type=XLSX, filename=f"{name}-import-template-{code}.xlsx")
