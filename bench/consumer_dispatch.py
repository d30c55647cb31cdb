"""CPU per incoming WebSocket frame of the workshop consumer, with and without Channels'
per-message database hop.

    DEBUG=1 .venv/bin/python bench/consumer_dispatch.py [--frames 20000] [--rounds 3]

``WorkshopConsumer.dispatch`` calls its handler itself. Channels' own
``AsyncConsumer.dispatch`` first runs ``close_old_connections`` in the one sync thread
(``aclose_old_connections``) for every message. This feeds ``ping`` frames to one
consumer (no server, no database: the ping answer is written to a list) both ways and
prints CPU and wall time per frame; the difference is what the consumer's ``dispatch``
saves (docs/architecture.md, "Fan-out inside a process").
"""

import argparse
import asyncio
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from channels.consumer import AsyncConsumer  # noqa: E402

from workshops.consumers import WorkshopConsumer  # noqa: E402

PING = {"type": "websocket.receive", "text": '{"type":"ping","id":1}'}


class ThroughChannels(WorkshopConsumer):
    """The consumer as it would be with Channels' dispatch (and its hop)."""

    async def dispatch(self, message):
        await AsyncConsumer.dispatch(self, message)


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def consumer(cls):
    socket = cls()
    socket.scope = {"type": "websocket"}
    # What ``connect`` would have set for an admitted participant.
    socket.participant_id, socket.seq, socket.busy, socket.ready = 1, 0, False, False
    socket.backlog, socket.draining = [], None
    socket.tokens, socket.refilled = float("inf"), time.monotonic()
    socket.sent = []

    async def send_text(text):
        socket.sent.append(text)

    socket.send_text = send_text
    return socket


async def per_frame(cls, frames):
    socket = consumer(cls)
    for _ in range(200):  # warm up (the sync thread starts with the first hop)
        await socket.dispatch(PING)
    cpu, wall = cpu_seconds(), time.perf_counter()
    for _ in range(frames):
        await socket.dispatch(PING)
    assert len(socket.sent) == frames + 200
    return 1e6 * (cpu_seconds() - cpu) / frames, 1e6 * (time.perf_counter() - wall) / frames


async def main(args):
    print("| dispatch | CPU µs/frame | wall µs/frame |\n| --- | ---: | ---: |")
    for _round in range(args.rounds):
        for name, cls in (("the consumer's (no hop)", WorkshopConsumer), ("Channels' (hop)", ThroughChannels)):
            cpu, wall = await per_frame(cls, args.frames)
            print(f"| {name} | {cpu:.1f} | {wall:.1f} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frames", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=3)
    asyncio.run(main(parser.parse_args()))
