"""/healthz of a real Daphne worker on Redis while workshop sockets are open.

A load balancer takes a worker out when /healthz answers 503. The check must say
whether this process can serve, not compete with the process's own sockets for the
channel layer: with idle sockets open, a round trip through the layer failed 9 of 10
probes although fan-out worked.
"""

import asyncio
import os
import urllib.error
import urllib.request

import pytest

from tests.workshops.live_site import LiveClient, LiveSite

pytestmark = pytest.mark.slow

PROBES = 20


@pytest.fixture(scope="module")
def site():
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL")
    site = LiveSite()
    try:
        site.setup(names=("A",))
        yield site
    finally:
        site.close()


def probe(server):
    try:
        with urllib.request.urlopen(f"{server.base}/healthz", timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


async def test_healthz_stays_200_with_idle_sockets_open(site):
    (server,) = site.servers
    code = site.create_workshop(server)
    clients = []
    try:
        for name in ("Anna", "Ben", "Cem", "Dora", "Emil"):
            joined = await asyncio.to_thread(site.join, server, code, name)
            client = await LiveClient(name, joined["ticket"]).connect(server, code)
            await client.wait_for(lambda f: f["type"] == "snapshot")
            clients.append(client)
        statuses = []
        for _ in range(PROBES):
            statuses.append(await asyncio.to_thread(probe, server))
        assert statuses == [200] * PROBES, statuses
        # The sockets still carry live changes.
        ack = await clients[0].command("card.add", text="Noch da")
        assert ack["type"] == "ack", ack
        await clients[-1].wait_for(lambda f: f["type"] == "event" and f["name"] == "card.added")
    finally:
        await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)
