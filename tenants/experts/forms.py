from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.experts.models import ConflictKind, Expert
from tenants.targets.models import Target


class ExpertForm(forms.ModelForm):
    class Meta:
        model = Expert
        fields = ["name", "specialty", "post", "unit", "home_region_code", "is_active", "note"]


class ConflictForm(forms.Form):
    target = forms.ModelChoiceField(label=_("target"), queryset=Target.objects.none())
    kind = forms.ChoiceField(label=_("kind"), choices=ConflictKind.choices)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Target.objects.filter(is_active=True)
