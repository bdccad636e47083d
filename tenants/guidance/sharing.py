"""Guidance documents travel down: a city's (or province's) documents go to every office below it."""

from sync.registry import SharedRecordType, register
from tenants.guidance.models import GuidanceDocument


def guidance_snapshot(document: GuidanceDocument) -> dict:
    return {
        "title": document.title,
        "doc_type": document.doc_type,
        "summary": document.summary,
        "content": document.content,
        "issued_on": document.issued_on.isoformat(),
        "classification": document.classification,
    }


def guidance_audience(document: GuidanceDocument, owner) -> set[str]:
    return set(owner.children.values_list("code", flat=True))


GUIDANCE_DOCUMENT = register(
    SharedRecordType(
        record_type="guidance.document",
        schema_version=1,
        model=GuidanceDocument,
        snapshot=guidance_snapshot,
        audience=guidance_audience,
    )
)
