"""One date format on the pages: a template shows a date with Django's localised format (`|date`, which is
DATE_FORMAT: 'Y年n月j日' in zh-hans), never the fixed ISO pattern "Y-m-d" (the 工作台 said "本周截至 2026-12-06"
beside pages saying "2027年1月2日"). A date input's value stays ISO: that is the browser's format, not text a person
reads. A moment is written the same way: SHORT_DATETIME_FORMAT ('Y年n月j日 H:i'), or the date so and the time with its
seconds where they matter (the notices page said "2026-12-03 15:28" beside dates in 年月日).

The Word and Excel documents too: their builders (tenants/*/documents.py, tenants/*/exports.py and the kernel's
documents module) write a date through tenants.kernel.documents (document_date, due_text, date cells with the
Chinese number format), never with isoformat() or strftime; a file name or a CSV for programs is a machine format
and says so on its line."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXED = re.compile(r"""(?:\|date:|\{% now )["']Y-m-d[^"']*["']""")
INPUT_VALUE = re.compile(r"""value="\{\{[^}]*\|date:'Y-m-d'\s*\}\}\"""")
EXPORT_ISO = re.compile(r"\.isoformat\(|\.strftime\(|%Y-%m-%d")
MACHINE = re.compile(r"filename|# machine format")


def _templates():
    for folder in ("platform", "tenants", "shared"):
        yield from sorted((ROOT / folder).rglob("templates/**/*.html"))


def test_no_template_writes_a_date_in_a_fixed_iso_pattern():
    offenders = []
    for path in _templates():
        text = INPUT_VALUE.sub("", path.read_text())
        offenders += [f"{path.relative_to(ROOT)}: {match.group(0)}" for match in FIXED.finditer(text)]
    assert offenders == []


def test_the_guard_finds_a_fixed_pattern_and_spares_a_date_input():
    shown = '<td>{{ record.heard_on|date:"Y-m-d" }}</td><p>{% now "Y-m-d" %}</p><td>{{ n.at|date:"Y-m-d H:i" }}</td>'
    assert len(FIXED.findall(INPUT_VALUE.sub("", shown))) == 3
    date_input = """<input type="date" name="completed_on" value="{{ r.completed_on|date:'Y-m-d' }}">"""
    assert FIXED.findall(INPUT_VALUE.sub("", date_input)) == []
    assert len(list(_templates())) > 50  # positive control: the templates are found


def _exporters():
    yield ROOT / "tenants/kernel/documents.py"
    for pattern in ("documents.py", "exports.py"):
        yield from sorted((ROOT / "tenants").glob(f"*/{pattern}"))


def _iso_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if EXPORT_ISO.search(line) and not MACHINE.search(line)]


def test_no_document_builder_writes_a_date_in_iso():
    offenders = [f"{path.relative_to(ROOT)}: {line}" for path in _exporters() for line in _iso_lines(path.read_text())]
    assert offenders == []


def test_the_document_guard_finds_iso_and_spares_machine_formats():
    built = """    return f"{due.isoformat()}（暂定）"
    return moment.strftime("%Y-%m-%d %H:%M")
    filename = f"audit-{code}-{timezone.localdate().isoformat()}.{fmt}"
    writer.writerows([f"{at:%Y-%m-%d %H:%M:%S}"])  # machine format: the CSV"""
    assert len(_iso_lines(built)) == 2
    found = [path.relative_to(ROOT).as_posix() for path in _exporters()]
    assert {"tenants/reports/exports.py", "tenants/rectification/documents.py"} <= set(found)  # positive control
