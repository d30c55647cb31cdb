"""A participant whose device stops reading its socket (frozen tab, dead Wi-Fi that keeps
the TCP connection) must not slow down or break anyone else.

Measured on a real Daphne process: while cards stream to 30 participants and one socket
never reads, every other participant gets every card within a generous bound, the stalled
socket is dropped by the server's keepalive (Daphne pings; no pong within the timeout:
autobahn aborts the connection and frees its send buffer), and the server's memory stays
bounded. The server runs with ping interval 2 s / timeout 3 s so the test is short; the
platform's default (Daphne's 20 s / 30 s) bounds the buffering the same way, at 50 s.
"""

import asyncio
import time

import pytest

from .board import TimedClient, close_all, wait_until
from .faults import query, rss_bytes, stalled_websocket, start_tuned_server

pytestmark = pytest.mark.slow

LISTENERS = 30
WRITERS = 5
CARDS_PER_WRITER = 25
PING_INTERVAL, PING_TIMEOUT = 2, 3
ARRIVAL_BOUND = 5.0  # seconds from sending a card to its arrival everywhere; generous, not a benchmark
MEMORY_BOUND = 64 * 2**20


async def test_a_client_that_stops_reading_does_not_hold_up_the_others(live_pair):
    site = live_pair
    server = await asyncio.to_thread(
        start_tuned_server, site, "pings", "--ping-interval", str(PING_INTERVAL), "--ping-timeout", str(PING_TIMEOUT)
    )
    code = site.create_workshop(server)
    stalled_joined = await asyncio.to_thread(site.join, server, code, "Eingefroren")
    names = [f"Zuhörer {n}" for n in range(LISTENERS)]
    joined = await asyncio.gather(*(asyncio.to_thread(site.join, server, code, name) for name in names))
    listeners = [TimedClient(name, j["ticket"], j["participant"]) for name, j in zip(names, joined, strict=True)]
    await asyncio.gather(*(c.connect(server, code, timeout=30) for c in listeners))
    await asyncio.gather(*(c.wait_for(lambda f: f["type"] == "snapshot", timeout=30) for c in listeners))
    writer_names = [f"Schreiberin {n}" for n in range(WRITERS)]
    joined = await asyncio.gather(*(asyncio.to_thread(site.join, server, code, name) for name in writer_names))
    writers = [TimedClient(name, j["ticket"], j["participant"]) for name, j in zip(writer_names, joined, strict=True)]
    await asyncio.gather(*(c.connect(server, code) for c in writers))
    await asyncio.gather(*(c.wait_for(lambda f: f["type"] == "snapshot") for c in writers))
    stalled = await asyncio.to_thread(stalled_websocket, server, code, stalled_joined["ticket"])
    everyone = listeners + writers
    try:
        baseline = rss_bytes(server.process.pid)
        peak = baseline
        sent_at = {}  # card text -> when it was sent
        padding = "x" * 400  # large frames fill the stalled socket's buffers sooner

        async def write(client):
            for n in range(CARDS_PER_WRITER):
                text = f"{client.name} Karte {n} {padding}"
                sent_at[text] = time.monotonic()
                reply = await client.command("card.add", text=text, timeout=20)
                assert reply["type"] == "ack", reply
                await asyncio.sleep(0.12)  # within the per-socket rate limit

        started = time.monotonic()
        await asyncio.gather(*(write(c) for c in writers))
        total = WRITERS * CARDS_PER_WRITER
        arrived_everywhere = await wait_until(
            lambda: all(sum(1 for f in c.frames if f.get("name") == "card.added") == total for c in everyone),
            ARRIVAL_BOUND,
        )
        assert arrived_everywhere, [sum(1 for f in c.frames if f.get("name") == "card.added") for c in everyone]
        peak = max(peak, rss_bytes(server.process.pid))

        # Latency of every card to every other participant (frames are stamped on arrival by the reader).
        worst = 0.0
        for client in everyone:
            for frame, arrived in zip(client.frames, client.arrived, strict=True):
                if frame.get("name") == "card.added":
                    worst = max(worst, arrived - sent_at[frame["data"]["text"]])
        assert worst < ARRIVAL_BOUND, worst

        # The stalled socket is dropped by the keepalive: its participant is counted out.
        participant = stalled_joined["participant"]

        def stalled_gone():
            rows = query(site, "SELECT count(*) FROM workshops_socketpresence WHERE participant_id = %s", [participant])
            return rows == [(0,)]

        dropped = await wait_until(stalled_gone, PING_INTERVAL + PING_TIMEOUT + 10, 0.25)
        dropped_after = time.monotonic() - started
        assert dropped, "the server kept a socket that never reads"
        peak = max(peak, rss_bytes(server.process.pid))
        assert peak - baseline < MEMORY_BOUND, (baseline, peak)

        # Everyone else is still connected and served.
        assert not [c.name for c in everyone if c.reader.done()]
        reply = await writers[0].command("card.add", text="Nach dem Abwurf")
        assert reply["type"] == "ack"
        for client in everyone:
            await client.wait_for(lambda f: f.get("seq") == reply["seq"], timeout=ARRIVAL_BOUND)
        print(
            f"\nFIGURES slow_consumer listeners={LISTENERS + WRITERS} cards={total} frames={total * len(everyone)} "
            f"worst_arrival_s={worst:.2f} stalled_dropped_after_s={dropped_after:.1f} "
            f"rss_growth_mb={(peak - baseline) / 2**20:.1f}"
        )
    finally:
        stalled.close()
        await close_all(everyone)
        server.stop()
