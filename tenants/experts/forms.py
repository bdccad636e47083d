from django import forms
from django.utils.translation import gettext_lazy as _

from shared.accounts.models import User
from shared.orgs.models import Organization
from tenants.experts.models import ConflictKind, Expert
from tenants.kernel.roles import TEAM_ROLES
from tenants.targets.models import Target


class TeamUserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.display_name} ({user.username})" if user.display_name else user.username


class ExpertChoiceField(forms.ModelChoiceField):
    """A pool member by name and unit: names repeat in a pool (a city holds its counties' people beside its own:
    two 陈组长), so each choice says whose it is: "陈组长（县纪委监委）", and for a county's person the city adopted,
    "陈组长（浚县 · 县纪委监委）". Give it a queryset with select_related("adoption")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._county_names: dict[str, str] | None = None

    def label_from_instance(self, obj: Expert) -> str:
        adoption = getattr(obj, "adoption", None)  # crossorg.RegistryAdoption: a county's person, adopted
        county = self._county_name(adoption.source) if adoption is not None else ""
        details = " · ".join(part for part in (county, obj.unit) if part)
        return _("%(name)s (%(details)s)") % {"name": obj.name, "details": details} if details else obj.name

    def _county_name(self, code: str) -> str:
        if self._county_names is None:  # one statement for the whole list
            self._county_names = dict(Organization.objects.values_list("code", "name"))
        return self._county_names.get(code, code)


class ExpertForm(forms.ModelForm):
    """A pool member; `user` links them to a sign-in of this office with a team role, so that, once on a
    team, they see their rounds and sign for the team."""

    user = TeamUserChoiceField(
        label=_("platform user"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("A sign-in of this office with the team leader or team member role; one pool member each."),
    )

    class Meta:
        model = Expert
        fields = ["name", "specialty", "post", "unit", "home_region_code", "user", "is_active", "note"]

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        linked = Expert.objects.exclude(user=None)
        if self.instance.pk:
            linked = linked.exclude(pk=self.instance.pk)
        self.fields["user"].queryset = (
            User.objects.filter(
                is_active=True,
                memberships__organization=organization,
                memberships__is_active=True,
                memberships__role__in=TEAM_ROLES,
            )
            .exclude(pk__in=list(linked.values_list("user_id", flat=True)))
            .distinct()
            .order_by("username")
        )


class ConflictForm(forms.Form):
    target = forms.ModelChoiceField(label=_("target"), queryset=Target.objects.none())
    kind = forms.ChoiceField(label=_("kind"), choices=ConflictKind.choices)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Target.objects.filter(is_active=True)
