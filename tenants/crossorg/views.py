"""The page of what this organisation (and this person) sees of elevated, cross-county and linked work (its
API: api.py). Thin: selectors decide visibility."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shared.grants.selectors import grants_active_for_user, grants_open_elsewhere
from tenants.crossorg import campaigns, selectors, setup, steering
from tenants.crossorg.documents import answer_label
from tenants.crossorg.forms import CampaignForm, CrossRoundForm, ElevatedRoundForm, OrganisedRoundEditForm, _CityForm
from tenants.crossorg.replies import campaign_decline
from tenants.crossorg.services import campaign_instantiate
from tenants.experts.models import ConflictKind, Specialty
from tenants.kernel.files import file_response
from tenants.kernel.roles import MANAGERS, can_manage, can_oversee
from tenants.kernel.views import form_submit, role_required, run_service
from tenants.reminders.views import notices_read_here
from tenants.rounds.models import Team
from tenants.rounds.sections import round_section_register
from tenants.targets.models import TargetLevel
from xuncha import home_panels

CAMPAIGN_EDIT_FIELDS = ("title", "topic", "summary", "start_date", "end_date", "county_codes")


def overview_page(request):
    data = selectors.overview(actor=request.user, access=request.org_access)
    # dates as dates, shown in the page's language
    data["notices"] = [
        (notice, parse_date(notice.text("start_date")), parse_date(notice.text("end_date")))
        for notice in data.get("notices", [])
    ]
    data["campaign_rows"] = [
        (replica, answer, parse_date(replica.text("start_date")), parse_date(replica.text("end_date")))
        for replica, answer in data.get("campaign_rows", [])
    ]
    return render(request, "crossorg/overview.html", data)


@require_POST
def campaign_instantiate_page(request, replica_id: int):
    if not request.org_access.has_role(*MANAGERS):
        raise PermissionDenied
    replica = selectors.campaign_received_get(access=request.org_access, replica_id=replica_id)
    if replica is None:
        raise Http404
    return run_service(
        request,
        campaign_instantiate,
        success=_("The campaign's round has been created."),
        redirect_to=reverse("crossorg-campaign-received", kwargs={"replica_id": replica.pk}),
        dates={"onsite_start": request.POST.get("onsite_start"), "onsite_end": request.POST.get("onsite_end")},
        replica=replica,
        name=request.POST.get("name", "").strip() or replica.body["title"],
        actor=request.user,
    )[1]


def crossorg_panel(request):
    access = getattr(request, "org_access", None)
    if access is None or not access.roles:
        return None
    return home_panels.Panel(
        title=str(gettext_lazy("Elevated, cross-county and linked")),
        url=reverse("crossorg-overview"),
        description=str(gettext_lazy("提级、交叉、联动巡察")),
        order=45,
    )


home_panels.register(crossorg_panel)


def granted_work_panel(request):
    """At home, a cross-county team member finds the way to the organisation whose targets the team
    inspects (a grant, not a membership: it shows only while the on-site window is open)."""
    if not getattr(request.user, "is_authenticated", False) or getattr(request, "org_access", None) is None:
        return None
    if not grants_open_elsewhere(person=request.user, organization_id=request.tenant.pk):
        return None
    grant = grants_active_for_user(person=request.user).exclude(organization_id=request.tenant.pk).first()
    if grant is None:
        return None
    return home_panels.Panel(
        title=str(_("Cross-county inspection: %(org)s") % {"org": grant.organization.name}),
        url=f"{grant.organization.route}crossorg/",
        order=5,
        description=str(
            _("Your team's assigned targets there, open until %(end)s.")
            % {"end": date_format(grant.ends_on, "DATE_FORMAT")}
        ),
    )


home_panels.register(granted_work_panel)


def campaigns_waiting_panel(request):
    """At a county's home, for its office: the city's campaigns not answered yet (started or declined)."""
    access = getattr(request, "org_access", None)
    if request.tenant.kind != "county" or access is None or not access.has_role(*MANAGERS):
        return None
    received = selectors.campaigns_received(access=access)
    answers = selectors.campaign_answers(replicas=received)
    waiting = [replica for replica in received if replica.pk not in answers and not replica.body.get("closed_on")]
    if not waiting:
        return None
    return home_panels.Panel(
        title=str(_("Unified campaigns to answer (%(count)s)") % {"count": len(waiting)}),
        url=reverse("crossorg-campaign-received", args=[waiting[0].pk])
        if len(waiting) == 1
        else reverse("crossorg-overview"),
        description="、".join(replica.text("title") for replica in waiting[:3]),
        order=6,
    )


home_panels.register(campaigns_waiting_panel)


@require_POST
def campaign_decline_page(request, replica_id: int):
    """A county says why it cannot run the city's campaign (the reason goes up to the city)."""
    if not request.org_access.has_role(*MANAGERS):
        raise PermissionDenied
    replica = selectors.campaign_received_get(access=request.org_access, replica_id=replica_id)
    if replica is None:
        raise Http404
    return run_service(
        request,
        campaign_decline,
        success=_("The city has been told why the county cannot run this campaign."),
        redirect_to=reverse("crossorg-campaign-received", kwargs={"replica_id": replica.pk}),
        replica=replica,
        reason=request.POST.get("reason", ""),
        actor=request.user,
    )[1]


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def _region(code: str, names: dict[str, str]) -> str:
    """A county's name for its own code; a township's or village's longer code as it is (行政区划代码)."""
    return names.get(code, code)


