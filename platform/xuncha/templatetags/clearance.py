"""Templates never render a classified field to an uncleared user.

{% load clearance %}
{% classified_field clue "summary" %}        the field, or a neutral placeholder
{% if clue|visible_for:org_access %}...{% endif %}
"""

from django import template
from django.utils.translation import gettext as _

from xuncha.clearance import record_visible_to

register = template.Library()


@register.simple_tag(takes_context=True)
def classified_field(context, record, field_name: str, placeholder: str | None = None):
    access = context.get("org_access") or getattr(context.get("request"), "org_access", None)
    if record is None or not record_visible_to(record, access):
        return _("(withheld)") if placeholder is None else placeholder
    return getattr(record, field_name, "")


@register.filter
def visible_for(record, access) -> bool:
    return record_visible_to(record, access)
