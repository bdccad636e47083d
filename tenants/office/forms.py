from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.office.models import FindingCategory, OfficeSettings


class OfficeSettingsForm(forms.ModelForm):
    class Meta:
        model = OfficeSettings
        exclude = ["singleton"]
        widgets = {"current_term_start": forms.DateInput(attrs={"type": "date"})}


class HolidayForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    is_working_day = forms.BooleanField(label=_("working day"), required=False)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class CategoryForm(forms.ModelForm):
    class Meta:
        model = FindingCategory
        fields = ["code", "name", "description", "county_level_only", "order", "is_active"]


class DeadlineForm(forms.Form):
    start = forms.DateField(label=_("start"), widget=forms.DateInput(attrs={"type": "date"}))
    working_days = forms.IntegerField(label=_("working days"), required=False, min_value=-3650, max_value=3650)
    months = forms.IntegerField(label=_("months"), required=False, min_value=-240, max_value=240)
