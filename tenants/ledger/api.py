"""The county ledger's one API shape (督办台账): a serializer base and a viewset base that each kind of
ledger row (SupervisedItem, ReceivedTransfer) declares its fields and its report action on; and the
superior's viewset base that lists its records with each county's reported progress."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rest_framework import serializers
from rest_framework.response import Response

from tenants.kernel.access import is_office, is_reader, require
from tenants.kernel.api import DayOfRequest, IdViewSet
from tenants.kernel.lookups import get_or_404
from tenants.ledger.registry import ledger_get
from tenants.ledger.selectors import ledger_list
from tenants.ledger.services import ledger_progress_report, status_colour


def ledger_fields(*own: str) -> list[str]:
    """A ledger serializer's fields: where the row came from, the kind's own fields, its colour and
    withdrawal."""
    return ["id", "source", "record_key", *own, "colour", "withdrawn_at"]


# A ledger row, read only, with its red/yellow/green colour (context: `yellow_within_days`). (A comment, not a
# docstring: drf-spectacular would show it as every ledger row's description in the API schema.)
class LedgerSerializer(DayOfRequest, serializers.ModelSerializer):
    colour = serializers.SerializerMethodField()

    def get_colour(self, obj) -> str:
        return status_colour(
            due=obj.deadline, done=obj.is_done, today=self.today, yellow_within_days=self.context["yellow_within_days"]
        )


class LedgerViewSet(IdViewSet):
    """A county's ledger of one kind: list and read (office and readers; `?withdrawn=1` for the rows the
    superior withdrew), and `_report` for the subclass's report action (the office)."""

    model: ClassVar[type]
    serializer_class: ClassVar[type[LedgerSerializer]]
    report_serializer_class: ClassVar[type[serializers.Serializer]]
    yellow_within_days: ClassVar[Callable[[], int]]

    def get_queryset(self):
        withdrawn = self.request.query_params.get("withdrawn") in ("1", "true")
        return ledger_list(model=self.model, access=self.request.org_access, withdrawn=withdrawn)

    def _context(self) -> dict:
        return {"yellow_within_days": type(self).yellow_within_days()}

    def list(self, request):
        require(is_office(request.org_access) or is_reader(request.org_access))
        return self.list_response(
            self.get_queryset(), lambda page: self.serializer_class(page, many=True, context=self._context()).data
        )

    def retrieve(self, request, pk=None):
        row = get_or_404(self.get_queryset(), pk)
        return Response(self.serializer_class(row, context=self._context()).data)

    def _report(self, request, pk):
        data = self.report_serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        row = ledger_progress_report(
            actor=request.user,
            access=request.org_access,
            record=get_or_404(self.get_queryset(), pk),
            **data.validated_data,
        )
        return Response(self.serializer_class(row, context=self._context()).data)


class SuperiorRecordViewSet(IdViewSet):
    """The superior's side of one ledger kind (`ledger_type`, its record type): its records, each with the
    latest progress its county reported (serializer context `county_progress`, by record id)."""

    ledger_type: ClassVar[str]
    serializer_class: ClassVar[type[serializers.Serializer]]

    def _context(self, records) -> dict:
        progress = ledger_get(self.ledger_type).county_progress(records=records, access=self.request.org_access)
        return {"county_progress": progress}

    def list_queryset(self):
        """The list's rows: get_queryset()'s, with fewer joins where the rows' serializer reads less."""
        return self.get_queryset()

    def list(self, request):
        return self.list_response(
            self.list_queryset(), lambda page: self.serializer_class(page, many=True, context=self._context(page)).data
        )

    def retrieve(self, request, pk=None):
        record = get_or_404(self.get_queryset(), pk)
        return Response(self.serializer_class(record, context=self._context([record])).data)

    def _record_step(self, request, pk, *, body: type[serializers.Serializer], service: Callable, record: str):
        """A POST action on one of the records: `body` validated, then `service(actor=, access=, <record>=the
        record, **body)`; answers the record as it now is, with its county's progress."""
        data = body(data=request.data)
        data.is_valid(raise_exception=True)
        done = service(
            actor=request.user,
            access=request.org_access,
            **{record: get_or_404(self.get_queryset(), pk)},
            **data.validated_data,
        )
        return Response(self.serializer_class(done, context=self._context([done])).data)
