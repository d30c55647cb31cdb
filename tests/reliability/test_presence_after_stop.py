"""Presence stays exact when a worker stops: killed (SIGKILL, a crash) or stopped (SIGTERM,
as in a rolling restart).

Two Daphne workers on one database and Redis; 6 participants, 3 of them on the worker
that stops. Those 3 reconnect to the other worker, then all 6 leave. A fresh socket's
snapshot must then count only itself online (docs/protocol.md: the count is exact). A
stopped worker releases its sockets at once; a killed one's stop counting when its
presence lease runs out (workshops/presence.py), and the surviving worker tells the
workshop with a presence frame.
"""

import asyncio
import signal
import time

import pytest

from tests.workshops.live_site import LiveClient
from workshops import presence

from .board import close_all, joined_client
from .faults import query

pytestmark = pytest.mark.slow

PARTICIPANTS = 6
# A stopped worker releases its sockets while shutting down, so once everybody left the
# snapshots and presence frames are right within the presence interval (1 s); 5 s is generous.
STOPPED_BOUND = 5.0
# A killed worker's sockets stop counting LEASE s after its last renewal at the latest;
# its rows are swept and broadcast one renewal round later (plus the 1 s coalescing).
KILLED_SNAPSHOT_BOUND = presence.LEASE + 2.0
KILLED_BROADCAST_BOUND = presence.LEASE + presence.RENEW_INTERVAL + 3.0


async def snapshot_of_a_fresh_socket(site, server, code, name):
    """A new participant's socket on ``server``: (client, its snapshot's online part)."""
    client = await joined_client(site, server, code, name, role="observer")
    state = next(f for f in client.frames if f["type"] == "snapshot")["state"]
    return client, state["online_count"], sorted(p["name"] for p in state["online"])


@pytest.mark.parametrize(
    ("stop", "probing"),
    [("SIGKILL", True), ("SIGKILL", False), ("SIGTERM", True)],
    ids=["SIGKILL-probing", "SIGKILL-quiet", "SIGTERM-probing"],
)
async def test_participants_of_a_stopped_worker_do_not_stay_online(live_pair, stop, probing):
    """``probing``: fresh sockets every 0.5 s until one counts right (the snapshot's bound);
    quiet: nobody comes or goes until the watcher is told (the surviving worker's sweep)."""
    site = live_pair
    survivor = site.servers[1]
    doomed = await asyncio.to_thread(site.start, f"doomed-{stop}")
    code = site.create_workshop(survivor)
    names = [f"Person {n}" for n in range(PARTICIPANTS)]
    joined = await asyncio.gather(*(asyncio.to_thread(site.join, survivor, code, name) for name in names))
    people = [LiveClient(name, j["ticket"], j["participant"]) for name, j in zip(names, joined, strict=True)]
    victims, others = people[:3], people[3:]
    await asyncio.gather(*(c.connect(doomed, code) for c in victims), *(c.connect(survivor, code) for c in others))
    await asyncio.gather(*(c.wait_for(lambda f: f["type"] == "snapshot") for c in people))
    opened = []
    try:
        probe, _count, _names = await snapshot_of_a_fresh_socket(site, survivor, code, "Probe 0")
        opened.append(probe)
        await probe.wait_for(lambda f: f["type"] == "presence" and f["count"] == PARTICIPANTS + 1)
        await probe.close()

        stopped_at = time.monotonic()
        if stop == "SIGKILL":
            doomed.kill()
        else:
            doomed.process.send_signal(signal.SIGTERM)
            await asyncio.to_thread(doomed.process.wait, 15)
        await asyncio.gather(*(asyncio.wait_for(c.reader, 10) for c in victims), return_exceptions=True)
        assert all(c.reader.done() for c in victims)
        # What the stopped worker left behind: nothing after SIGTERM (it released its rows
        # while shutting down); after SIGKILL its 3 rows, which stop counting with its lease.
        left = await asyncio.to_thread(
            query,
            site,
            "SELECT (SELECT count(*) FROM workshops_socketpresence WHERE participant_id = ANY(%s)),"
            " (SELECT count(*) FROM workshops_presenceserver WHERE name LIKE %s)",
            [[c.participant for c in victims], f"%:{doomed.process.pid}"],
        )
        assert left == ([(0, 0)] if stop == "SIGTERM" else [(3, 1)])

        # The victims come back on the surviving worker; then everybody leaves.
        for client in victims:
            start = len(client.frames)
            await client.connect(survivor, code)
            await client.wait_for(lambda f: f["type"] == "snapshot", start=start)
        await close_all(people)
        left_at = time.monotonic()

        # Whoever opens the board now sees only who is really there: a watcher who stays,
        # and each probe itself (a fresh socket, closed again after its snapshot).
        watcher, _count, _names = await snapshot_of_a_fresh_socket(site, survivor, code, "Watcher")
        opened.append(watcher)
        # The watcher is told: a presence frame naming only the watcher (when quiet after
        # SIGKILL, only the surviving worker's sweep of the dead worker's rows can send it).
        told_by = left_at + STOPPED_BOUND if stop == "SIGTERM" else stopped_at + KILLED_BROADCAST_BOUND
        told = None
        if not probing:
            remaining = told_by - time.monotonic()
            frame = await watcher.wait_for(lambda f: f["type"] == "presence" and f["count"] == 1, timeout=remaining)
            assert [p["name"] for p in frame["online"]] == ["Watcher"]
            told = round(time.monotonic() - stopped_at, 1)
        # After SIGTERM counted from when everybody left, after SIGKILL from the kill (the lease).
        if stop == "SIGTERM":
            deadline = left_at + STOPPED_BOUND
        elif probing:
            deadline = stopped_at + KILLED_SNAPSHOT_BOUND
        else:
            # Quiet: the one probe follows the watcher's presence frame, which may come as late
            # as the broadcast's bound (checked above), after the snapshot's bound.
            deadline = told_by
        seen = []
        while True:
            probe, count, online = await snapshot_of_a_fresh_socket(site, survivor, code, f"Probe {len(seen) + 1}")
            await probe.close()
            seen.append((round(time.monotonic() - stopped_at, 1), count))
            if count == 2 or time.monotonic() > deadline or not probing:
                break
            await asyncio.sleep(0.5)
        assert count == 2, f"online counts seen (seconds after {stop}, count): {seen}"
        assert online == sorted(["Watcher", f"Probe {len(seen)}"])
        assert time.monotonic() <= deadline + 2, seen  # within the bound (plus the last probe's own round trip)

        if probing:  # the watcher is told too, after the probes have come and gone
            remaining = told_by - time.monotonic()
            frame = await watcher.wait_for(
                lambda f: f["type"] == "presence" and f["count"] == 1, timeout=max(remaining, 3)
            )
            assert [p["name"] for p in frame["online"]] == ["Watcher"]
            told = round(time.monotonic() - stopped_at, 1)
        mode = "probing" if probing else "quiet"
        print(f"\nFIGURES presence_after_{stop}_{mode} probes={seen} watcher_told_after={told}s")
    finally:
        await close_all(people + opened)
        doomed.stop()
