"""The Redis layer waits out an outage and still ends when cancelled.

A socket or hub that is cancelled while it waits on Redis stops, even when redis-py
reports the cut-short read as a closed connection instead of a cancellation, or when
the library's polling loop loses the cancellation altogether. Before the first fix, the
receive loop took that error for an outage and retried for ever, so a worker's shutdown
(and the test suite's event-loop teardown) hung on the task."""

import asyncio

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from workshops import redis_layer
from workshops.redis_layer import WorkshopRedisChannelLayer

NOWHERE = "redis://127.0.0.1:1/0"  # a port where nothing listens


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
    layer = WorkshopRedisChannelLayer(hosts=[NOWHERE])
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


async def test_a_receive_whose_read_loses_the_cancellation_still_ends(monkeypatch):
    monkeypatch.setattr(redis_layer, "ABANDON_RETRY", 0.05)
    lost, ended = [], asyncio.Event()

    async def read_losing_one_cancellation(self, channel):
        """Like channels_redis's polling loop when a cancellation got lost inside one poll."""
        try:
            while True:
                try:
                    await asyncio.sleep(0.01)
                except asyncio.CancelledError:
                    if lost:
                        raise
                    lost.append(True)  # lost once, polls on
        finally:
            ended.set()

    monkeypatch.setattr(redis_layer.RedisChannelLayer, "receive", read_losing_one_cancellation)
    layer = WorkshopRedisChannelLayer(hosts=[NOWHERE])
    task = asyncio.ensure_future(layer.receive("workshop.hub!abc"))
    await asyncio.sleep(0.05)
    task.cancel()
    done, _ = await asyncio.wait([task], timeout=2)
    assert task in done and task.cancelled(), "the caller waits for a read that lost its cancellation"
    await asyncio.wait_for(ended.wait(), 2)  # the read was cancelled again and ended
    assert lost


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
    assert next(failures, None) is None  # both failures were retried


async def test_joining_and_leaving_a_group_survive_redis_being_away():
    """A hub starting or stopping during an outage carries on; it renews its membership later."""
    layer = WorkshopRedisChannelLayer(hosts=[NOWHERE])
    channel = await layer.new_channel()
    await asyncio.wait_for(layer.group_add("workshop-1", channel), 10)
    await asyncio.wait_for(layer.group_discard("workshop-1", channel), 10)
    with pytest.raises(redis_layer.REDIS_DOWN):
        await asyncio.wait_for(layer.group_send("workshop-1", {"type": "workshop.events", "events": []}), 10)
