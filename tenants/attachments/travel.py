"""Files on the bus, with their record (docs/SYNC.md "Files with their record").

An owner whose record travels (its model is a registered shared record type) lets its files go with it:

    attachment_owner_register(model=SupervisedItem, visible=..., classification=...)   # who sees them here
    attachment_travels(model=SupervisedItem)            # its files go wherever its record is held

Each file is one `attachments.file` message (its manifest: name, type, size, SHA-256, number of pieces, the
record it belongs to) and one `attachments.chunk` message per piece of at most XUNCHA_ATTACHMENT_CHUNK_BYTES
(96 KiB) of content, each sent to exactly the organisations that hold the record (`sync.registry.HeldWith`:
sent when the file is added or the record first reaches someone, withdrawn when the record is withdrawn,
re-sent when the record's level rises) at the record's level, so sealed with it from 秘密. The receiver
keeps the pieces aside and shows the file only once every piece arrived and the content's digest is the
manifest's:

    attachment_replica_register(record_type="rectification.progress", visible=may_open)  # who opens them here
    received_files(replicas=[...], clearance=access.clearance)  # {(source, key): [ReceivedFile]}, one query
    {% include "attachments/_received.html" with attachments=... %}       # the list, with its downloads
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.urls import reverse

from sync.registry import HeldWith, SharedRecordType, record_type_of_model, register
from sync.replicas import ReplicaView, record_holders, replica_get
from tenants.attachments.checks import ALLOWED
from tenants.attachments.models import Attachment, AttachmentChunk, ReceivedChunk, ReceivedFile
from tenants.attachments.registry import OWNERS

logger = logging.getLogger("xuncha.attachments")

FILE_TYPE, CHUNK_TYPE = "attachments.file", "attachments.chunk"
CHUNK_BYTES = 96 * 1024  # base64 and sealing make a piece about 1.8 times larger: well within 256 KiB


def chunk_bytes() -> int:
    return int(getattr(settings, "XUNCHA_ATTACHMENT_CHUNK_BYTES", CHUNK_BYTES))


def chunks_plan(size: int) -> list[tuple[int, int]]:
    """The pieces' bounds (start, end) of a file of `size` bytes."""
    step = chunk_bytes()
    return [(start, min(start + step, size)) for start in range(0, max(size, 1), step)]


def chunks_create(*, attachments: Iterable[Attachment]) -> None:
    AttachmentChunk.objects.bulk_create(
        [
            AttachmentChunk(attachment=attachment, index=index, start=start, end=end)
            for attachment in attachments
            for index, (start, end) in enumerate(chunks_plan(attachment.size))
        ]
    )


# --- the owner's side ------------------------------------------------------------------------------

_travelling: dict[str, type[models.Model]] = {}  # attachment record_type (app_label.model) -> owner model


def attachment_travels(*, model: type[models.Model]) -> None:
    """The files of `model`'s records (a registered attachment owner and a registered shared record type)
    go wherever its record is held. Call in the owning app's AppConfig.ready()."""
    label = model._meta.label_lower
    if label not in OWNERS:
        raise LookupError(f"{label} is not an attachment owner (attachment_owner_register first)")
    _travelling[label] = model
    register(
        SharedRecordType(
            record_type=FILE_TYPE,
            schema_version=1,
            model=Attachment,
            snapshot=_file_snapshot,
            audience=lambda attachment, owner: set(_file_holders(attachment)),
            on_receive=file_receive,
            held_with=tuple(HeldWith(model=owner_model, records=_files_of) for owner_model in _travelling.values()),
        )
    )
    register(
        SharedRecordType(
            record_type=CHUNK_TYPE,
            schema_version=1,
            model=AttachmentChunk,
            key=lambda chunk: f"{chunk.attachment_id}.{chunk.index}",
            snapshot=_chunk_snapshot,
            audience=lambda chunk, owner: set(record_holders(record_type=FILE_TYPE, key=str(chunk.attachment_id))),
            on_receive=chunk_receive,
            keep_body=False,  # the content is kept aside (ReceivedChunk) until the file is whole, then as a file
            held_with=(HeldWith(model=Attachment, records=lambda attachment: attachment.chunks.all()),),
        )
    )


