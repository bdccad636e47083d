from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tenants.agencies.models import Agency, AgencyDesk, AgencyKind, UnitLiaison
from tenants.kernel.access import require_office


@transaction.atomic
def agency_create(*, access, name: str, kind: str) -> Agency:
    require_office(access)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("An agency needs a name.")})
    if kind not in AgencyKind.values:
        raise ValidationError({"kind": _("Unknown agency kind.")})
    if Agency.objects.filter(name=name).exists():
        raise ValidationError({"name": _("An agency with this name already exists.")})
    return Agency.objects.create(name=name, kind=kind)


@transaction.atomic
def agency_desk_assign(*, access, person, agency: Agency) -> AgencyDesk:
    require_office(access)
    return AgencyDesk.objects.get_or_create(user=person, agency=agency)[0]


@transaction.atomic
def unit_liaison_assign(*, access, person, target) -> UnitLiaison:
    require_office(access)
    return UnitLiaison.objects.get_or_create(user=person, target=target)[0]
