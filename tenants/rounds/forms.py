from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.experts.forms import ExpertChoiceField
from tenants.experts.models import Expert
from tenants.kernel.inputs import DateInput
from tenants.planning.models import AnnualPlan
from tenants.rounds.models import MemberRole, Round, RoundExpert, TeamTarget
from tenants.rounds.services import window_required
from tenants.targets.models import Target


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = [
            "name",
            "kind",
            "topic",
            "annual_plan",
            "look_back_of",
            "onsite_start",
            "onsite_end",
            "classification",
        ]
        widgets = {"onsite_start": DateInput(), "onsite_end": DateInput()}

    def __init__(self, *args, clearance: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.clearance = clearance
        self.fields["annual_plan"].queryset = AnnualPlan.objects.all()
        self.fields["look_back_of"].queryset = Round.objects.filter(classification__lte=clearance)

    def clean_classification(self):
        level = self.cleaned_data["classification"]
        if level > self.clearance:
            raise forms.ValidationError(_("You cannot create a round above your own clearance."))
        return level

    def clean(self):
        """An announced round keeps its window on the edit page (round_update itself still takes a cleared
        window, and every access that follows it then fails closed)."""
        cleaned = super().clean()
        if self.instance.pk and window_required(self.instance):
            for name in ("onsite_start", "onsite_end"):
                if name not in self.errors and not cleaned.get(name):
                    self.add_error(name, _("The round has been announced: it keeps its on-site window."))
        return cleaned


class TransitionForm(forms.Form):
    to_state = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TeamForm(forms.Form):
    name = forms.CharField(label=_("team name"), max_length=100)


class AuthoriseForm(forms.Form):
    expert = ExpertChoiceField(label=_("expert"), queryset=Expert.objects.none())

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        taken = RoundExpert.objects.filter(round=round).values("expert_id")
        self.fields["expert"].queryset = (
            Expert.objects.filter(is_active=True).exclude(pk__in=taken).select_related("adoption")
        )


class MemberForm(forms.Form):
    expert = ExpertChoiceField(label=_("person"), queryset=Expert.objects.none())
    role = forms.ChoiceField(label=_("role in team"), choices=MemberRole.choices, initial=MemberRole.MEMBER)

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        authorised = RoundExpert.objects.filter(round=round).values("expert_id")
        self.fields["expert"].queryset = (
            Expert.objects.filter(pk__in=authorised).exclude(team_memberships__round=round).select_related("adoption")
        )


class TeamTargetForm(forms.Form):
    target = forms.ModelChoiceField(label=_("target"), queryset=Target.objects.none())

    def __init__(self, *args, round, **kwargs):
        super().__init__(*args, **kwargs)
        taken = TeamTarget.objects.filter(round=round).values("target_id")
        self.fields["target"].queryset = Target.objects.filter(is_active=True).exclude(pk__in=taken)
