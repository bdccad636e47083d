"""The fields every county ledger row opened from a superior's record has (督办台账; see
tenants/ledger/sharing.py `ledger_receive`): where it came from, the superior's fields copied as
received, when it was withdrawn, and who reported the county's own progress."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shared.accounts.models import Classification


class FromSuperior(models.Model):
    source = models.CharField(_("from organisation"), max_length=6)
    target_name = models.CharField(_("unit"), max_length=200, blank=True)
    superior_status = models.CharField(_("status at the superior"), max_length=16, blank=True)
    deadline_provisional = models.BooleanField(_("due date provisional"), default=False)
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Classification.choices, default=Classification.INTERNAL
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn by the superior at"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+"
    )

    # The superior's fields copied as received (each concrete model adds its own); erased when the
    # superior withdraws the record, so a county that lost the right keeps none of its content.
    SUPERIOR_FIELDS: tuple[str, ...] = ("target_name", "superior_status")

    class Meta:
        abstract = True

    def superior_fields_erase(self) -> list[str]:
        """Blank every field copied from the superior; returns their names (for save(update_fields=))."""
        for name in self.SUPERIOR_FIELDS:
            field = self._meta.get_field(name)
            setattr(self, name, None if field.null else "")
        return list(self.SUPERIOR_FIELDS)
