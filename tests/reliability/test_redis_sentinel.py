"""Redis behind Sentinel (REDIS_SENTINELS): the primary dies in the middle of a live
workshop served by two Daphne processes, the Sentinels promote the replica, and the
workshop goes on without a restart of any process.

The clients here are the platform's own: the channel layer (channels_redis with
``master_name``), the rate-limit cache (participation.redis_sentinel.SentinelCachePool)
and the health check. Cards sent during the failover are acknowledged (the database is
the truth) and reach every client once; nothing acknowledged is lost or shown twice. The
Redis servers and Sentinels are private ones on free ports; the shared Redis is never
touched.
"""

import asyncio
import tempfile
import time

import pytest
from django.core.cache.backends.redis import RedisCache

from participation import health
from tests.workshops.live_site import http
from workshops.redis_layer import WorkshopRedisChannelLayer

from .board import Board, close_all, joined_client, wait_until
from .faults import SentinelRedis, add_cards, assert_nothing_lost, close_site, new_site

pytestmark = pytest.mark.slow

PER_SERVER = 4
FAILOVER_SECONDS = 20


@pytest.fixture
def sentinel_set():
    with tempfile.TemporaryDirectory(prefix="sentinel-") as workdir:
        redis = SentinelRedis(workdir).start()
        try:
            yield redis
        finally:
            redis.stop()


def host_of(redis):
    return {"master_name": redis.MASTER, "sentinels": [("127.0.0.1", port) for port in redis.sentinels]}


def until(check, seconds):
    """Seconds until ``check()`` is true (polled), or fail."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            if check():
                return time.monotonic() - started
        except Exception:  # noqa: BLE001, S110 - between two primaries redis-py may raise anything; poll on
            pass
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s")


def test_the_cache_the_layer_and_the_health_check_follow_the_primary_the_sentinels_name(sentinel_set):
    redis = sentinel_set
    options = {"pool_class": "participation.redis_sentinel.SentinelCachePool", **host_of(redis)}
    cache = RedisCache("sentinel", {"OPTIONS": {**options, "socket_connect_timeout": 0.5, "socket_timeout": 0.5}})
    cache.set("zähler", 1)
    assert cache.get("zähler") == 1
    host = host_of(redis)
    assert health._client(host).ping()

    async def round_trip(text):
        layer = WorkshopRedisChannelLayer(hosts=[{**host, "socket_timeout": 30}])
        try:
            channel = await layer.new_channel()
            await layer.send(channel, {"type": "test.message", "text": text})
            return (await asyncio.wait_for(layer.receive(channel), 5))["text"]
        finally:
            await layer.flush()
            await layer.close_pools()

    assert asyncio.run(round_trip("vorher")) == "vorher"

    old = redis.kill_primary()
    promoted = until(lambda: redis.primary() not in (None, old), FAILOVER_SECONDS)
    # Every client finds the new primary by itself: no new settings, no restart.
    writable = until(lambda: cache.set("zähler", 2) is None and cache.get("zähler") == 2, FAILOVER_SECONDS)
    assert until(lambda: health._client(host).ping(), FAILOVER_SECONDS) is not None
    assert asyncio.run(round_trip("nachher")) == "nachher"
    print(f"\nFIGURES sentinel_failover promoted_s={promoted:.2f} cache_writable_s={promoted + writable:.2f}")


def healthz(server):
    return http("GET", f"{server.base}/healthz", timeout=3)


async def test_a_failover_in_a_live_workshop_loses_nothing_and_needs_no_restart(sentinel_set):
    redis = sentinel_set
    sentinels = {"REDIS_URL": None, "REDIS_SENTINELS": redis.addresses, "REDIS_MASTER": redis.MASTER}
    site = new_site(names=("A", "B"), env=sentinels)
    a, b = site.servers
    clients, wanted = [], []
    try:
        assert healthz(a) == (200, {"database": "ok", "channel_layer": "ok"})
        code = site.create_workshop(a)
        clients = [await joined_client(site, a if n % 2 else b, code, f"Teilnehmer {n}") for n in range(2 * PER_SERVER)]
        last = await add_cards(clients, "vor dem Ausfall", wanted)
        for client in clients:
            await client.wait_for(lambda f, s=last: f.get("type") == "event" and f["seq"] == s, timeout=10)

        old = await asyncio.to_thread(redis.kill_primary)
        started = time.monotonic()
        await add_cards(clients, "während des Ausfalls", wanted)
        await asyncio.to_thread(until, lambda: redis.primary() not in (None, old), FAILOVER_SECONDS)
        promoted = time.monotonic() - started
        last = await add_cards(clients, "nach dem Ausfall", wanted)

        def everyone_current():
            return all(Board.of(c.frames).seq == last for c in clients)

        assert await wait_until(everyone_current, FAILOVER_SECONDS), {
            c.name: Board.of(c.frames).seq for c in clients if Board.of(c.frames).seq != last
        }
        caught_up = time.monotonic() - started
        # Live fan-out between the two processes runs over the new primary.
        last = await add_cards(clients[:2], "danach live", wanted)
        for client in clients:
            await client.wait_for(lambda f, s=last: f.get("type") == "event" and f["seq"] == s, timeout=10)
        for server in (a, b):
            status, body = await asyncio.to_thread(healthz, server)
            assert status == 200, body

        await assert_nothing_lost(site, clients, code, wanted, "failover")
        print(
            f"\nFIGURES sentinel_workshop clients={len(clients)} cards={len(wanted)} "
            f"promoted_s={promoted:.2f} everyone_current_s={caught_up:.2f}"
        )
    finally:
        await close_all(clients)
        close_site(site)
