"""A socket or hub that is cancelled while it waits on Redis stops, even when redis-py
reports the cut-short read as a closed connection instead of a cancellation.

Before the fix, the receive loop took that error for an outage and retried for ever, so
a worker's shutdown (and the test suite's event-loop teardown) hung on the task."""

import asyncio

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from workshops import redis_layer
from workshops.redis_layer import WorkshopRedisChannelLayer


@pytest.fixture
def layer(monkeypatch):
    calls = []

    async def cut_short_read(self, channel):
        """Waits like a blocking Redis read; a cancel surfaces as redis-py's closed-connection error."""
        calls.append(channel)
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            raise RedisConnectionError("Connection closed by server.") from None

    monkeypatch.setattr(redis_layer.RedisChannelLayer, "receive", cut_short_read)
    layer = WorkshopRedisChannelLayer(hosts=["redis://127.0.0.1:1/0"])
    layer.reads = calls
    return layer


async def test_a_cancelled_receive_ends_instead_of_retrying(layer):
    task = asyncio.ensure_future(layer.receive("workshop.hub!abc"))
    await asyncio.sleep(0.05)
    task.cancel()
    done, _ = await asyncio.wait([task], timeout=2)
    assert task in done, "the receive loop swallowed its cancellation"
    assert task.cancelled()
    assert len(layer.reads) == 1


async def test_an_outage_without_cancellation_is_still_retried(layer, monkeypatch):
    monkeypatch.setattr(redis_layer, "RETRY_FIRST", 0.01)
    failures = iter([RedisConnectionError("Connection refused"), RedisConnectionError("Connection refused")])

    async def flaky(self, channel):
        error = next(failures, None)
        if error is not None:
            raise error
        return {"type": "workshop.events", "events": []}

    monkeypatch.setattr(redis_layer.RedisChannelLayer, "receive", flaky)
    message = await asyncio.wait_for(layer.receive("workshop.hub!abc"), 2)
    assert message["type"] == "workshop.events"
    assert layer.suspect
