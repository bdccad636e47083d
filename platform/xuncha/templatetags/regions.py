"""Region codes are shown by name: {% load regions %} {{ expert.home_region_code|region_name }} → 浚县."""

from django import template
from django.utils.translation import gettext as _

from shared.orgs.models import Organization

register = template.Library()


@register.filter
def region_name(code) -> str:
    """The organisation's name for a region code (行政区划代码); a code of no organisation here is shown
    with what it is, so it never passes for a name."""

    if not code:
        return "—"
    name = Organization.objects.filter(code=code).values_list("name", flat=True).first()
    return name or _("region code %(code)s") % {"code": code}
