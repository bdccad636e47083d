"""Read the forms a page rendered, as a browser would submit them unchanged (stdlib HTML parser only)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

UNSUBMITTED_INPUTS = {"submit", "button", "reset", "image", "file"}
# The HTML value sanitization algorithm: a value the input type cannot hold becomes "" (so a date rendered as
# 2026/08/10 shows as an empty box and is posted empty).
_VALID = {
    "datetime-local": re.compile(r"\d{4,}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?"),
    "time": re.compile(r"\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?"),
    "month": re.compile(r"\d{4,}-\d{2}"),
    "number": re.compile(r"-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?"),
}


def sanitized(kind: str, value: str) -> str:
    """What a browser keeps of an input's value attribute."""
    if kind == "date":
        try:
            return value if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and datetime.date.fromisoformat(value) else ""
        except ValueError:
            return ""
    pattern = _VALID.get(kind)
    return value if pattern is None or pattern.fullmatch(value) else ""


@dataclass
class RenderedForm:
    method: str
    action: str
    data: list[tuple[str, str]] = field(default_factory=list)  # what the browser would post, in order
    inputs: dict[str, dict] = field(default_factory=dict)  # name -> attributes of its (first) control
    submit_names: list[str] = field(default_factory=list)

    def prefilled(self) -> bool:
        """Whether the form shows something already recorded: a visible text box or text area with a value."""
        for name, value in self.data:
            control = self.inputs.get(name, {})
            visible_text = control.get("_tag") == "textarea" or (
                control.get("_tag") == "input"
                and control.get("type", "text").lower() not in ("hidden", "checkbox", "radio")
            )
            if value and visible_text:
                return True
        return False

    def as_post(self) -> dict[str, list[str]]:
        posted: dict[str, list[str]] = {}
        for name, value in self.data:
            posted.setdefault(name, []).append(value)
        return posted


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[RenderedForm] = []
        self._form: RenderedForm | None = None
        self._select: dict | None = None  # name, multiple, options [(value, selected)], pending option
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = RenderedForm(method=a.get("method", "get").lower(), action=a.get("action", ""))
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or "disabled" in a:
            return
        if tag == "input":
            kind, name = a.get("type", "text").lower(), a.get("name")
            if not name:
                return
            form.inputs.setdefault(name, {"_tag": "input", **a})
            if kind in UNSUBMITTED_INPUTS:
                form.submit_names.append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.data.append((name, a.get("value", "on")))
            else:
                form.data.append((name, sanitized(kind, a.get("value", ""))))
        elif tag == "select" and a.get("name"):
            form.inputs.setdefault(a["name"], {"_tag": "select", **a})
            self._select = {"name": a["name"], "multiple": "multiple" in a, "options": []}
        elif tag == "option" and self._select is not None:
            self._close_option()
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
        elif tag == "textarea" and a.get("name"):
            form.inputs.setdefault(a["name"], {"_tag": "textarea", **a})
            self._textarea = {"name": a["name"], "text": ""}
        elif tag == "button" and a.get("name"):
            form.submit_names.append(a["name"])

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["text"] += data

    def _close_option(self):
        if self._option is not None:
            option = self._option
            value = option["value"] if option["value"] is not None else option["text"].strip()
            self._select["options"].append((value, option["selected"]))
            self._option = None

    def handle_endtag(self, tag):
        if tag == "option":
            self._close_option()
        elif tag == "select" and self._select is not None:
            self._close_option()
            select, self._select = self._select, None
            chosen = [value for value, selected in select["options"] if selected]
            if not chosen and not select["multiple"] and select["options"]:
                chosen = [select["options"][0][0]]  # a single select submits its first option when none is marked
            self._form.data.extend((select["name"], value) for value in chosen)
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea["text"]
            if text.startswith("\n"):  # the browser drops one newline right after <textarea>
                text = text[1:]
            self._form.data.append((self._textarea["name"], text))
            self._textarea = None
        elif tag == "form":
            self._form = None


def rendered_forms(html: str) -> list[RenderedForm]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms
