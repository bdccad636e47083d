from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.kernel.inputs import DateField, DateInput
from tenants.office.models import FindingCategory, OfficeSettings
from tenants.office.services import SETTINGS_FIELDS


class OfficeSettingsForm(forms.ModelForm):
    class Meta:
        model = OfficeSettings
        fields = list(SETTINGS_FIELDS)
        widgets = {"current_term_start": DateInput()}


class HolidayForm(forms.Form):
    date = DateField(label=_("date"))
    is_working_day = forms.BooleanField(label=_("working day"), required=False)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class CategoryForm(forms.ModelForm):
    class Meta:
        model = FindingCategory
        fields = ["code", "name", "description", "county_level_only", "order", "is_active"]


class DeadlineForm(forms.Form):
    start = DateField(label=_("start"))
    working_days = forms.IntegerField(label=_("working days"), required=False, min_value=-3650, max_value=3650)
    months = forms.IntegerField(label=_("months"), required=False, min_value=-240, max_value=240)


class BundleImportForm(forms.Form):
    file = forms.FileField(label=_("Bundle or acknowledgement file"))
