"""Redis restarts (killed, data lost) in the middle of a live workshop served by two
Daphne processes.

Cards sent while Redis is down are acknowledged (the database is the truth). Then the
workers recover by themselves: no socket is dropped, the group memberships that
died with Redis' data come back, and the events broadcast while Redis was away reach
every client without anyone asking (each process's hub, hearing nothing for 2 s, renews
its membership and delivers the missed events from the database). Nothing acknowledged is lost, nothing is shown twice.
The Redis here is a private redis-server on a free port; the shared one is never touched.
"""

import asyncio
import time

import pytest

from .board import Board, close_all, joined_client, wait_until
from .faults import PrivateRedis, add_cards, assert_nothing_lost, close_site, new_site

pytestmark = pytest.mark.slow

PER_SERVER = 6
RECOVERY_SECONDS = 10


@pytest.fixture(scope="module")
def redis_site():
    redis = PrivateRedis().start()
    try:
        site = new_site(names=("A", "B"), redis_url=redis.url)
    except BaseException:
        redis.stop()
        raise
    site.redis = redis
    yield site
    close_site(site)
    redis.stop()


async def test_a_redis_restart_loses_nothing_and_needs_no_reconnect(redis_site):
    site, redis = redis_site, redis_site.redis
    a, b = site.servers
    code = site.create_workshop(a)
    clients = [await joined_client(site, a if n % 2 else b, code, f"Teilnehmerin {n}") for n in range(2 * PER_SERVER)]
    wanted = []
    try:
        last = await add_cards(clients, "vor dem Neustart", wanted)
        for client in clients:
            await client.wait_for(lambda f, s=last: f.get("type") == "event" and f["seq"] == s, timeout=10)
        assert redis.keys("asgi:group:*"), "the workshop's group lives in this Redis"

        # Redis dies. Work goes on: acknowledgements come from the database, not from Redis.
        await asyncio.to_thread(redis.kill)
        started = time.monotonic()
        await add_cards(clients, "während des Ausfalls", wanted)
        outage_acks = time.monotonic() - started

        # Redis comes back empty: every group membership and queued message is gone.
        await asyncio.to_thread(redis.start)
        redis.restarts += 1
        assert not redis.keys("asgi:group:*")
        last = await add_cards(clients, "nach dem Neustart", wanted)
        late = await joined_client(site, b, code, "Nachzüglerin")
        clients.append(late)

        # Without any client asking, every socket shows every acknowledged card, once.
        def everyone_current():
            return all(Board.of(c.frames).seq == last for c in clients)

        assert await wait_until(everyone_current, RECOVERY_SECONDS), {
            c.name: Board.of(c.frames).seq for c in clients if Board.of(c.frames).seq != last
        }
        assert redis.keys("asgi:group:*"), "the memberships are back in Redis"

        # Live fan-out works again between the two processes.
        last = await add_cards(clients[:2], "danach live", wanted)
        for client in clients:
            await client.wait_for(lambda f, s=last: f.get("type") == "event" and f["seq"] == s, timeout=5)

        await assert_nothing_lost(site, clients, code, wanted, "restart")
        print(
            f"\nFIGURES redis_restart clients={len(clients)} cards={len(wanted)} restarts={redis.restarts} "
            f"acks_during_outage_s={outage_acks:.2f}"
        )
    finally:
        await close_all(clients)
