"""What may be attached: PDF, images and Office documents, told apart by their content (a renamed
executable is refused whatever its name says), within the size limit, and whole (they open)."""

from __future__ import annotations

import io
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError

PDF = "application/pdf"
IMAGES = {"image/jpeg": ("jpg", "jpeg"), "image/png": ("png",)}
ALLOWED = {
    PDF: ("pdf",),
    **IMAGES,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ("pptx",),
    "application/msword": ("doc",),
    "application/vnd.ms-excel": ("xls",),
    "application/vnd.ms-powerpoint": ("ppt",),
}
KIND_NAMES = {  # in the Chinese messages as people call them
    PDF: "PDF 文件",
    "image/jpeg": "图片",
    "image/png": "图片",
    "application/x-executable": "可执行程序",
    "application/x-msdownload": "可执行程序",
    "application/zip": "压缩包",
    "application/x-rar-compressed": "压缩包",
    "application/x-7z-compressed": "压缩包",
}


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    content: bytes


def max_bytes() -> int:
    return int(getattr(settings, "XUNCHA_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))


def _name(upload) -> str:
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:200] or "file"


def attachment_check(upload) -> CheckedFile:
    """One uploaded file, or a ValidationError on `files` that names it and says why (in Chinese)."""
    name = _name(upload)
    limit = max_bytes()
    too_large = ValidationError(
        {"files": _("“%(name)s” is larger than %(limit)s.") % {"name": name, "limit": filesizeformat(limit)}}
    )
    if getattr(upload, "size", 0) > limit:
        raise too_large
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise too_large
    if not content:
        raise ValidationError({"files": _("“%(name)s” is empty.") % {"name": name}})
    kind = filetype.guess(content)  # reads the first 8 KiB, where every allowed type shows itself
    detected = kind.mime if kind else ""
    if detected not in ALLOWED:
        what = KIND_NAMES.get(detected) or detected or _("an unrecognised type")
        raise ValidationError(
            {
                "files": _("“%(name)s” is not a PDF, image, Word, Excel or presentation file: its content is %(what)s.")
                % {"name": name, "what": what}
            }
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED[detected]:
        raise ValidationError(
            {
                "files": _("“%(name)s” holds a %(kind)s but its name ends in “.%(extension)s”: correct the name.")
                % {"name": name, "kind": KIND_NAMES.get(detected, ALLOWED[detected][0].upper()), "extension": extension}
            }
        )
    _opens(name, detected, content)
    return CheckedFile(name=name, content_type=detected, content=content)


def _opens(name: str, content_type: str, content: bytes) -> None:
    """PDFs and images are opened (they are watermarked on the way out when classified): a damaged or
    encrypted one is refused now rather than failing at someone's download."""
    broken = ValidationError({"files": _("“%(name)s” is damaged and cannot be opened.") % {"name": name}})
    if content_type == PDF:
        try:
            reader = PdfReader(io.BytesIO(content))
            if reader.is_encrypted:
                raise ValidationError(
                    {"files": _("“%(name)s” is an encrypted PDF: upload it without a password.") % {"name": name}}
                )
            len(reader.pages)
        except (PdfReadError, ValueError, KeyError, TypeError) as error:
            raise broken from error
    elif content_type in IMAGES:
        try:
            with Image.open(io.BytesIO(content)) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
            raise broken from error
