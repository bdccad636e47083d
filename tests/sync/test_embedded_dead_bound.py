"""The embedded transport's dead-letter queue is bounded like RabbitMQ's (issue 13 point 3): at most
XUNCHA_SYNC_DEAD_MAX_LENGTH letters, the oldest dropped first, and none older than 30 days.
Before, its table grew for ever."""

from __future__ import annotations

import json
import uuid

import pytest

from sync.transport import PostgresBus


@pytest.fixture
def bus(db, settings):
    settings.XUNCHA_SYNC_DEAD_MAX_LENGTH = 3
    transport = PostgresBus(f"xuncha.test.dead.{uuid.uuid4().hex[:8]}")
    yield transport
    transport.delete_everything([])


def _dead_details(bus) -> list[str]:
    with bus._conn().cursor() as cursor:
        cursor.execute(
            "SELECT headers FROM public.buskeys_embeddedmessage WHERE queue = %s ORDER BY id", [bus.dead_queue]
        )
        return [json.loads(h)["x-xuncha-detail"] if isinstance(h, str) else h["x-xuncha-detail"] for (h,) in cursor]


def test_the_dead_letter_queue_keeps_the_newest_letters_up_to_its_length(bus):
    for number in range(5):
        bus.dead_letter(receiver_code="410621", body=b"{}", reason="malformed", detail=f"letter {number}")
    assert bus.dead_depth() == 3
    assert _dead_details(bus) == ["letter 2", "letter 3", "letter 4"]


def test_letters_older_than_thirty_days_are_dropped(bus):
    bus.dead_letter(receiver_code="410621", body=b"{}", reason="malformed", detail="old letter")
    with bus._conn().cursor() as cursor:  # the letter's age, as the transport's own clock would make it
        cursor.execute(
            "UPDATE public.buskeys_embeddedmessage SET created_at = now() - interval '31 days' WHERE queue = %s",
            [bus.dead_queue],
        )
    bus.dead_letter(receiver_code="410621", body=b"{}", reason="malformed", detail="new letter")
    assert _dead_details(bus) == ["new letter"]
