"""Which records may carry files, and who may see a record's files: exactly who may see the record.

An owning app registers its record type once (in its AppConfig.ready) with the read query that already
decides who sees the record; an attachment is then offered and served only through that query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Owner:
    record_type: str  # app_label.model, as Attachment.record_type stores it
    visible: Callable[..., Any]  # (actor=, access=) -> the QuerySet of records this person may open
    classification: Callable[[Any], int]  # the record's 密级, which its files take


OWNERS: dict[str, Owner] = {}


def attachment_owner_register(*, model, visible, classification=lambda record: int(record.classification)) -> None:
    record_type = model._meta.label_lower
    OWNERS[record_type] = Owner(record_type=record_type, visible=visible, classification=classification)


def record_type_of(record) -> str:
    return record._meta.label_lower
