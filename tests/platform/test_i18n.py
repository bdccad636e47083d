"""Chinese by default, English on request, and the project catalog is complete and compiled."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

from django.conf import settings

CATALOG = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES"


def test_login_page_is_chinese_by_default_and_english_when_asked(client):
    chinese = client.get("/accounts/login/").content.decode()
    assert "登录" in chinese and "用户名" in chinese and "Sign in" not in chinese
    english = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sign in" in english and "登录" not in english


def test_the_language_menu_names_each_language_in_itself(client):
    for accept in ("zh-hans", "en"):
        page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE=accept).content.decode()
        assert ">简体中文</option>" in page and ">English</option>" in page and "英语" not in page


def test_language_switch_keeps_english_for_the_session(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert "Sign in" in client.get("/accounts/login/").content.decode()


def po_entries(path: Path) -> dict[str, str]:
    """msgid -> msgstr of a .po file (no plurals or contexts in this project)."""
    entries: dict[str, str] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        text = "\n".join(lines)
        match = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', text, re.M)
        if match:

            def join(part):
                return "".join(ast.literal_eval(piece) for piece in re.findall(r'"(?:[^"\\]|\\.)*"', part))

            entries[join(match.group(1))] = join(match.group(2))
    entries.pop("", None)
    return entries


def test_every_catalog_string_is_translated_and_compiled():
    entries = po_entries(CATALOG / "django.po")
    assert len(entries) > 50
    assert [msgid for msgid, msgstr in entries.items() if not msgstr] == []
    with open(CATALOG / "django.mo", "rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    stale = [msgid for msgid, msgstr in entries.items() if translations.gettext(msgid) != msgstr]
    assert stale == [], "django.mo is older than django.po: run `make messages`"
