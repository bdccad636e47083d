from __future__ import annotations

from django.http import HttpResponse

from tenants.attachments.models import Attachment, ReceivedFile
from tenants.attachments.services import attachment_download, received_file_download
from tenants.kernel.files import file_response
from tenants.kernel.lookups import get_or_404


def attachment_file(request, pk) -> HttpResponse:
    """The download, for the page and the API alike; the content is read only once the reader is allowed."""
    attachment = get_or_404(Attachment.objects.defer("content"), pk)
    content = attachment_download(
        actor=request.user,
        access=request.org_access,
        organization=request.tenant,
        attachment=attachment,
        request=request,
    )
    return file_response(content, content_type=attachment.content_type, filename=attachment.name)


def received_file(request, pk) -> HttpResponse:
    """A file another organisation sent with its record (complete and checked), for the page and the API."""
    received = get_or_404(ReceivedFile.objects.defer("content"), pk)
    content = received_file_download(
        actor=request.user, access=request.org_access, organization=request.tenant, received=received, request=request
    )
    return file_response(content, content_type=received.content_type, filename=received.name)
