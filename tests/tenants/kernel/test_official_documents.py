"""Word documents follow GB/T 9704 (党政机关公文格式): A4, its margins, 仿宋 三号 body on a fixed 22-line
pitch, 小标宋 二号 title, 黑体 headings, "— n —" page numbers odd right / even left, and the 密级 at the top
left only when the record is classified."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from tenants.kernel.documents import docx_bytes, marking_of


def _east_asian(run_or_style) -> str:
    return run_or_style.element.rPr.rFonts.get(qn("w:eastAsia"))


def _open(**kwargs):
    defaults = {
        "title": "巡察整改通知",
        "sections": [("整改期限", ["整改方案报送期限：2026-12-31"])],
        "tables": [("问题清单", ["序号", "问题"], [[1, "落实主体责任不到位"]])],
    }
    return Document(io.BytesIO(docx_bytes(**{**defaults, **kwargs})))


def test_page_fonts_and_numbers_follow_the_official_layout():
    document = _open()
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4 (stored in twips)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    normal = document.styles["Normal"]
    assert _east_asian(normal) == "仿宋_GB2312" and normal.font.size == Pt(16)
    assert abs(normal.paragraph_format.line_spacing.pt - 28.95) < 0.01

    title = document.paragraphs[0]
    assert title.text == "巡察整改通知" and title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].font.size == Pt(22) and _east_asian(title.runs[0]) == "方正小标宋简体"
    heading = next(p for p in document.paragraphs if p.text == "整改期限")
    assert _east_asian(heading.runs[0]) == "黑体" and heading.runs[0].font.size == Pt(16)
    body = next(p for p in document.paragraphs if p.text.startswith("整改方案报送期限"))
    assert body.paragraph_format.first_line_indent == Pt(32)  # two characters
    cell = document.tables[0].rows[1].cells[1].paragraphs[0]
    assert cell.text == "落实主体责任不到位" and cell.runs[0].font.size == Pt(12)

    assert document.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    for footer in (odd, even):
        assert "PAGE" in [node.text.strip() for node in footer._p.iter(qn("w:instrText"))]
        assert footer.text == "—  —"  # the number itself is Word's field


def test_the_marking_is_printed_only_for_secret_and_above():
    assert [marking_of(level) for level in (0, 1, 2, 3, None)] == ["", "", "秘密", "机密", ""]
    marked = _open(marking="秘密")
    assert marked.paragraphs[0].text == "秘密" and _east_asian(marked.paragraphs[0].runs[0]) == "黑体"
    assert marked.paragraphs[1].text == "巡察整改通知"
    unmarked = _open()
    assert unmarked.paragraphs[0].text == "巡察整改通知"
    assert all(p.text not in ("秘密", "机密") for p in unmarked.paragraphs)