def travels(record_type: str) -> bool:
    return record_type in _travelling


def _files_of(record) -> models.QuerySet[Attachment]:
    return Attachment.objects.defer("content").filter(record_type=record._meta.label_lower, record_key=str(record.pk))


def _record_of(attachment: Attachment) -> tuple[Any, SharedRecordType | None]:
    model = _travelling.get(attachment.record_type)
    if model is None:
        return None, None
    return model._default_manager.filter(pk=attachment.record_key).first(), record_type_of_model(model)


def _file_holders(attachment: Attachment) -> dict[str, int]:
    """{organisation: level} of those holding the file's record now."""
    record, spec = _record_of(attachment)
    if record is None or spec is None:
        return {}
    return record_holders(record_type=spec.record_type, key=spec.key(record))


def _file_snapshot(attachment: Attachment) -> dict[str, Any]:
    record, spec = _record_of(attachment)
    levels = [int(attachment.classification), *_file_holders(attachment).values()]
    if record is not None:
        levels.append(int(OWNERS[attachment.record_type].classification(record)))
    return {
        "owner_type": spec.record_type if spec else "",
        "owner_key": spec.key(record) if spec and record is not None else "",
        "name": attachment.name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "chunks": attachment.chunks.count(),
        "classification": max(levels),  # the record's level where it is held: sealed with it from 秘密
    }


def _chunk_snapshot(chunk: AttachmentChunk) -> dict[str, Any]:
    with connection.cursor() as cursor:  # only this piece of the content is read
        cursor.execute(
            "SELECT substring(content FROM %s FOR %s) FROM attachments_attachment WHERE id = %s",
            [chunk.start + 1, chunk.end - chunk.start, chunk.attachment_id],
        )
        found = cursor.fetchone()
    data = bytes(found[0]) if found else b""
    holders = record_holders(record_type=FILE_TYPE, key=str(chunk.attachment_id))
    model = _travelling.get(chunk.attachment.record_type)
    spec = record_type_of_model(model) if model is not None else None
    return {
        "owner_type": spec.record_type if spec else "",
        "file_key": str(chunk.attachment_id),
        "index": chunk.index,
        "data": base64.b64encode(data).decode("ascii"),
        "classification": max([int(chunk.attachment.classification), *holders.values()]),
    }


# --- the receiver's side ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplicaOwner:
    record_type: str  # the bus record type whose replicas carry files here
    visible: Callable[..., bool]  # (actor=, access=, replica=) -> may this person open that record here


REPLICA_OWNERS: dict[str, ReplicaOwner] = {}


def attachment_replica_register(*, record_type: str, visible: Callable[..., bool]) -> None:
    """On the receiving side: who may open the files that came with replicas of `record_type` — exactly who
    may open that replica here (`visible(actor=, access=, replica=)`, the ReplicaView of the record)."""
    REPLICA_OWNERS[record_type] = ReplicaOwner(record_type=record_type, visible=visible)


def _refuse(what: str) -> ValidationError:
    return ValidationError({"files": f"malformed file message: {what}"})


def _manifest(body) -> dict[str, Any]:
    """The manifest's fields, checked (a refusal dead-letters the message as `refused`)."""
    checks = {
        "owner_type": lambda v: isinstance(v, str) and 0 < len(v) <= 100,
        "owner_key": lambda v: isinstance(v, str) and 0 < len(v) <= 200,
        "name": lambda v: isinstance(v, str) and 0 < len(v) <= 200,
        "content_type": lambda v: v in ALLOWED,
        "size": lambda v: type(v) is int and v >= 0,
        "sha256": lambda v: isinstance(v, str) and len(v) == 64 and all(c in "0123456789abcdef" for c in v),
        "chunks": lambda v: type(v) is int and v >= 1,
    }
    for name, valid in checks.items():
        if not valid(body.get(name)):
            raise _refuse(name)
    return dict(body)


