"""Pages of reporting: the city's filings, hearing records, summaries and county oversight; the
province's inbox of filings. Thin: check the role, call a selector or a service, render."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenants.attachments.selectors import attachments_by_record
from tenants.attachments.travel import received_files
from tenants.audit.services import audit_records_read
from tenants.findings.selectors import reported_major_finding_list
from tenants.kernel.views import form_submit, paginated, role_required, run_service
from tenants.reminders.views import notices_read_here
from tenants.reports import charts, exports, selectors, services, summaries
from tenants.reports.forms import DecisionForm, FilingForm, HearingRecordForm, PeriodForm, RefileForm
from tenants.reports.selectors import CITY_FILING_ROLES, CITY_REPORTING_ROLES, PROVINCE_DECIDING_ROLES, PROVINCE_ROLES
from tenants.reports.sharing import filing_snapshot
from tenants.rounds.models import Round

# --- city: filings ---------------------------------------------------------------------------


@role_required(roles=CITY_REPORTING_ROLES, kinds=("city",))
def filing_list(request):
    return render(
        request,
        "reports/filing_list.html",
        {
            "filings": paginated(request, selectors.filing_list(access=request.org_access)),
            "may_file": request.org_access.has_role(*CITY_FILING_ROLES),
        },
    )


@role_required(roles=CITY_FILING_ROLES, kinds=("city",))
def filing_new(request):
    form = FilingForm(request.POST or None, access=request.org_access)

    def submit(data):
        kind, subject_id = data["subject"]
        return services.filing_submit(
            kind=kind,
            subject_id=subject_id,
            period=data["period"],
            note=data["note"],
            actor=request.user,
            organization=request.tenant,
            files=request.FILES.getlist("files"),
        )

    saved = form_submit(
        request,
        form,
        submit,
        success=_("Filed with the province."),
        redirect_to=lambda filing: reverse("reports-filing", args=[filing.pk]),
    )
    if saved:
        return saved
    return render(request, "reports/filing_new.html", {"form": form})


@role_required(roles=CITY_REPORTING_ROLES, kinds=("city",))
@notices_read_here
def filing_detail(request, pk: int):
    filing = selectors.filing_get(access=request.org_access, pk=pk)
    if filing is None:
        raise Http404
    can_refile = filing.status == "returned" and request.org_access.has_role(*CITY_FILING_ROLES)
    return render(
        request,
        "reports/filing_detail.html",
        {
            "filing": filing,
            "attachments": attachments_by_record(records=[filing]).get(str(filing.pk), []),
            "revisions": filing.revisions.all(),
            "refile_form": RefileForm() if can_refile else None,
            "source_links": _source_links(filing, request.tenant.route) if can_refile else [],
            "layout": exports.filing_layout(
                body=_filing_body(filing),
                source_name=request.tenant.name,
                status=filing.status,
                status_comment=filing.status_comment,
            ),
        },
    )


# Where a returned filing is corrected: its source record's page(s), by the subject's kind.
_SOURCE_PAGES = {
    "term_plan": [("plans/multi_year/{id}/", gettext_lazy("The term plan"))],
    "annual_plan": [("plans/annual/{id}/", gettext_lazy("The annual plan"))],
    "phase_schedule": [("plans/phase/{id}/", gettext_lazy("The phase schedule"))],
    "round": [
        ("rounds/{id}/", gettext_lazy("The round and its teams")),
        ("findings/?round={id}", gettext_lazy("Findings")),
        ("reports/hearings/", gettext_lazy("Hearing records")),
    ],
    "hearing": [("reports/hearings/", gettext_lazy("Hearing records"))],
}


def _source_links(filing, route: str) -> list[tuple[str, str]]:
    kind, _sep, subject_id = filing.subject.partition(":")
    return [(route + path.format(id=subject_id), label) for path, label in _SOURCE_PAGES.get(kind, [])]


def _filing_body(filing) -> dict:
    return filing_snapshot(filing)


@require_POST
@role_required(roles=CITY_FILING_ROLES, kinds=("city",))
def filing_refile(request, pk: int):
    filing = selectors.filing_get(access=request.org_access, pk=pk)
    if filing is None:
        raise Http404
    form = RefileForm(request.POST)
    form.is_valid()
    return run_service(
        request,
        services.filing_refile,
        success=_("Corrected and filed again as a new revision."),
        redirect_to=reverse("reports-filing", args=[filing.pk]),
        filing=filing,
        actor=request.user,
        organization=request.tenant,
        note=form.cleaned_data.get("note", ""),
    )[1]


@role_required(roles=CITY_REPORTING_ROLES, kinds=("city",))
def filing_export(request, pk: int, fmt: str):
    return filing_file_response(request, pk, fmt)


def filing_file_response(request, pk: int, fmt: str):
    """One filing as a file in `fmt` (the page's and the API's download; each checks the role first)."""
    filing = selectors.filing_get(access=request.org_access, pk=pk)
    if filing is None:
        raise Http404
    layout = exports.filing_layout(
        body=_filing_body(filing),
        source_name=request.tenant.name,
        status=filing.status,
        status_comment=filing.status_comment,
    )
    return exports.filing_file(layout, fmt=fmt, filename=f"filing-{filing.pk}-v{filing.revision}")


# --- city: hearing records -------------------------------------------------------------------


@role_required(roles=CITY_REPORTING_ROLES, kinds=("city", "county"))
def hearing_records(request):
    form = HearingRecordForm(request.POST or None)
    if request.method == "POST":
        if not request.org_access.has_role(*CITY_FILING_ROLES):
            raise PermissionDenied
        saved = form_submit(
            request,
            form,
            lambda data: services.hearing_record_create(
                round_id=int(data["round"]),
                actor=request.user,
                **{k: data[k] for k in ("heard_on", "chaired_by", "attendees", "decisions")},
            ),
            success=_("Hearing record saved."),
            redirect_to="reports-hearings",
        )
        if saved:
            return saved
    return render(
        request,
        "reports/hearing_records.html",
        {"form": form, "records": paginated(request, selectors.hearing_record_list(access=request.org_access))},
    )


# --- summaries and oversight -------------------------------------------------------------------


@role_required(roles=CITY_REPORTING_ROLES, kinds=("city", "county"))
def summary(request):
    form = PeriodForm(request.GET or None)
    period = (request.GET.get("period") or str(timezone.localdate().year)).strip()
    context = {"form": form, "period": period}
    try:
        combined = summaries.combined_period_summary(organization=request.tenant, period=period)
    except ValidationError as error:
        context["error"] = " ".join(error.messages)
        return render(request, "reports/summary.html", context, status=400)

    visible = [
        r
        for r in summaries.rounds_in_period(period=period).order_by("onsite_start", "id")
        if r.classification <= request.org_access.clearance
    ]
    by_round = summaries.summaries_by_round(round_ids=[r.pk for r in visible])
    rounds = [(r, by_round[r.pk]) for r in visible]
    context.update(
        combined=combined,
        rounds=rounds,
        count_labels=exports.COUNT_LABELS,
        Round=Round,
        rows=[
            (
                key,
                label,
                getattr(combined.own, key, None)
                if key != "rectification_completion"
                else combined.own.rectification_completion,
                getattr(combined.total, key, None)
                if key != "rectification_completion"
                else combined.total.rectification_completion,
            )
            for key, label in exports.COUNT_LABELS
        ],
    )
    return render(request, "reports/summary.html", context)


def oversight_year(request) -> int:
    """The year of the oversight's statistics: `?year=` when it is a number, else this year (the page and the API)."""
    year = timezone.localdate().year
    if (request.GET.get("year") or "").isdigit():
        year = int(request.GET["year"])
    return year