@role_required(can_manage)
def registries_page(request):
    """The city office's view of its counties' registries (units and pool), as the replicas hold them."""

    counties = list(selectors.city_counties(organization=request.tenant))
    if not counties:
        raise Http404
    codes = [county.code for county in counties]
    names = {county.code: county.name for county in counties}
    names[request.tenant.code] = request.tenant.name
    code = request.GET.get("county", "")
    county = counties[codes.index(code)] if code in codes else counties[0]
    access = request.org_access
    units = [
        {
            "name": replica.body.get("name", ""),
            "level": _label(TargetLevel, replica.body.get("level", "")),
            "region": _region(replica.body.get("region_code", ""), names),
            "leaders": "、".join(
                f"{leader['name']}（{leader['post']}）" for leader in replica.body.get("leaders") or []
            ),
        }
        for replica in selectors.registry_units(access=access, county_code=county.code)
    ]
    people = [
        {
            "name": replica.body.get("name", ""),
            "unit": replica.body.get("unit", ""),
            "post": replica.body.get("post", ""),
            "home_region": _region(replica.body.get("home_region_code", ""), names),
            "specialty": _label(Specialty, replica.body.get("specialty", "")),
            "relations": "、".join(
                f"{relation['unit']}（{_label(ConflictKind, relation['kind'])}）"
                for relation in replica.body.get("relations") or []
            ),
        }
        for replica in selectors.registry_people(access=access, county_code=county.code)
    ]
    return render(
        request, "crossorg/registries.html", {"counties": counties, "county": county, "units": units, "people": people}
    )


# --- set-up from the city's page (issue 12): forms, then the same services through the API ---------------


def _city_only(request) -> None:
    if request.tenant.kind != "city":
        raise Http404


def _setup_page(
    request, *, form_class, template: str, save, initial=None, context=None, form_kwargs=None, saved_url=None
):
    """GET shows the form; POST runs `save(cleaned_data)` (a setup service) and shows its refusals next to the
    fields they concern; saved, back to `saved_url` (default: the overview)."""
    _city_only(request)
    kwargs = {"access": request.org_access, "organization": request.tenant} if issubclass(form_class, _CityForm) else {}
    kwargs.update(form_kwargs or {})
    form = form_class(request.POST or None, request.FILES or None, initial=initial, **kwargs)
    saved = form_submit(request, form, save, success=_("Saved."), redirect_to=saved_url or reverse("crossorg-overview"))
    if saved:
        return saved
    return render(request, template, {"form": form, **(context or {})})


