"""The role crawl: as every demo sign-in, in Chinese, every page reachable by the links the site draws
(navigation and the first rows of each list) answers, draws no dead link, offers no form its submit
refuses, and shows no English word or internal code."""

from __future__ import annotations

import time

from django.test import Client

from shared.accounts.models import User
from tests.platform.crawl import Crawler
from xuncha import demo


def demo_logins() -> list[str]:
    return [
        f"{slug}.{demo.DEMO_ROLES[role][0]}"
        for kind, _code, _name, _parent, slug in demo.DEMO_ORGANIZATIONS
        for role in demo.ROLES_BY_KIND[kind]
    ]


def test_every_demo_role_crawls_the_site_without_tripping(demo_world):
    names_by_code = {org.code: org.name for org in demo_world}
    usernames = set(User.objects.values_list("username", flat=True))
    started = time.monotonic()
    results = []
    for username in demo_logins():
        client = Client()
        client.force_login(User.objects.get(username=username))
        results.append(
            Crawler(client, username=username, allowed_words=usernames, names_by_code=names_by_code).run("/")
        )
    elapsed = time.monotonic() - started
    report = [f"{r.username}: {r.pages} pages, {r.forms} forms, {r.seconds:.1f}s" for r in results]
    problems = [f"{r.username} {problem}" for r in results for problem in r.problems]
    print("\n".join(report + [f"total {elapsed:.1f}s"] + problems))
    assert len(results) == 45 and all(r.pages >= 2 for r in results)  # every sign-in reached its pages
    assert problems == []
