"""Web pages for feedback and rectification: thin, every change through tenants.rectification.services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shared.accounts.models import Role
from tenants.attachments.selectors import attachments_by_record
from tenants.kernel.access import is_office, is_reader, require
from tenants.kernel.documents import DOCX, XLSX
from tenants.kernel.files import file_response
from tenants.kernel.lookups import get_or_404
from tenants.kernel.roles import TEAM_ROLES
from tenants.kernel.views import paginated, require_post, run_service
from tenants.ledger.views import LedgerPage
from tenants.office.models import OfficeSettings
from tenants.rectification import documents, selectors, services
from tenants.rectification.models import ItemStatus, ReceiptParty, StatusThresholds, SubmissionKind, SupervisedItem
from tenants.reminders.views import notices_read_here
from tenants.rounds.access import round_scope
from tenants.rounds.models import Round
from tenants.targets.models import Target
from xuncha.clearance import visible_to


def _require_viewer(access):
    require(is_office(access) or is_reader(access) or access.has_role(*TEAM_ROLES, Role.UNIT_LIAISON))


def _coloured(items, today, yellow, access=None, user=None):
    """Items with their colour, the county's progress and what this person may do on each (the forms shown)."""
    items = list(items)
    progress = selectors.county_progress(items=items, access=access) if access is not None else {}
    files = attachments_by_record(records=items)
    separated = OfficeSettings.current().duties_separated
    for item in items:
        item.may_act_for_unit = user is not None and services.may_act_for_unit(
            actor=user, access=access, feedback=item.feedback
        )
        item.may_verify = user is not None and services.may_verify(actor=user, access=access, feedback=item.feedback)
        item.colour = services.status_colour(
            due=item.due_date, done=item.status == ItemStatus.CLOSED, today=today, yellow_within_days=yellow
        )
        item.county_progress = progress.get(item.pk)
        item.attachments = files.get(str(item.pk), [])
        # the evidence's submitter sees why there is no verify button (separation of duties)
        item.verify_refused = user is not None and services.item_verification_refused_to(
            item=item, actor=user, separated=separated
        )
    return items


def _section_rounds(access):
    """Rounds whose section (rectification/rounds/<id>/) this person may open."""
    return Round.objects.filter(classification__lte=access.clearance)


def index(request):
    access = request.org_access
    _require_viewer(access)
    today, yellow = timezone.localdate(), StatusThresholds.current().yellow_within_days
    feedback_page = paginated(request, selectors.feedback_list(actor=request.user, access=access), param="feedbacks")
    item_page = paginated(request, selectors.item_list(actor=request.user, access=access), param="items")
    feedbacks = list(feedback_page)
    # The new-feedback form offers the rounds heard by the leading group that this person may give feedback in.
    rounds = [
        round
        for round in visible_to(Round.objects.filter(state__in=services.FEEDBACK_STATES), access, round_field="id")[:50]
        if services.may_give_feedback(actor=request.user, access=access, round=round)
    ]
    return render(
        request,
        "rectification/index.html",
        {
            "feedbacks": feedbacks,
            "section_round_ids": _linkable_rounds(access, feedbacks),
            "items": _coloured(item_page, today, yellow, access, request.user),
            "feedback_page": feedback_page,
            "item_page": item_page,
            "yellow": yellow,
            "may_create": bool(rounds),
            "rounds": rounds,
            "targets": visible_to(
                Target.objects.filter(team_assignments__round__in=rounds), access, target_field="id"
            ).distinct()[:200],
        },
    )


def _linkable_rounds(access, feedbacks) -> set[int]:
    return set(_section_rounds(access).filter(pk__in={f.round_id for f in feedbacks}).values_list("pk", flat=True))


def round_section(request, round_id):
    """The later steps of a round (feedback, rectification) — linked from the round page."""
    access = request.org_access
    _require_viewer(access)
    round = get_or_404(_section_rounds(access), round_id)
    feedbacks = (
        selectors.feedback_list(actor=request.user, access=access)
        .filter(round=round)
        .annotate(item_total=Count("items"), item_closed=Count("items", filter=Q(items__status=ItemStatus.CLOSED)))
    )
    scope = round_scope(actor=request.user, access=access)
    may_create = round.state in services.FEEDBACK_STATES and services.may_give_feedback(
        actor=request.user, access=access, round=round
    )
    return render(
        request,
        "rectification/round.html",
        {
            "round": round,
            "feedbacks": feedbacks,
            "may_report": scope is None or round.pk in scope,
            "may_create": may_create,
            "feedback_open": round.state in services.FEEDBACK_STATES,
            # the new-feedback form offers the round's units that have none yet
            "targets": Target.objects.filter(team_assignments__round=round).exclude(feedbacks__round=round)
            if may_create
            else [],
        },
    )


