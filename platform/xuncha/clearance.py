"""Clearance and need-to-know, in one place for pages, API, exports and search.

A user sees a record only if the record's classification is at most their clearance AND, when their
access comes from a grant (交叉巡察 team members from another county), the record belongs to one of
the granted rounds/targets. Models say how they relate to rounds and targets with two attributes:

    class Clue(ClassifiedModelMixin, models.Model):          # or just the attributes
        clearance_round_field = "round_id"                     # lookup to the round's pk
        clearance_target_field = "target_id"                   # lookup to the target's pk

A granted user sees nothing of a model that declares neither (fail closed). Records the user may
not see are filtered out of querysets, so a detail lookup answers 404 whether the record is
missing or hidden: error pages never confirm that a classified record exists.
"""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from rest_framework.permissions import BasePermission

from shared.accounts.selectors import NO_ACCESS


def visible_to(
    queryset: QuerySet, access, *, round_field: str | None = None, target_field: str | None = None
) -> QuerySet:
    """`queryset` narrowed to what `access` (request.org_access) may see."""
    access = access or NO_ACCESS
    model = queryset.model
    round_field = round_field or getattr(model, "clearance_round_field", None)
    target_field = target_field or getattr(model, "clearance_target_field", None)
    if not access.roles or access.clearance < 0:
        return queryset.none()
    if any(field.name == "classification" for field in model._meta.get_fields()):
        queryset = queryset.filter(classification__lte=access.clearance)
    if access.round_keys is not None or access.target_keys is not None:
        if not round_field and not target_field:
            return queryset.none()
        if round_field and access.round_keys is not None:
            queryset = queryset.filter(**{f"{round_field}__in": _ints_or_strings(access.round_keys)})
        if target_field and access.target_keys is not None:
            queryset = queryset.filter(**{f"{target_field}__in": _ints_or_strings(access.target_keys)})
    return queryset


def narrow_for_grant(
    queryset: QuerySet, access, *, round_field: str = "round_id", target_field: str | None = "target_id"
) -> QuerySet:
    """For selectors that already filter by role and clearance: a granted user (交叉巡察 member from
    another county) is further limited to the granted rounds and targets. Members are unaffected."""
    if access is None or not getattr(access, "is_granted", False):
        return queryset
    return visible_to(queryset, access, round_field=round_field, target_field=target_field)


def _ints_or_strings(keys):
    keys = sorted(keys)
    return [int(key) for key in keys] if all(str(key).isdigit() for key in keys) else keys


def record_visible_to(record, access) -> bool:
    """The same rule for one loaded record (e.g. in a template or a serializer)."""
    access = access or NO_ACCESS
    if not access.roles:
        return False
    if getattr(record, "classification", 0) > access.clearance:
        return False
    if access.round_keys is None and access.target_keys is None:
        return True
    round_field = getattr(record, "clearance_round_field", None)
    target_field = getattr(record, "clearance_target_field", None)
    if not round_field and not target_field:
        return False
    if round_field and access.round_keys is not None and not access.may_see_round(_follow(record, round_field)):
        return False
    return not target_field or access.target_keys is None or access.may_see_target(_follow(record, target_field))


def _follow(record, lookup: str):
    value = record
    for part in lookup.split("__"):
        value = getattr(value, part, None)
    return value


class ClassifiedQuerySet(models.QuerySet):
    def visible_to(self, access) -> QuerySet:
        return visible_to(self, access)


class ClassifiedModelMixin(models.Model):
    """Adds `Model.objects.visible_to(access)`; subclasses keep their own fields and managers."""

    clearance_round_field: str | None = None
    clearance_target_field: str | None = None

    objects = ClassifiedQuerySet.as_manager()

    class Meta:
        abstract = True


class ClearedForRecord(BasePermission):
    """DRF object permission: the record is within the caller's clearance and need to know.
    Answers as if the record did not exist (404), so the API does not confirm hidden records."""

    def has_permission(self, request, view) -> bool:
        return bool(getattr(request, "org_access", NO_ACCESS).roles)

    def has_object_permission(self, request, view, obj) -> bool:
        if record_visible_to(obj, getattr(request, "org_access", NO_ACCESS)):
            return True

        raise Http404


class HasClearance(BasePermission):
    """DRF view permission: `required_clearance = Classification.SECRET` on the view."""

    def has_permission(self, request, view) -> bool:
        access = getattr(request, "org_access", NO_ACCESS)
        return bool(access.roles) and access.cleared_for(getattr(view, "required_clearance", 0))