def file_receive(*, replica: ReplicaView, previous_body) -> None:
    files = ReceivedFile.objects.filter(source=replica.source, file_key=replica.record_key)
    if replica.tombstone:  # the record (or the file) was withdrawn: nothing of it stays here
        files.delete()
        ReceivedChunk.objects.filter(source=replica.source, file_key=replica.record_key).delete()
        return
    body = _manifest(replica.body)
    kept = files.defer("content").first()
    if kept is not None and kept.sha256 != body["sha256"]:
        kept.delete()
    elif kept is not None:  # the same content: its level (and record) follow the manifest at once
        ReceivedFile.objects.filter(pk=kept.pk).update(
            classification=replica.classification, owner_type=body["owner_type"], owner_key=body["owner_key"]
        )
    _assemble(source=replica.source, file_key=replica.record_key)


def chunk_receive(*, replica: ReplicaView, previous_body) -> None:
    file_key, _, index_text = replica.record_key.rpartition(".")
    if not file_key or not index_text.isdigit():
        raise _refuse("key")
    index = int(index_text)
    if replica.tombstone:  # a piece withdrawn: the file is no longer whole here
        ReceivedChunk.objects.filter(source=replica.source, file_key=file_key, index=index).delete()
        ReceivedFile.objects.filter(source=replica.source, file_key=file_key).delete()
        return
    body = replica.body
    if body.get("file_key") != file_key or body.get("index") != index:
        raise _refuse("key")
    try:
        data = base64.b64decode(str(body.get("data", "")), validate=True)
    except (binascii.Error, ValueError):
        raise _refuse("data") from None
    ReceivedChunk.objects.update_or_create(
        source=replica.source, file_key=file_key, index=index, defaults={"data": data}
    )
    _assemble(source=replica.source, file_key=file_key)


def _assemble(*, source: str, file_key: str) -> None:
    """Once the manifest and every piece are here and the content is the manifest's (size and SHA-256),
    keep the file and drop the pieces; until then nothing is shown."""
    manifest = replica_get(record_type=FILE_TYPE, source=source, key=file_key)
    if manifest is None:
        return
    body = manifest.body
    pieces = ReceivedChunk.objects.filter(source=source, file_key=file_key)
    data = dict(pieces.values_list("index", "data"))
    if any(index not in data for index in range(int(body["chunks"]))):
        return
    content = b"".join(bytes(data[index]) for index in range(int(body["chunks"])))
    if len(content) != body["size"] or hashlib.sha256(content).hexdigest() != body["sha256"]:
        logger.warning("attachments: file %s from %s does not match its digest; not shown", file_key, source)
        return
    ReceivedFile.objects.update_or_create(
        source=source,
        file_key=file_key,
        defaults={
            "owner_type": body["owner_type"],
            "owner_key": body["owner_key"],
            "name": body["name"],
            "content_type": body["content_type"],
            "size": body["size"],
            "sha256": body["sha256"],
            "classification": manifest.classification,
            "content": content,
        },
    )
    pieces.delete()


def received_files(*, replicas: Iterable[ReplicaView], clearance: int) -> dict[tuple[str, str], list[ReceivedFile]]:
    """{(source, record key): the complete files that came with each of `replicas` (one record type), up to
    `clearance`}, in one query, without their content."""
    replicas = list(replicas)
    if not replicas:
        return {}
    wanted = {(replica.source, replica.record_key) for replica in replicas}
    rows = ReceivedFile.objects.defer("content").filter(
        owner_type=replicas[0].record_type,
        source__in={source for source, _ in wanted},
        owner_key__in={key for _, key in wanted},
        classification__lte=clearance,
    )
    found: dict[tuple[str, str], list[ReceivedFile]] = defaultdict(list)
    for row in rows:
        if (row.source, row.owner_key) in wanted:
            found[(row.source, row.owner_key)].append(row)
    return found


def received_file_json(row: ReceivedFile) -> dict[str, Any]:
    """A received file as a page or an API answer lists it (no content): `download` is the page's link, `url`
    the API's."""
    return {
        "id": row.pk,
        "name": row.name,
        "content_type": row.content_type,
        "size": row.size,
        "sha256": row.sha256,
        "classification": row.classification,
        "classification_label": row.classification_label,
        "download": reverse("attachments:received", args=[row.pk]),
        "url": reverse("attachments:api-received", args=[row.pk]),
    }
