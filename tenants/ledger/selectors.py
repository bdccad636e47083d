"""Read side of the county ledger (督办台账)."""

from __future__ import annotations

from tenants.kernel.access import is_office, is_reader


def ledger_list(*, model, access, withdrawn: bool = False):
    """A county's ledger rows of one kind (`model`, a FromSuperior): the office and readers see them
    within their clearance, a granted member none; withdrawn ones apart."""
    if not (is_office(access) or is_reader(access)) or access.is_granted:
        return model.objects.none()
    return model.objects.filter(classification__lte=access.clearance, withdrawn_at__isnull=not withdrawn)
