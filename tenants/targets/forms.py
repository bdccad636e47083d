from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.kernel.inputs import DateField
from tenants.targets.models import TargetLevel


class TargetForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=200)
    level = forms.ChoiceField(label=_("level"), choices=TargetLevel.choices)
    category = forms.CharField(label=_("category"), max_length=64, required=False)
    managing_org_code = forms.CharField(label=_("managing organisation (region code)"), max_length=6)
    region_code = forms.CharField(label=_("region of the unit (region code)"), max_length=12, required=False)
    business_tags = forms.CharField(label=_("business tags"), required=False, help_text=_("Separate with 、 or ,"))
    leaders = forms.CharField(
        label=_("leadership"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line as name:post; end the principal's line with *"),
    )
    last_inspected_on = DateField(label=_("last inspected on"), required=False)
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX or CSV file"))