# The county section (charts, table, trends) of a city's oversight is the same for every reader of the city: it is
# made of count-only replicas. Kept per city, year and language, keyed on the counties' newest arrivals: any new
# arrival, withdrawal or county makes a new key. A page then reads two statements for it instead of six and renders
# only the major findings (per reader: clearance, audited) around it.
OVERSIGHT_SECTION_SECONDS = 300


def _oversight_section(request, *, year: int) -> tuple[str, dict[str, str]]:
    arrivals = selectors.oversight_arrivals(organization=request.tenant)
    key = (
        "reports-oversight:"
        + hashlib.sha256(
            repr(
                (
                    request.tenant.schema_name,
                    year,
                    get_language(),
                    arrivals.counties,
                    sorted((code, at.isoformat()) for code, at in arrivals.last_sync.items()),
                )
            ).encode()
        ).hexdigest()
    )
    section = cache.get(key)
    if section is None:
        rows = selectors.oversight_rows(organization=request.tenant, year=year, arrivals=arrivals)
        section = render_to_string(
            "reports/_oversight_counties.html",
            {
                "rows": rows,
                "charts": charts.oversight_charts(rows),
                "trends": [(row, charts.trend_chart(row)) for row in rows],
            },
            request=request,
        )
        cache.set(key, section, OVERSIGHT_SECTION_SECONDS)
    return mark_safe(section), dict(arrivals.counties)  # rendered by the template above: escaped there