def _new_page(*, form_class, template: str, service):
    """A set-up page creating one record through `service` (a setup service taking created_by)."""

    @role_required(can_manage)
    def page(request):
        return _setup_page(
            request, form_class=form_class, template=template, save=lambda data: service(actor=request.user, **data)
        )

    return page


cross_round_new_page = _new_page(
    form_class=CrossRoundForm, template="crossorg/cross_new.html", service=setup.cross_round_setup
)
elevated_round_new_page = _new_page(
    form_class=ElevatedRoundForm, template="crossorg/elevated_new.html", service=setup.elevated_round_setup
)
campaign_new_page = _new_page(
    form_class=CampaignForm, template="crossorg/campaign_edit.html", service=setup.campaign_setup
)


@role_required(can_manage)
def campaign_edit_page(request, pk: int):
    _city_only(request)
    campaign = get_object_or_404(selectors.campaign_list(access=request.org_access), pk=pk)
    return _setup_page(
        request,
        form_class=CampaignForm,
        template="crossorg/campaign_edit.html",
        initial={field: getattr(campaign, field) for field in CAMPAIGN_EDIT_FIELDS},
        save=lambda data: setup.campaign_update(campaign=campaign, actor=request.user, **data),
        context={"campaign": campaign, "files": selectors.campaign_files(campaign=campaign)},
    )


@role_required(can_manage)
def organised_round_edit_page(request, pk: int):
    _city_only(request)
    round = get_object_or_404(selectors.organised_rounds(actor=request.user, access=request.org_access), pk=pk)
    arrangement = getattr(round, "arrangement", None)
    return _setup_page(
        request,
        form_class=OrganisedRoundEditForm,
        template="crossorg/round_edit.html",
        initial={
            "name": round.name,
            "onsite_start": round.onsite_start,
            "onsite_end": round.onsite_end,
            "cooperation": arrangement.cooperation if arrangement else "",
        },
        save=lambda data: setup.organised_round_update(round=round, actor=request.user, **data),
        context={"round": round},
        form_kwargs={"kind": round.kind},
        saved_url=reverse("rounds-detail", args=[round.pk]),  # back to the round's page and its steering
    )


# --- steering a running elevated or cross-county round from its page (issue 12 point 4) -------------------


def steering_section(request, round):
    """The steering section of an elevated or cross-county round's page, for the city office only."""
    found = steering.round_steering(round=round, access=request.org_access)
    if found is None:
        return None
    return render_to_string("crossorg/_steering.html", {"steering": found, "round": round}, request=request)


round_section_register(steering_section)


def _steered(request, pk: int):
    _city_only(request)
    round = get_object_or_404(selectors.organised_rounds(actor=request.user, access=request.org_access), pk=pk)
    return round, get_object_or_404(Team, pk=request.POST.get("team") or 0, round=round)


def _steering_action(*, service, field: str, success: str):
    """A POST from the steering section: `service(round=, team=, <field>=, actor=)`, back to the round's page."""

    @require_POST
    @role_required(can_manage)
    def page(request, pk: int):
        round, team = _steered(request, pk)
        _done, response = run_service(
            request,
            service,
            success=success,
            redirect_to=reverse("rounds-detail", args=[round.pk]),
            round=round,
            team=team,
            actor=request.user,
            **{field: request.POST.get(field, "")},
        )
        return response

    return page


round_person_add_page = _steering_action(
    service=setup.organised_round_person_add,
    field="person",
    success=gettext_lazy("Added to the team; their access follows at once."),
)
round_unit_add_page = _steering_action(
    service=setup.organised_round_unit_add, field="unit", success=gettext_lazy("The unit is assigned to the team.")
)


# --- a unified campaign while it runs (issue 12 point 3): the county's page of it, the city's view per county ----


