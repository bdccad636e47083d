"""The county ledger's model base (督办台账): every row a county opens from a superior's record has
these fields (see tenants/ledger/sharing.py `ledger_receive`): where it came from, the superior's
fields copied as received, when it was withdrawn, and who reported the county's own progress. Each
concrete row (SupervisedItem, ReceivedTransfer) adds its own fields and says, by the class
attributes below, which of its statuses means done and which date records it, what of it travels up
as the county's progress, and how its notices name it."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from shared.accounts.models import Classification
from shared.accounts.references import user_reference
from shared.constraints import FieldCheck


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
    reported_by = user_reference(null=True, blank=True)

    # The superior's fields copied as received (each concrete model adds its own); erased when the
    # superior withdraws the record, so a county that lost the right keeps none of its content.
    SUPERIOR_FIELDS: tuple[str, ...] = ("target_name", "superior_status")
    # The county's status that means done, and the date field it requires (each concrete model).
    DONE_STATUS: str = ""
    DONE_ON_FIELD: str = ""
    # The superior's statuses (a TextChoices), the one meaning done there, and the one shown when the
    # row holds none the superior's list knows.
    SUPERIOR_STATUSES: type[models.TextChoices] | None = None
    SUPERIOR_DONE_STATUS: str = ""
    SUPERIOR_DEFAULT_STATUS: str = ""
    # The county's progress on the bus (tenants/ledger/registry.py): its record type, the body's references to the
    # superior's record and to the superior, and the county's fields that travel up.
    PROGRESS_TYPE: str = ""
    PROGRESS_KEY_FIELD: str = ""
    PROGRESS_SOURCE_FIELD: str = ""
    PROGRESS_FIELDS: tuple[str, ...] = ()
    # The notices (LedgerNotices): what a row is called in them, and the county's ledger page, relative to the
    # organisation.
    NOTICE_NOUN: Any = ""
    LEDGER_LINK: str = ""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__}#{self.pk}"

    def superior_fields_erase(self) -> list[str]:
        """Blank every field copied from the superior; returns their names (for save(update_fields=))."""
        for name in self.SUPERIOR_FIELDS:
            field = self._meta.get_field(name)
            setattr(self, name, None if field.null else "")
        return list(self.SUPERIOR_FIELDS)

    @property
    def is_done(self) -> bool:
        """Done for the red/yellow/green colour: we did it, or the superior has it done."""
        return self.status == self.DONE_STATUS or self.superior_status == self.SUPERIOR_DONE_STATUS

    @property
    def superior_status_label(self) -> str:
        """The superior's status in words (the bus carries its code)."""
        statuses = self.SUPERIOR_STATUSES
        if statuses is None:
            return self.superior_status
        code = self.superior_status if self.superior_status in statuses.values else self.SUPERIOR_DEFAULT_STATUS
        return str(statuses(code).label)

    @property
    def label(self) -> str:
        """What names a withdrawn row without saying anything of its content ("" = nothing does)."""
        return ""

    @property
    def withdrawn_note(self) -> str:
        """The county's own note shown beside a withdrawn row ("" = none)."""
        return ""

    @classmethod
    def status_choices(cls) -> list[tuple[str, str]]:
        """The county's own statuses (each concrete model's `status` field)."""
        return list(cls._meta.get_field("status").choices)

    @classmethod
    def status_values(cls) -> list[str]:
        return [value for value, _label in cls.status_choices()]

    def progress_fields_set(self, **values) -> list[str]:
        """Set the county's own fields of a progress report besides status and date (each concrete
        model: validate and set, return the names saved)."""
        raise NotImplementedError


def ledger_constraints(prefix: str, done_status: str, done_on: str, done_message) -> list:
    """A ledger row's constraints: one row per superior's record (`<prefix>_once`), and done only with
    its date (`<prefix>_<done_status>_has_date`); `prefix` keeps each table's constraint names."""
    return [
        models.UniqueConstraint(fields=["source", "record_key"], name=f"{prefix}_once"),
        FieldCheck(
            condition=~models.Q(status=done_status) | models.Q(**{f"{done_on}__isnull": False}),
            name=f"{prefix}_{done_status}_has_date",
            message=done_message,
            field=done_on,
        ),
    ]