@role_required(roles=CITY_REPORTING_ROLES, kinds=("city",))
def oversight(request):
    year = oversight_year(request)
    section, names = _oversight_section(request, year=year)
    major_findings = paginated(
        request, reported_major_finding_list(access=request.org_access, sources=names), param="findings"
    )
    audit_records_read(records=major_findings.object_list, request=request)  # the classified ones shown
    return render(
        request,
        "reports/oversight.html",
        {
            "county_section": section,
            "year": year,
            "major_findings": [(replica, names[replica.source]) for replica in major_findings],
            "major_findings_page": major_findings,
        },
    )


@role_required(roles=CITY_REPORTING_ROLES, kinds=("city",))
def oversight_county(request, code: str):
    """One county as the city may see it: its live figures, its rounds and its open overdue items, all
    from what it sent up (replicas), up to the reader's clearance."""
    row = selectors.county_oversight_get(organization=request.tenant, code=code, year=oversight_year(request))
    if row is None:
        raise Http404
    rounds_page = paginated(request, selectors.county_rounds(access=request.org_access, code=code), param="rounds")
    audit_records_read(records=rounds_page.object_list, request=request)
    notices = paginated(
        request, selectors.county_overdue_notices(access=request.org_access, code=code), param="notices"
    )
    today = timezone.localdate().isoformat()
    return render(
        request,
        "reports/oversight_county.html",
        {
            "row": row,
            "trend": charts.trend_chart(row),
            "rounds": [selectors.county_round_row(replica=replica, today=today) for replica in rounds_page],
            "rounds_page": rounds_page,
            "notices": notices,
        },
    )


# --- province: inbox -----------------------------------------------------------------------------


@role_required(roles=PROVINCE_ROLES, kinds=("province",))
def inbox(request):
    return render(request, "reports/inbox.html", {"items": selectors.received_filing_list(access=request.org_access)})


@role_required(roles=PROVINCE_ROLES, kinds=("province",))
def inbox_detail(request, source: str, key: str):
    item = selectors.received_filing_get(access=request.org_access, source=source, key=str(key))
    if item is None:
        raise Http404
    can_decide = (
        item.receipt is not None
        and item.receipt.status == "received"
        and request.org_access.has_role(*PROVINCE_DECIDING_ROLES)
    )
    form = DecisionForm(request.POST or None, initial={"revision": item.body.get("revision")})
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        saved = form_submit(
            request,
            form,
            lambda data: services.filing_decide(
                receipt=item.receipt,
                status=data["status"],
                comment=data["comment"],
                actor=request.user,
                revision=data["revision"],
            ),
            success=_("Your answer was sent to the city."),
            redirect_to=request.path,
        )
        if saved:
            return saved
    layout = exports.filing_layout(
        body=item.body,
        source_name=item.source_name,
        status=item.status,
        status_comment=item.receipt.comment if item.receipt else "",
    )
    files = received_files(replicas=[item.replica], clearance=request.org_access.clearance)
    return render(
        request,
        "reports/inbox_detail.html",
        {
            "item": item,
            "layout": layout,
            "form": form if can_decide else None,
            "attachments": files.get((item.replica.source, item.replica.record_key), []),
        },
    )


@role_required(roles=PROVINCE_ROLES, kinds=("province",))
def inbox_export(request, source: str, key: str, fmt: str):
    return inbox_file_response(request, source, key, fmt)


def inbox_file_response(request, source: str, key, fmt: str):
    """A received filing as a file in `fmt` (the province's page and API download; each checks the role first)."""
    item = selectors.received_filing_get(access=request.org_access, source=source, key=str(key))
    if item is None:
        raise Http404
    layout = exports.filing_layout(
        body=item.body,
        source_name=item.source_name,
        status=item.status,
        status_comment=item.receipt.comment if item.receipt else "",
    )
    return exports.filing_file(layout, fmt=fmt, filename=f"filing-{source}-v{item.body.get('revision')}")