def feedback_create(request):
    require_post(request)
    post, back = request.POST, reverse("rectification:index")
    round = get_or_404(visible_to(Round.objects.all(), request.org_access, round_field="id"), post.get("round"))
    if post.get("from") == "round":  # the form on the round's own section: errors are shown there
        back = reverse("rectification:round", args=[round.pk])
    target = get_or_404(visible_to(Target.objects.all(), request.org_access, target_field="id"), post.get("target"))
    feedback, response = run_service(
        request,
        services.feedback_create,
        success=_("Feedback recorded."),
        redirect_to=back,
        dates={name: post.get(name) for name in ("leadership_delivered_on", "principal_delivered_on")},
        actor=request.user,
        access=request.org_access,
        round=round,
        target=target,
        leadership_content=post.get("leadership_content", ""),
        principal_content=post.get("principal_content", ""),
    )
    return redirect(reverse("rectification:feedback", args=[feedback.pk])) if feedback else response


@notices_read_here
def feedback_detail(request, pk):
    access = request.org_access
    _require_viewer(access)
    feedback = get_or_404(selectors.feedback_list(actor=request.user, access=access), pk)
    today, yellow = timezone.localdate(), StatusThresholds.current().yellow_within_days
    signatures = {s.party: s for s in feedback.receipt_signatures.all()}
    submissions = {s.kind: s for s in feedback.submissions.all()}
    submission_files = attachments_by_record(records=submissions.values())
    for submission in submissions.values():
        submission.attachments = submission_files.get(str(submission.pk), [])
    user = request.user
    return render(
        request,
        "rectification/feedback.html",
        {
            "feedback": feedback,
            "today": today.isoformat(),  # a signature is never dated ahead
            "section_round_ids": _linkable_rounds(access, [feedback]),
            "receipt": [
                (
                    value,
                    label,
                    signatures.get(value),
                    services.may_sign_receipt(actor=user, access=access, feedback=feedback, party=value),
                )
                for value, label in ReceiptParty.choices
            ],
            "may_add_items": services.may_add_items(actor=user, access=access, feedback=feedback),
            "may_act_for_unit": services.may_act_for_unit(actor=user, access=access, feedback=feedback),
            "may_verify": services.may_verify(actor=user, access=access, feedback=feedback),
            "submission_rows": [(value, label, submissions.get(value)) for value, label in SubmissionKind.choices],
            "plan_colour": services.status_colour(
                due=feedback.plan_due, done=SubmissionKind.PLAN in submissions, today=today, yellow_within_days=yellow
            ),
            "report_colour": services.status_colour(
                due=feedback.report_due,
                today=today,
                yellow_within_days=yellow,
                done={SubmissionKind.REPORT, SubmissionKind.PRINCIPAL_REPORT} <= set(submissions),
            ),
            "items": _coloured(
                selectors.item_list(actor=request.user, access=access, feedback_id=feedback.pk),
                today,
                yellow,
                access,
                request.user,
            ),
            "counties": request.tenant.children.order_by("code"),
        },
    )


