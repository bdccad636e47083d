"""`{% url %}` with the links of one page reversed once per shape (a template builtin: TEMPLATES' "builtins").

A list page writes the same few links for every row (整改台账: 84 per page, ~40 µs of `reverse()` each). Within one
render, the first `{% url 'rectification:feedback' f.pk %}` reverses with stand-in numbers for its integer arguments;
the rows after it put their own numbers where the stand-ins are. The site's routes take integers through path()
converters (`<int:>`, `<str:>`), which accept any non-negative integer and write it as its digits, so the link is the
one `reverse()` would give; `tests/platform/test_url_tag.py` checks that for every route of both urlconfs. A link
with no such number (strings only, negative numbers, booleans) goes through Django's own `reverse()`, and a shape
whose stand-ins do not reverse or appear more than once is reversed in full every time. `render` repeats Django's
`URLNode.render` (current app, `as`, escaping) because that one imports `reverse` inside itself, out of reach.
"""

from __future__ import annotations

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()

# Nine digits each (no stand-in is part of another or of an organisation's six-digit code), one per argument position.
_STAND_IN_BASE = 987_654_300
_CACHE = object()  # this module's key in the render context
_NO_TEMPLATE = object()


def _is_number(value) -> bool:
    return type(value) is int and value >= 0  # bool is an int, and an int converter would refuse it


def _current_app(context):
    try:
        return context.request.current_app
    except AttributeError:
        try:
            return context.request.resolver_match.namespace
        except AttributeError:
            return None


class PageURLNode(URLNode):
    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        current_app = _current_app(context)
        url = ""
        try:
            url = self._reverse(context, view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url

    @staticmethod
    def _reverse(context, view_name, args, kwargs, current_app) -> str:
        if not isinstance(view_name, str) or not any(_is_number(value) for value in [*args, *kwargs.values()]):
            return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        stand_ins, position = {}, iter(range(_STAND_IN_BASE, _STAND_IN_BASE + len(args) + len(kwargs)))

        def shaped(value):
            if _is_number(value):
                stand_ins[str(stand_in := next(position))] = value
                return stand_in
            return value

        shape_args = [shaped(value) for value in args]
        shape_kwargs = {key: shaped(value) for key, value in kwargs.items()}
        try:
            # The language too: a `{% language %}` block, or a translated route, changes the link.
            key = (view_name, current_app, get_language(), tuple(shape_args), tuple(shape_kwargs.items()))
            hash(key)
        except TypeError:  # an argument that cannot be a key: reverse it as it is
            return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        cache = context.render_context.dicts[0].setdefault(_CACHE, {})
        shape = cache.get(key)
        if shape is None:
            try:
                shape = reverse(view_name, args=shape_args, kwargs=shape_kwargs, current_app=current_app)
            except NoReverseMatch:
                shape = _NO_TEMPLATE
            else:
                if any(shape.count(stand_in) != 1 for stand_in in stand_ins):
                    shape = _NO_TEMPLATE
            cache[key] = shape
        if shape is _NO_TEMPLATE:
            return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        for stand_in, value in stand_ins.items():
            shape = shape.replace(stand_in, str(value))
        return shape


@register.tag
def url(parser, token):
    """Django's `{% url %}` (same syntax, same links), reversing each shape of link once per page."""
    node = django_url(parser, token)
    return PageURLNode(node.view_name, node.args, node.kwargs, node.asvar)
