"""A bounded crawl of the site as one signed-in person, with the Django test client.

It follows the links and forms the pages draw (so new pages are covered without a list kept by hand),
at most a few addresses per URL shape (ids replaced by <n>), and records what a person would trip over:
server errors, links that answer 404/403, forms whose submit the role is refused, and English words or
internal codes in the visible text of a Chinese page. Forms are posted back inside a transaction that
is rolled back, so the crawl changes nothing.
"""

from __future__ import annotations

import re
import time
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import lxml.html
from django.db import transaction
from django.utils import timezone

# Words a Chinese page may show in Latin letters: acronyms, product and file names, the date pattern.
ALLOWED_WORDS = {
    "API",
    "Excel",
    "PDF",
    "Word",
    "xlsx",
    "docx",
    "YYYY-MM-DD",
    "OpenAPI",
    "ID",
    "IP",  # IP 地址 in the audit log, as Chinese audit logs write it
    "CSV",
    "Q1",
    "Q2",
    "Q3",
    "Q4",
}  # the quarter in the period notation people type: 2026-Q3
# Document numbers the office quotes (线索 XS-12, 移交 YJ-3), the same in the ledgers.
REFERENCE = re.compile(r"^(XS|YJ)-\d+$")
SKIP_PREFIXES = ("/accounts/logout", "/i18n/", "/static/", "/admin/")
DOWNLOAD_SUFFIXES = (".xlsx", ".docx", ".pdf", ".csv", ".zip", ".json", ".yaml")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_\-]*(?:\.[A-Za-z0-9_\-]+)*")
NUMBER = re.compile(r"\d+")
# A date as stored (2026-06-15) where a person reads 2026年6月15日: a replica's body printed as it came.
ISO_DATE = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")


@dataclass
class Problem:
    kind: str  # "5xx", "dead link", "refused link", "refused form", "english", "code"
    url: str
    detail: str
    source: str = ""

    def __str__(self) -> str:
        where = f" (from {self.source})" if self.source else ""
        return f"[{self.kind}] {self.url}{where}: {self.detail}"


@dataclass
class CrawlResult:
    username: str
    pages: int = 0
    forms: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)


class _Rollback(Exception):
    pass


def shape(url: str) -> str:
    """/org/410621/rounds/12/?round=3 -> /org/410621/rounds/<n>/?round=<n> (one shape per kind of page)."""
    parts = urlsplit(url)
    path = NUMBER.sub(
        "<n>", parts.path.replace(parts.path.split("/")[2] if parts.path.startswith("/org/") else "", "<org>", 1)
    )
    query = "&".join(sorted(f"{key}={NUMBER.sub('<n>', value)}" for key, value in parse_qsl(parts.query)))
    return f"{path}?{query}" if query else path


def local(page: str, href: str) -> str | None:
    """The site-relative address a link on `page` points to, or None if it leaves the site."""
    parts = urlsplit(urljoin(f"http://testserver{page}", href))
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def visible_text(tree) -> list[str]:
    """What a person reads: text outside scripts/styles/other-language elements, plus placeholders,
    titles and button labels."""
    for element in tree.xpath("//script|//style|//template|//noscript|//*[@lang and not(starts-with(@lang,'zh'))]"):
        element.drop_tree()
    pieces = [" ".join(tree.itertext())]
    for element in tree.xpath("//*[@placeholder]|//*[@title]|//input[@type='submit' or @type='button']"):
        pieces += [
            element.get("placeholder", ""),
            element.get("title", ""),
            element.get("value", "") if element.tag == "input" else "",
        ]
    return [piece for piece in pieces if piece and piece.strip()]


def foreign_words(texts: list[str], allowed: set[str]) -> set[str]:
    found = set()
    for text in texts:
        for word in WORD.findall(text):
            if word in ALLOWED_WORDS or word in allowed or word.lower() in allowed or REFERENCE.match(word):
                continue
            found.add(word)
    return found


