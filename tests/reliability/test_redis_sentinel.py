"""Redis behind Sentinel (REDIS_SENTINELS): the primary dies, the Sentinels promote the
replica, and the platform's own clients follow without new settings or a restart: the
channel layer (channels_redis with ``master_name``), the rate-limit cache
(participation.redis_sentinel.SentinelCachePool) and the health check. The Redis servers
and Sentinels are private ones on free ports; the shared Redis is never touched.
"""

import asyncio
import tempfile
import time

import pytest
from django.core.cache.backends.redis import RedisCache

from participation import health
from workshops.redis_layer import WorkshopRedisChannelLayer

from .faults import SentinelRedis

pytestmark = pytest.mark.slow

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
