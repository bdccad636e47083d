"""`{% url %}` reverses each shape of link once per page (xuncha.templatetags.links) and writes the links
`reverse()` writes, for every route of an organisation's urlconf and of the public one."""

from __future__ import annotations

import uuid

import pytest
from django.http import HttpResponse
from django.template import Context, Template
from django.urls import NoReverseMatch, URLResolver, get_resolver, path, reverse, set_urlconf
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from xuncha.middleware import organization_urlconf
from xuncha.templatetags import links

pytestmark = pytest.mark.django_db

NUMBERS = [0, 7, 41, 123456, 987654300]  # the last one is the tag's own first stand-in

# A translated route (this module as a urlconf): its link depends on the language it is written in.
urlpatterns = [
    path(format_lazy("{}/<int:pk>/", gettext_lazy("Open")), lambda request, pk: HttpResponse(), name="translated")
]


def _routes(patterns, namespace="", parameters=()):
    """(view name, the route's parameters with their converter) of every named route below `patterns`."""
    for pattern in patterns:
        here = parameters + _parameters(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern.url_patterns, inner, here)
        elif pattern.name:
            yield f"{namespace}{pattern.name}", here


def _parameters(pattern):
    if isinstance(pattern, RoutePattern):
        return tuple((name, type(converter).__name__) for name, converter in pattern.converters.items())
    if isinstance(pattern, RegexPattern):
        return tuple((name, "regex") for name in pattern.regex.groupindex)
    return ()


def _value(converter: str, number: int):
    return uuid.UUID(int=number) if converter == "UUIDConverter" else number


@pytest.fixture
def county_urlconf(orgs):
    county = orgs["county_a"]
    county.domain_subfolder = county.code
    urlconf = organization_urlconf(county)
    set_urlconf(urlconf)
    yield urlconf
    set_urlconf(None)


def _checked(urlconf) -> int:
    """Render every route with each of NUMBERS in one page, by name and by position, and compare each link with
    reverse()'s; the number of routes checked."""
    checked = 0
    for name, parameters in sorted(set(_routes(get_resolver(urlconf).url_patterns))):
        names = [parameter for parameter, _ in parameters]
        rows = [[_value(converter, number) for _, converter in parameters] for number in NUMBERS]
        if not names:
            assert Template(f"{{% url '{name}' %}}").render(Context()) == reverse(name, urlconf=urlconf), name
        for by_name in (True, False) if names else ():
            given = " ".join(f"{parameter}=v{i}" if by_name else f"v{i}" for i, parameter in enumerate(names))
            values = " ".join(f"v{i}=row.{i}" for i in range(len(names)))
            link = f"{{% url '{name}' {given} %}}"
            source = f"{{% for row in rows %}}{{% with {values} %}}{link}|{{% endwith %}}{{% endfor %}}"
            expected = [
                reverse(name, kwargs=dict(zip(names, row, strict=True)), urlconf=urlconf)
                if by_name
                else reverse(name, args=row, urlconf=urlconf)
                for row in rows
            ]
            assert Template(source).render(Context({"rows": rows})).split("|")[:-1] == expected, name
        checked += 1
    return checked


def test_every_route_of_an_organisation_is_written_as_reverse_writes_it(county_urlconf):
    assert _checked(county_urlconf) > 100


def test_every_public_route_is_written_as_reverse_writes_it(settings):
    set_urlconf(settings.PUBLIC_SCHEMA_URLCONF)  # as OrganizationRoutingMiddleware does outside /org/
    try:
        assert _checked(settings.PUBLIC_SCHEMA_URLCONF) > 5
    finally:
        set_urlconf(None)


def test_a_row_s_link_carries_its_own_number_and_the_organisation_s_prefix(county_urlconf):
    page = Template("{% for pk in pks %}<a href=\"{% url 'rectification:feedback' pk %}\">{% endfor %}")
    assert page.render(Context({"pks": [3, 45, 3]})) == (
        '<a href="/org/410621/rectification/feedback/3/">'
        '<a href="/org/410621/rectification/feedback/45/">'
        '<a href="/org/410621/rectification/feedback/3/">'
    )
    step = Template("{% url 'rectification:item-step' 12 'accept' %} {% url 'rectification:item-step' 9 'reject' %}")
    assert step.render(Context()) == (
        "/org/410621/rectification/items/12/accept/ /org/410621/rectification/items/9/reject/"
    )


def test_what_reverse_refuses_the_tag_refuses(county_urlconf):
    for value in (True, -3, "x"):
        with pytest.raises(NoReverseMatch):
            Template("{% url 'rectification:feedback' value %}").render(Context({"value": value}))
    as_var = Template("{% url 'rectification:feedback' value as link %}[{{ link }}]")
    assert as_var.render(Context({"value": -3})) == "[]"
    assert as_var.render(Context({"value": 8})) == "[/org/410621/rectification/feedback/8/]"


def test_a_page_reverses_each_shape_of_link_once(county_urlconf, monkeypatch):
    reversed_names = []

    def counted(view_name, *args, **kwargs):
        reversed_names.append(view_name)
        return reverse(view_name, *args, **kwargs)

    monkeypatch.setattr(links, "reverse", counted)
    page = Template(
        "{% for pk in pks %}{% url 'rectification:feedback' pk %} {% url 'rectification:item-step' pk 'accept' %} "
        "{% url 'rectification:item-step' pk 'reject' %}{% endfor %}"
    )
    written = page.render(Context({"pks": list(range(1, 26))}))
    assert written.count("/org/410621/rectification/feedback/") == 25
    assert "/org/410621/rectification/items/25/reject/" in written
    assert reversed_names == ["rectification:feedback", "rectification:item-step", "rectification:item-step"]


def test_a_link_is_written_in_the_language_of_where_it_stands():
    set_urlconf(__name__)
    try:
        page = Template(
            "{% load i18n %}{% language 'en' %}{% url 'translated' 1 %}{% endlanguage %} "
            "{% language 'zh-hans' %}{% url 'translated' 2 %}{% endlanguage %}"
        )
        assert page.render(Context()) == "/Open/1/ /%E6%9F%A5%E7%9C%8B/2/"  # 查看
    finally:
        set_urlconf(None)