def bare_codes(texts: list[str], names_by_code: dict[str, str]) -> set[str]:
    """Region codes shown without the organisation's name next to them (`410621 推进中`)."""
    found = set()
    for text in texts:
        for code, name in names_by_code.items():
            for match in re.finditer(rf"(?<!\d){code}(?!\d)", text):
                around = text[max(0, match.start() - 12) : match.end() + 12]
                labelled = text[max(0, match.start() - 8) : match.start()].strip().endswith("行政区划代码")
                if name not in around and not labelled:
                    found.add(f"{code} in “{' '.join(around.split())}”")
    return found


def form_submissions(form, page_url: str) -> list[tuple[str, dict]]:
    """What a browser would send for this form, once per submit button, with required empty fields
    filled in as a person would (some text, today's date, the first real option)."""
    action = local(page_url, form.get("action") or page_url)
    if action is None:
        return []
    base: list[tuple[str, str]] = []
    radios_seen: set[str] = set()
    for element in form.xpath(".//input|.//select|.//textarea"):
        name = element.get("name")
        if not name or element.get("disabled") is not None:
            continue
        tag, kind = element.tag, (element.get("type") or "text").lower()
        required = element.get("required") is not None
        if tag == "input":
            if kind in ("submit", "button", "image", "reset", "file"):
                continue
            if kind == "checkbox":
                if element.get("checked") is not None:
                    base.append((name, element.get("value", "on")))
                continue
            if kind == "radio":
                if name not in radios_seen and (element.get("checked") is not None or required):
                    base.append((name, element.get("value", "on")))
                    radios_seen.add(name)
                continue
            value = element.get("value", "")
            if not value and required:
                value = {
                    "date": timezone.localdate().isoformat(),
                    "number": element.get("min") or "1",
                    "email": "someone@example.org",
                }.get(kind, "测试")
            base.append((name, value))
        elif tag == "select":
            options = element.xpath(".//option")
            chosen = [option for option in options if option.get("selected") is not None]
            if element.get("multiple") is not None:
                base += [(name, option.get("value", option.text_content())) for option in chosen]
                continue
            option = chosen[0] if chosen else (options[0] if options else None)
            value = "" if option is None else option.get("value", option.text_content())
            if not value and required:
                real = [o.get("value", o.text_content()) for o in options if o.get("value", o.text_content())]
                value = real[0] if real else ""
            base.append((name, value))
        else:
            value = element.text_content()
            base.append((name, value if value or not required else "测试"))
    buttons = form.xpath(".//button[not(@type) or @type='submit']|.//input[@type='submit']")
    submissions = []
    for button in buttons or [None]:
        data = list(base)
        target = action
        if button is not None:
            if button.get("name"):
                data.append((button.get("name"), button.get("value", "")))
            if button.get("formaction"):
                target = local(page_url, button.get("formaction")) or action
        submissions.append((target, data))
    return submissions


