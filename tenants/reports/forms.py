from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.kernel.inputs import DateField
from tenants.planning.models import AnnualPlan, MultiYearPlan, PhaseSchedule, PlanStatus
from tenants.reports.models import FilingKind, ReceiptStatus
from tenants.reports.selectors import hearing_record_list
from tenants.rounds.models import Round


def subject_choices(*, access) -> list:
    """What can be filed, grouped by kind: values are '<kind>:<id>' or '<kind>:' (period kinds)."""
    approved = {"status": PlanStatus.APPROVED}
    return [
        (
            FilingKind.TERM_PLAN.label,
            [(f"term_plan:{p.pk}", p.title) for p in MultiYearPlan.objects.filter(**approved)],
        ),
        (
            FilingKind.ANNUAL_PLAN.label,
            [(f"annual_plan:{p.pk}", p.title) for p in AnnualPlan.objects.filter(**approved)],
        ),
        (
            FilingKind.PHASE_SCHEDULE.label,
            [(f"phase_schedule:{p.pk}", p.title) for p in PhaseSchedule.objects.filter(**approved)],
        ),
        (
            FilingKind.ROUND_SUMMARY.label,
            [
                (f"round_summary:{r.pk}", r.name)
                for r in Round.objects.filter(classification__lte=min(access.clearance, 2))
            ],
        ),
        (
            FilingKind.HEARING_RECORD.label,
            [
                (f"hearing_record:{h.pk}", str(h))
                for h in hearing_record_list(access=access).filter(classification__lte=2)
            ],
        ),
        (
            _("For a period"),
            [("statistics:", FilingKind.STATISTICS.label), ("annual_summary:", FilingKind.ANNUAL_SUMMARY.label)],
        ),
    ]


class FilingForm(forms.Form):
    subject = forms.ChoiceField(label=_("What to file"))
    period = forms.CharField(
        label=_("Period (for statistics and summaries: 2026, 2026-Q3 or 2026-07)"), required=False, max_length=16
    )
    note = forms.CharField(label=_("Covering note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [("", "—")] + subject_choices(access=access)

    def clean_subject(self):
        kind, _sep, subject_id = self.cleaned_data["subject"].partition(":")
        if kind not in FilingKind.values:
            raise forms.ValidationError(_("Choose what to file."))
        return kind, subject_id or None


class RefileForm(forms.Form):
    note = forms.CharField(label=_("What was corrected"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ReceiptStatus.ACKNOWLEDGED, ReceiptStatus.ACKNOWLEDGED.label),
            (ReceiptStatus.RETURNED, ReceiptStatus.RETURNED.label),
        ],
    )
    comment = forms.CharField(
        label=_("Comment (required when returning)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)


class HearingRecordForm(forms.Form):
    round = forms.ChoiceField(label=_("Round"))
    heard_on = DateField(label=_("Heard on"))
    chaired_by = forms.CharField(label=_("Chaired by"), max_length=100)
    attendees = forms.CharField(label=_("Attendees"), widget=forms.Textarea(attrs={"rows": 2}))
    decisions = forms.CharField(label=_("Decisions on using the results"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [("", "—")] + [(r.pk, r.name) for r in Round.objects.all()]


class PeriodForm(forms.Form):
    period = forms.CharField(label=_("Period"), max_length=16, required=False)
