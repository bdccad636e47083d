from __future__ import annotations

from django.db.models import QuerySet

from tenants.experts.models import ConflictDeclaration, Expert


def expert_list(*, specialty: str | None = None, active_only: bool = False) -> QuerySet[Expert]:
    experts = Expert.objects.all()
    if specialty:
        experts = experts.filter(specialty=specialty)
    if active_only:
        experts = experts.filter(is_active=True)
    return experts


def conflict_list(*, expert: Expert) -> QuerySet[ConflictDeclaration]:
    return ConflictDeclaration.objects.filter(expert=expert).select_related("target").order_by("target__name", "kind")