def feedback_step(request, pk, step):
    require_post(request)
    access, post = request.org_access, request.POST
    feedback = get_or_404(selectors.feedback_list(actor=request.user, access=access), pk)
    back = reverse("rectification:feedback", args=[feedback.pk])
    if step == "sign":
        return run_service(
            request,
            services.receipt_sign,
            success=_("Signature recorded."),
            redirect_to=back,
            dates={"signed_on": post.get("signed_on")},
            actor=request.user,
            access=access,
            feedback=feedback,
            party=post.get("party", ""),
            signer_name=post.get("signer_name", ""),
        )[1]
    if step == "submit":
        return run_service(
            request,
            services.submission_submit,
            success=_("Submitted."),
            redirect_to=back,
            actor=request.user,
            access=access,
            feedback=feedback,
            kind=post.get("kind", ""),
            content=post.get("content", ""),
            files=request.FILES.getlist("files"),
        )[1]
    if step == "items":
        item = {
            key: post.get(key, "")
            for key in ("problem", "task", "responsible_unit", "responsible_person", "assignee_org_code")
        }

        def item_add(*, due_date, **kwargs):  # the one posted line, with its date parsed by run_service
            return services.rectification_items_add(items=[{**item, "due_date": due_date}], **kwargs)

        return run_service(
            request,
            item_add,
            success=_("Item added."),
            redirect_to=back,
            dates={"due_date": post.get("due_date")},
            actor=request.user,
            access=access,
            feedback=feedback,
        )[1]
    raise PermissionDenied


def item_step(request, pk, step):
    require_post(request)
    access, post = request.org_access, request.POST
    item = get_or_404(selectors.item_list(actor=request.user, access=access), pk)
    back = reverse("rectification:feedback", args=[item.feedback_id])
    if step == "evidence":
        return run_service(
            request,
            services.item_submit_evidence,
            success=_("Evidence submitted."),
            redirect_to=back,
            actor=request.user,
            access=access,
            item=item,
            evidence=post.get("evidence", ""),
            files=request.FILES.getlist("files"),
        )[1]
    if step in ("accept", "reject"):
        return run_service(
            request,
            services.item_verify,
            success=_("Verification recorded."),
            redirect_to=back,
            actor=request.user,
            access=access,
            item=item,
            accept=step == "accept",
            note=post.get("note", ""),
        )[1]
    raise PermissionDenied


def ledger(request):
    access = request.org_access
    _require_viewer(access)
    items = selectors.item_list(actor=request.user, access=access).order_by("feedback__round_id", "feedback_id", "id")
    if request.GET.get("round"):  # one round's ledger (linked from the round's section)
        try:
            items = items.filter(feedback__round_id=int(request.GET["round"]))
        except ValueError:
            raise Http404 from None
    content = documents.rectification_ledger_xlsx(
        items=items, yellow_within_days=StatusThresholds.current().yellow_within_days
    )
    return file_response(content, content_type=XLSX, filename="rectification-ledger.xlsx")


def document(request, pk, name):
    access = request.org_access
    _require_viewer(access)
    feedback = get_or_404(selectors.feedback_list(actor=request.user, access=access), pk)
    if name == "feedback-notice.docx":
        content = documents.feedback_notice_docx(feedback=feedback)
    elif name == "rectification-notice.docx":
        content = documents.rectification_notice_docx(feedback=feedback)
    else:
        raise PermissionDenied
    return file_response(content, content_type=DOCX, filename=name)


def round_report(request, round_id):
    access = request.org_access
    scope = round_scope(actor=request.user, access=access)
    require(is_office(access) or is_reader(access) or (scope is not None and round_id in scope))
    round = get_or_404(Round.objects.filter(classification__lte=access.clearance), round_id)
    return file_response(
        documents.round_report_docx(round=round), content_type=DOCX, filename=f"round-report-{round.pk}.docx"
    )


SUPERVISED_PAGE = LedgerPage(
    model=SupervisedItem,
    title=gettext_lazy("Supervised rectification items"),
    intro=gettext_lazy(
        "Rectification items of the city assigned to us. Our progress is reported to the city; the city closes "
        "each item by its own verification. Yellow within %(yellow)s days of the due date; red when overdue."
    ),
    withdrawn_intro=gettext_lazy(
        "The city no longer shares these items with us: their content is no longer kept here, only our own progress."
    ),
    headers=(gettext_lazy("Unit"), gettext_lazy("Problem"), gettext_lazy("Task"), gettext_lazy("Due")),
    cells="rectification/_supervised_cells.html",
    progress="rectification/_supervised_progress.html",
    fields="rectification/_supervised_fields.html",
    own_fields=("responsible_person", "progress_note"),
    route="rectification/supervised/",
    report="progress",
    url_name="rectification:supervised",
    row_attribute="item",
    yellow_within_days=services.yellow_within_days,
    panel_description=gettext_lazy(
        "The city's rectification items assigned to us: deadlines, our progress reported up"
    ),
    panel_order=61,
)
