"""The city office's set-up forms: cross-county and elevated rounds, campaigns. The dates are not required
here: the services refuse a missing window with the rule that needs it, next to the field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.attachments.forms import FilesField
from tenants.crossorg import selectors
from tenants.kernel.inputs import DateField


def _unit_choices(*, access, counties) -> list[tuple[int, str]]:
    return [
        (replica.pk, f"{county.name} · {replica.body.get('name', '')}")
        for county in counties
        for replica in selectors.registry_units(access=access, county_code=county.code)
    ]


def _person_choices(*, access, counties) -> list[tuple[int, str]]:
    choices = []
    for county in counties:
        for replica in selectors.registry_people(access=access, county_code=county.code):
            body = replica.body
            detail = " ".join(part for part in (body.get("unit", ""), body.get("post", "")) if part)
            choices.append(
                (replica.pk, f"{county.name} · {body.get('name', '')}" + (f"（{detail}）" if detail else ""))
            )
    return choices


class _CityForm(forms.Form):
    def __init__(self, *args, access, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.counties = list(selectors.city_counties(organization=organization))
        county_choices = [(county.code, county.name) for county in self.counties]
        for name, field in self.fields.items():
            if name in ("home_org_code", "host_org_code"):
                field.choices = [("", "---------")] + county_choices
            elif name == "county_codes":
                field.choices = county_choices
            elif name == "units":
                field.choices = _unit_choices(access=access, counties=self.counties)
            elif name in ("people", "leader"):
                field.choices = ([("", "---------")] if name == "leader" else []) + _person_choices(
                    access=access, counties=self.counties
                )


class CrossRoundForm(_CityForm):
    name = forms.CharField(label=_("name"), max_length=200)
    home_org_code = forms.ChoiceField(
        label=_("team's home county (A)"), help_text=_("The team is made of this county's pool people.")
    )
    host_org_code = forms.ChoiceField(
        label=_("inspected county (B)"), help_text=_("The team inspects this county's units; never its own county.")
    )
    onsite_start = DateField(label=_("on-site from"), required=False)
    onsite_end = DateField(
        label=_("on-site until"),
        required=False,
        help_text=_("The team may open its units' records only during these dates."),
    )
    team_name = forms.CharField(label=_("team name"), max_length=100)
    people = forms.TypedMultipleChoiceField(
        label=_("people (from county A's pool)"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Avoidance (回避) is checked with the relations the county declared for each person."),
    )
    leader = forms.TypedChoiceField(label=_("team leader"), coerce=int, empty_value=None)
    units = forms.TypedMultipleChoiceField(
        label=_("units (from county B's registry)"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One to three units per team."),
    )


class ElevatedRoundForm(_CityForm):
    name = forms.CharField(label=_("name"), max_length=200)
    host_org_code = forms.ChoiceField(label=_("county whose units are inspected"))
    onsite_start = DateField(label=_("on-site from"), required=False)
    onsite_end = DateField(label=_("on-site until"), required=False)
    cooperation = forms.CharField(
        label=_("cooperation asked of the county"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Told to the county. Never put findings or clues here."),
    )
    team_name = forms.CharField(label=_("team name (the city's team)"), max_length=100)
    units = forms.TypedMultipleChoiceField(
        label=_("units (from the county's registry)"), coerce=int, widget=forms.CheckboxSelectMultiple
    )


class OrganisedRoundEditForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=200)
    onsite_start = DateField(label=_("on-site from"), required=False)
    onsite_end = DateField(label=_("on-site until"), required=False)
    cooperation = forms.CharField(
        label=_("cooperation asked of the county"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Told to the county. Never put findings or clues here."),
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        if kind != "elevated":  # a cross-county round asks nothing of any county
            del self.fields["cooperation"]


class CampaignForm(_CityForm):
    title = forms.CharField(label=_("title"), max_length=200)
    topic = forms.CharField(label=_("topic"), max_length=200, required=False)
    start_date = DateField(label=_("campaign starts"), required=False)
    end_date = DateField(label=_("campaign ends"), required=False)
    county_codes = forms.MultipleChoiceField(label=_("counties taking part"), widget=forms.CheckboxSelectMultiple)
    summary = forms.CharField(
        label=_("guidance for the counties"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Sent to every county taking part, with the title, topic and dates."),
    )
    files = FilesField(
        label=_("attachments for the counties"),
        help_text=_("PDF, images, Word, Excel or presentations; sent with the campaign to every county taking part."),
    )
