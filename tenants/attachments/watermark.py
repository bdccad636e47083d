"""Watermarks on downloads of 秘密 and above: the reader, the office and the time, across every page of a
PDF and over an image, so a leaked copy names who took it out. Other types are served as they are (the
download is audited whatever the type)."""

from __future__ import annotations

import io
import math
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from tenants.attachments.checks import IMAGES, PDF

# A CJK face for images; the first that exists is used (Debian's fonts-noto-cjk, then common ones).
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


def watermarkable(content_type: str) -> bool:
    return content_type == PDF or content_type in IMAGES


def watermark_apply(*, content: bytes, content_type: str, text: str) -> bytes:
    if content_type == PDF:
        return _pdf(content, text)
    if content_type in IMAGES:
        return _image(content, content_type, text)
    return content


def _font(size: int):
    configured = getattr(settings, "XUNCHA_WATERMARK_FONT", "")
    for candidate in (configured, *FONT_CANDIDATES):
        if candidate and Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size)


def _image(content: bytes, content_type: str, text: str) -> bytes:
    with Image.open(io.BytesIO(content)) as source:
        base = source.convert("RGBA")
    size = max(14, min(base.size) // 22)
    font = _font(size)
    # the text tiled diagonally, half transparent, over the whole picture
    step_x, step_y = int(size * len(text) * 0.9) + size * 2, size * 6
    layer = Image.new("RGBA", (base.width * 2, base.height * 2), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for y in range(0, layer.height, step_y):
        for x in range(-(y // 2) % step_x - step_x, layer.width, step_x):
            draw.text((x, y), text, font=font, fill=(200, 0, 0, 96))
    layer = layer.rotate(30, resample=Image.Resampling.BICUBIC)
    left, top = (layer.width - base.width) // 2, (layer.height - base.height) // 2
    marked = Image.alpha_composite(base, layer.crop((left, top, left + base.width, top + base.height)))
    buffer = io.BytesIO()
    if content_type == "image/jpeg":
        marked.convert("RGB").save(buffer, "JPEG", quality=90)
    else:
        marked.save(buffer, "PNG")
    return buffer.getvalue()


def _cjk_font() -> DictionaryObject:
    """STSong-Light through the UniGB-UCS2-H CMap: one of the fonts every PDF reader supplies for Chinese
    (Adobe's Asian font set), so nothing is embedded and the text stays extractable."""
    descriptor = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/FontDescriptor"),
            NameObject("/FontName"): NameObject("/STSong-Light"),
            NameObject("/Flags"): NumberObject(6),
            NameObject("/FontBBox"): ArrayObject([NumberObject(v) for v in (-25, -254, 1000, 880)]),
            NameObject("/ItalicAngle"): NumberObject(0),
            NameObject("/Ascent"): NumberObject(880),
            NameObject("/Descent"): NumberObject(-120),
            NameObject("/CapHeight"): NumberObject(880),
            NameObject("/StemV"): NumberObject(93),
        }
    )
    descendant = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/CIDFontType0"),
            NameObject("/BaseFont"): NameObject("/STSong-Light"),
            NameObject("/CIDSystemInfo"): DictionaryObject(
                {
                    NameObject("/Registry"): TextStringObject("Adobe"),
                    NameObject("/Ordering"): TextStringObject("GB1"),
                    NameObject("/Supplement"): NumberObject(4),
                }
            ),
            NameObject("/FontDescriptor"): descriptor,
            NameObject("/DW"): NumberObject(1000),
        }
    )
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type0"),
            NameObject("/BaseFont"): NameObject("/STSong-Light"),
            NameObject("/Encoding"): NameObject("/UniGB-UCS2-H"),
            NameObject("/DescendantFonts"): ArrayObject([descendant]),
        }
    )


def _overlay(writer: PdfWriter, width: float, height: float, text: str):
    page = writer.add_blank_page(width=width, height=height)
    font_ref = writer._add_object(_cjk_font())
    state = writer._add_object(
        DictionaryObject({NameObject("/Type"): NameObject("/ExtGState"), NameObject("/ca"): FloatObject(0.25)})
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {
            NameObject("/Font"): DictionaryObject({NameObject("/FWm"): font_ref}),
            NameObject("/ExtGState"): DictionaryObject({NameObject("/GWm"): state}),
        }
    )
    glyphs = text.encode("utf-16-be").hex().upper()
    size = max(10.0, min(width, height) / 30)
    cos, sin = math.cos(math.radians(30)), math.sin(math.radians(30))
    lines = ["q /GWm gs 0.8 0 0 rg"]
    for row in range(-2, int(height / (size * 5)) + 3):
        y = row * size * 5
        lines.append(f"BT /FWm {size:.1f} Tf {cos:.4f} {sin:.4f} {-sin:.4f} {cos:.4f} 0 {y:.1f} Tm <{glyphs}> Tj ET")
    lines.append("Q")
    stream = DecodedStreamObject()
    stream.set_data("\n".join(lines).encode("ascii"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    return page


def _pdf(content: bytes, text: str) -> bytes:
    reader = PdfReader(io.BytesIO(content))
    writer = PdfWriter(clone_from=reader)
    overlays: dict[tuple[float, float], object] = {}
    scratch = PdfWriter()
    for page in writer.pages:
        box = page.mediabox
        key = (float(box.width), float(box.height))
        if key not in overlays:
            overlays[key] = _overlay(scratch, key[0], key[1], text)
        page.merge_page(overlays[key], over=True)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
