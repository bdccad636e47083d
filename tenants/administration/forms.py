from django import forms
from django.utils.translation import gettext_lazy as _

from shared.accounts.models import Classification, Role, User
from tenants.audit.models import AuditAction
from tenants.kernel.inputs import DateField


class AccountCreateForm(forms.Form):
    username = forms.CharField(label=_("user name"), max_length=150)
    display_name = forms.CharField(label=_("display name"), max_length=100, required=False)
    password = forms.CharField(label=_("initial password"), widget=forms.PasswordInput, strip=False)


class AccountForm(forms.Form):
    display_name = forms.CharField(label=_("display name"), max_length=100, required=False)
    is_active = forms.BooleanField(label=_("active"), required=False)


class PasswordSetForm(forms.Form):
    password = forms.CharField(label=_("new password"), widget=forms.PasswordInput, strip=False)


class MembershipGrantForm(forms.Form):
    user = forms.ModelChoiceField(label=_("person"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)
    clearance = forms.TypedChoiceField(
        label=_("clearance"), choices=Classification.choices, coerce=int, initial=Classification.INTERNAL
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people
        self.fields["user"].label_from_instance = lambda user: f"{user.username}（{user.display_name}）"


class MembershipForm(forms.Form):
    clearance = forms.TypedChoiceField(label=_("clearance"), choices=Classification.choices, coerce=int)
    is_active = forms.BooleanField(label=_("active"), required=False)


class AuditFilterForm(forms.Form):
    who = forms.CharField(label=_("user name"), max_length=150, required=False)
    action = forms.ChoiceField(label=_("action"), choices=[("", "—")] + list(AuditAction.choices), required=False)
    since = DateField(label=_("from"), required=False)
    until = DateField(label=_("to"), required=False)
    organization = forms.ChoiceField(label=_("account's organisation"), required=False)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [("", "—")] + [(o.code, o.name) for o in organizations]
