from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.kernel.inputs import DateInput
from tenants.planning.models import AnnualPlan, Decision, MultiYearPlan, PhaseSchedule


class MultiYearPlanForm(forms.ModelForm):
    class Meta:
        model = MultiYearPlan
        fields = ["title", "start_year", "end_year", "content"]


class AnnualPlanForm(forms.ModelForm):
    class Meta:
        model = AnnualPlan
        fields = ["title", "year", "multi_year_plan", "content"]


class PhaseScheduleForm(forms.ModelForm):
    class Meta:
        model = PhaseSchedule
        fields = ["title", "annual_plan", "start_date", "end_date", "content"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}


FORMS = {"multi_year": MultiYearPlanForm, "annual": AnnualPlanForm, "phase": PhaseScheduleForm}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("decision"), choices=Decision.choices)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