@notices_read_here
def campaign_received_page(request, replica_id: int):
    """County side: the campaign as the city sent it, our answer (our linked round, or why we cannot), and the
    forms to give it (the office)."""
    replica = selectors.campaign_received_get(access=request.org_access, replica_id=replica_id)
    if replica is None:
        raise Http404
    our_round = selectors.campaign_round_here(replica=replica)
    return render(
        request,
        "crossorg/campaign_received.html",
        {
            "replica": replica,
            "start_date": parse_date(replica.text("start_date")),
            "end_date": parse_date(replica.text("end_date")),
            "closed_on": parse_date(replica.text("closed_on")),
            "answer": selectors.campaign_received_answer(replica=replica),
            "our_round": our_round,
            # the round (name, stage, link) only to whoever may open it (not the unit liaison or the agency)
            "round_openable": our_round is not None
            and selectors.round_openable(round=our_round, actor=request.user, access=request.org_access),
            "reply": selectors.campaign_reply_here(replica=replica),
            "attachments": selectors.campaign_received_files(access=request.org_access, replica=replica),
            "may_answer": request.org_access.has_role(*MANAGERS),
        },
    )


def _city_campaign(request, pk: int):
    _city_only(request)
    return get_object_or_404(selectors.campaign_list(access=request.org_access), pk=pk)


@role_required(can_oversee)
def campaign_page(request, pk: int):
    """City side: each county's answer and its linked round's figures, live from the replicas it sends up."""
    campaign = _city_campaign(request, pk)
    reminded = selectors.campaign_reminders_last(campaign=campaign)
    now = timezone.now()
    rows = []
    for row in selectors.campaign_progress(campaign=campaign):
        next_allowed = campaigns.reminder_next_allowed(reminded.get(row.code))
        wait_until = next_allowed if next_allowed is not None and now < next_allowed else None
        rows.append((row, answer_label(row.answer), reminded.get(row.code), wait_until))
    return render(
        request,
        "crossorg/campaign.html",
        {
            "campaign": campaign,
            "rows": rows,
            "files": selectors.campaign_files(campaign=campaign),
            "may_manage": can_manage(request.org_access),
        },
    )


def _campaign_action_page(service, success):
    """A city manager's POST on one of its campaigns: `service(campaign=, actor=, request=, **url arguments)`;
    its refusal is shown on the campaign's page, in Chinese."""

    @require_POST
    @role_required(can_manage)
    def page(request, pk: int, **arguments):
        campaign = _city_campaign(request, pk)
        return run_service(
            request,
            partial(service, request=request),
            success=success,
            redirect_to=reverse("crossorg-campaign", args=[campaign.pk]),
            campaign=campaign,
            actor=request.user,
            **arguments,
        )[1]

    return page


campaign_file_remove_page = _campaign_action_page(
    campaigns.campaign_file_remove, gettext_lazy("The attachment has been removed; the counties no longer receive it.")
)
campaign_remind_page = _campaign_action_page(
    campaigns.campaign_remind, gettext_lazy("The reminder has been sent to the county.")
)
campaign_close_page = _campaign_action_page(
    campaigns.campaign_close, gettext_lazy("The campaign is closed; its summary can be downloaded.")
)


def campaign_summary_response(request, campaign, fmt: str):
    """The closed campaign's summary as a file, never cached (page and API alike; the service audits it)."""
    if fmt not in campaigns.SUMMARY_FORMATS or campaign.closed_on is None:
        raise Http404
    content, content_type = campaigns.campaign_summary_export(
        campaign=campaign, fmt=fmt, actor=request.user, request=request
    )
    return file_response(content, content_type=content_type, filename=f"campaign-{campaign.pk}-summary.{fmt}")


@role_required(can_oversee)
def campaign_summary_page(request, pk: int, fmt: str):
    return campaign_summary_response(request, _city_campaign(request, pk), fmt)