class Crawler:
    def __init__(
        self,
        client,
        *,
        username: str,
        allowed_words: set[str],
        names_by_code: dict[str, str],
        per_shape: int = 1,
        max_pages: int = 120,
        max_forms_per_shape: int = 1,
    ):
        self.client = client
        self.result = CrawlResult(username=username)
        self.allowed_words = allowed_words
        self.names_by_code = names_by_code
        self.per_shape = per_shape
        self.max_pages = max_pages
        self.max_forms_per_shape = max_forms_per_shape
        self.shapes: dict[str, int] = {}
        self.form_shapes: dict[str, int] = {}
        self.seen: set[str] = set()

    def problem(self, kind, url, detail, source=""):
        self.result.problems.append(Problem(kind, url, detail, source))

    def _wanted(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme and parts.netloc not in ("", "testserver"):
            return False
        if any(parts.path.startswith(prefix) for prefix in SKIP_PREFIXES):
            return False
        return not parts.path.endswith(DOWNLOAD_SUFFIXES)

    def run(self, start: str = "/") -> CrawlResult:
        began = time.monotonic()
        queue: deque[tuple[str, str]] = deque([(start, "")])
        while queue and self.result.pages < self.max_pages:
            url, source = queue.popleft()
            key = shape(url)
            if url in self.seen or self.shapes.get(key, 0) >= self.per_shape:
                continue
            self.seen.add(url)
            self.shapes[key] = self.shapes.get(key, 0) + 1
            response = self.client.get(url, follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans")
            self.result.pages += 1
            final = response.request["PATH_INFO"]
            if response.request.get("QUERY_STRING"):
                final += "?" + response.request["QUERY_STRING"]
            self.result.visited.append(url)
            if response.status_code >= 500:
                self.problem("5xx", url, f"answered {response.status_code}", source)
                continue
            if response.status_code == 404:
                self.problem("dead link", url, "answered 404", source)
                continue
            if response.status_code == 403:
                self.problem("refused link", url, "answered 403", source)
                continue
            if "attachment" in response.get("Content-Disposition", "") or not response.get(
                "Content-Type", ""
            ).startswith("text/html"):
                continue
            tree = lxml.html.fromstring(response.content.decode())
            for link in tree.xpath("//a[@href]"):
                href = local(final, link.get("href"))
                if href and self._wanted(href):
                    queue.append((href, url))
            for form in tree.xpath("//form"):
                self._form(form, page=final, queue=queue)
            self._check_text(tree, url)
        self.result.seconds = time.monotonic() - began
        return self.result

    def _check_text(self, tree, url: str) -> None:
        texts = visible_text(tree)
        words = foreign_words(texts, self.allowed_words)
        if words:
            self.problem("english", url, ", ".join(sorted(words)))
        codes = bare_codes(texts, self.names_by_code)
        if codes:
            self.problem("code", url, "; ".join(sorted(codes)))
        dates = {match for text in texts for match in ISO_DATE.findall(text)}
        if dates:
            self.problem("iso-date", url, ", ".join(sorted(dates)))

    def _form(self, form, *, page: str, queue) -> None:
        method = (form.get("method") or "get").lower()
        for target, data in form_submissions(form, page):
            if not self._wanted(urlsplit(target).path):
                continue
            if method == "get":
                query = urlencode([(name, value) for name, value in data if value])
                queue.append((f"{urlsplit(target).path}?{query}" if query else urlsplit(target).path, page))
                continue
            key = f"{shape(target)} {sorted({name for name, _value in data})}"
            if self.form_shapes.get(key, 0) >= self.max_forms_per_shape:
                continue
            self.form_shapes[key] = self.form_shapes.get(key, 0) + 1
            self._post(target, data, page)

    def _post(self, target: str, data: list[tuple[str, str]], page: str) -> None:
        """Post the form back as a browser would, then undo whatever it did."""
        payload: dict[str, list[str]] = {}
        for name, value in data:
            payload.setdefault(name, []).append(value)
        self.result.forms += 1
        outcome = {}
        try:
            with transaction.atomic():
                response = self.client.post(
                    target, payload, HTTP_ACCEPT_LANGUAGE="zh-hans", HTTP_REFERER=f"http://testserver{page}"
                )
                outcome["status"] = response.status_code
                if response.status_code in (301, 302, 303):  # read the page it lands on (its messages)
                    landed = self.client.get(local(target, response["Location"]), HTTP_ACCEPT_LANGUAGE="zh-hans")
                    outcome["landed"] = landed.status_code
                    if landed.status_code == 200 and landed.get("Content-Type", "").startswith("text/html"):
                        outcome["tree"] = lxml.html.fromstring(landed.content.decode())
                elif response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
                    outcome["tree"] = lxml.html.fromstring(response.content.decode())
                raise _Rollback
        except _Rollback:
            pass
        status = outcome["status"]
        fields = ", ".join(sorted({name for name, _value in data if name != "csrfmiddlewaretoken"}))
        if status >= 500:
            self.problem("5xx", target, f"POST answered {status} (fields {fields})", page)
        elif status == 403:
            self.problem("refused form", target, f"POST answered 403 (fields {fields})", page)
        elif status == 404:
            self.problem("dead form", target, f"POST answered 404 (fields {fields})", page)
        elif outcome.get("landed", 200) >= 400:
            self.problem("dead form", target, f"POST led to a page answering {outcome['landed']}", page)
        elif "tree" in outcome:
            self._check_text(outcome["tree"], f"POST {target}")
