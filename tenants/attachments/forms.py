"""The one form field for files beside a record's fields (a form page's `files`)."""

from __future__ import annotations

from django import forms

ACCEPT = ".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx,.ppt,.pptx"


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files in one input; each is checked by its content in the service (attachments_check), whose
    refusal the form page shows next to this field."""

    def __init__(self, **kwargs):
        super().__init__(widget=_MultipleFileInput(attrs={"accept": ACCEPT}), required=False, **kwargs)

    def clean(self, data, initial=None):
        return [super(FilesField, self).clean(upload, initial) for upload in (data or []) if upload]
