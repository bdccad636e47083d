"""The office's guidance document form: the document's fields, its 密级 up to the author's clearance, its files."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shared.accounts.models import Classification
from tenants.attachments.forms import FilesField
from tenants.guidance.models import DocumentType
from tenants.kernel.inputs import DateField


class GuidanceDocumentForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    doc_type = forms.ChoiceField(label=_("document type"), choices=DocumentType.choices)
    issued_on = DateField(label=_("issued on"))
    summary = forms.CharField(label=_("summary"), max_length=500, required=False)
    content = forms.CharField(label=_("content"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    classification = forms.TypedChoiceField(label=_("classification"), coerce=int)
    files = FilesField(
        label=_("files"),
        help_text=_("PDF, images, Word, Excel or presentations; they go down with the document to every office below."),
    )

    def __init__(self, *args, clearance: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["classification"].choices = [
            (value, label) for value, label in Classification.choices if value <= clearance
        ]
        self.fields["classification"].initial = Classification.INTERNAL
