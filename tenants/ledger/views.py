"""The county ledger's pages (督办台账): one list page and one report form for every kind of ledger row,
each kind described by a LedgerPage its app passes in its URLconf."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.attachments.registry import OWNERS
from tenants.attachments.selectors import attachments_by_record
from tenants.kernel.access import is_office, is_reader, require
from tenants.kernel.lookups import get_or_404
from tenants.kernel.views import paginated, require_post, run_service
from tenants.ledger.selectors import ledger_list
from tenants.ledger.services import ledger_progress_report, status_colour


@dataclass(frozen=True)
class LedgerPage:
    """How one kind of ledger row is shown (tenants/ledger/templates/ledger/ledger.html)."""

    model: type  # the ledger row (a FromSuperior)
    title: str  # lazy translations, from here down
    intro: str  # may use %(yellow)s, the threshold in days
    withdrawn_intro: str
    headers: tuple  # the columns before "At the city", the due date last
    cells: str  # template of those cells for one row `r`
    progress: str  # template of "Our progress" for `r`
    fields: str  # template of the report form's own fields for `r`
    own_fields: tuple[str, ...]  # the form fields posted to ledger_progress_report besides status and date
    route: str  # the list page's path ("rectification/supervised/"); the report form's is <route><pk>/<report>/
    report: str
    url_name: str  # the list page's URL name, "namespace:name"; the report form's is "<namespace:name>-report"
    row_attribute: str  # the rows' data-<row_attribute>; the tables are "<name>-<row_attribute>s", "<name>-withdrawn"
    yellow_within_days: Callable[[], int]
    panel_description: str  # the county home page's panel (titled like the page)
    panel_order: int
    label_header: str = ""  # the withdrawn table's column naming each row (its `label`), if any

    @property
    def list_url(self) -> str:
        return self.url_name

    @property
    def report_url(self) -> str:
        # not "-<report>": the API router names its own actions "<basename>-<action>" in the same namespace
        return f"{self.url_name}-report"

    @property
    def testid(self) -> str:
        return f"{self.url_name.split(':')[-1]}-{self.row_attribute}s"

    @property
    def withdrawn_testid(self) -> str:
        return f"{self.url_name.split(':')[-1]}-withdrawn"


def ledger_page(request, *, page: LedgerPage, refusal: dict | None = None):
    """A county's ledger of one kind: red/yellow/green by the due date, the superior's status, our
    progress and (office) the form reporting it up; with `refusal` (a report refused), that row's form
    again as it was posted, the reasons beside its fields."""
    access = request.org_access
    require(is_office(access) or is_reader(access))
    today, yellow = timezone.localdate(), page.yellow_within_days()
    rows = paginated(request, ledger_list(model=page.model, access=access))
    files = attachments_by_record(records=rows) if page.model._meta.label_lower in OWNERS else {}
    for row in rows:
        row.colour = status_colour(due=row.deadline, done=row.is_done, today=today, yellow_within_days=yellow)
        row.attachments = files.get(str(row.pk), [])
        row.form_row = row  # what the report form shows
        if refusal is not None and row.pk == refusal["pk"]:
            row.refusal = refusal["messages"]
            row.form_row = copy.copy(row)  # what was typed, kept in the form only (nothing of it was saved)
            for name in page.own_fields:
                setattr(row.form_row, name, refusal["posted"].get(name, ""))
    return render(
        request,
        "ledger/ledger.html",
        {
            "page": page,
            "intro": page.intro % {"yellow": yellow},
            "rows": rows,
            "withdrawn": paginated(
                request, ledger_list(model=page.model, access=access, withdrawn=True), param="withdrawn"
            ),
            "statuses": page.model.status_choices(),
            "done_field": page.model.DONE_ON_FIELD,
            "may_report": is_office(access),
        },
    )


def ledger_report_page(request, pk, *, page: LedgerPage):
    require_post(request)
    access, post = request.org_access, request.POST
    done_field = page.model.DONE_ON_FIELD
    record = get_or_404(ledger_list(model=page.model, access=access), pk)
    return run_service(
        request,
        ledger_progress_report,
        success=_("Progress reported."),
        redirect_to=reverse(page.list_url),
        refused=lambda error: ledger_page(
            request, page=page, refusal={"pk": record.pk, "messages": error.messages, "posted": post}
        ),
        actor=request.user,
        access=access,
        record=record,
        status=post.get("status", ""),
        dates={done_field: post.get(done_field)},
        files=request.FILES.getlist("files"),
        **{name: post.get(name, "") for name in page.own_fields},
    )[1]


def ledger_paths(page: LedgerPage) -> list:
    """The URL patterns of one kind's ledger page and report form (in its app's URLconf and namespace)."""
    return [
        path(page.route, ledger_page, {"page": page}, name=page.list_url.split(":")[-1]),
        path(
            f"{page.route}<int:pk>/{page.report}/",
            ledger_report_page,
            {"page": page},
            name=page.report_url.split(":")[-1],
        ),
    ]
