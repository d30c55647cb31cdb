"""P1-P5 (bench/tuned_asgi.py) plus P6, a per-process fan-out hub, for the "-hub"
benchmark targets. A prototype for measuring, not for the platform.

P6  Instead of every socket joining the workshop's channel-layer group, each process
    joins it once (a "hub" channel) and keeps its own list of the workshop's sockets.
    A broadcast is received once per process, each frame is encoded once, and written
    straight to every socket that is idle and in step (its next seq). A socket that
    is busy (connecting, syncing, running a command) or would see a gap gets the
    message through its own channel as before, so order, dedup and gap filling stay
    the consumer's job.

    daphne bench.hub_asgi:application   (with DJANGO_SETTINGS_MODULE=bench.tuned_settings)
"""

import asyncio
import contextlib
import json
import logging
import time
from collections import defaultdict

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from bench.tuned_asgi import application  # noqa: F401  (P1-P5, Django set up)
from workshops import consumers

log = logging.getLogger(__name__)

_local = defaultdict(set)  # workshop id -> this process's consumers
_hubs = {}  # workshop id -> hub task


def encode(frame):
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


async def direct(consumer, text):
    with contextlib.suppress(RuntimeError, OSError):  # closed; its disconnect follows
        await consumer.base_send({"type": "websocket.send", "text": text})


async def deliver(workshop_id, message):
    layer = get_channel_layer()
    kind = message["type"]
    targets = list(_local.get(workshop_id, ()))
    if kind == "workshop.events":
        frames = [(frame["seq"], encode(frame)) for frame in message["events"]]
        for consumer in targets:
            if consumer.hub_busy or frames[0][0] != consumer.seq + 1:
                await layer.send(consumer.channel_name, message)
                continue
            for seq, text in frames:
                await direct(consumer, text)
                consumer.seq = seq
    elif kind == "workshop.tally":
        tally = dict(message["tally"])
        public = tally.pop("public")
        full = encode({"type": "tally", **tally})
        hidden = full if public else encode({"type": "tally", **tally, "options": None})
        for consumer in targets:
            await direct(consumer, full if public or consumer.is_facilitator else hidden)
    elif kind == "workshop.presence":
        text = encode({"type": "presence", "online": message["online"], "count": message["count"]})
        for consumer in targets:
            await direct(consumer, text)


async def hub(workshop_id, group):
    layer = get_channel_layer()
    channel = await layer.new_channel()  # the default prefix: channels_redis polls one inbox per prefix
    await layer.group_add(group, channel)
    while True:
        message = await layer.receive(channel)
        try:
            await deliver(workshop_id, message)
        except Exception:
            log.exception("hub delivery failed")


async def dispatch(self, message):
    handler = getattr(self, get_handler_name(message), None)
    if handler is None:
        raise ValueError(f"No handler for message type {message['type']}")
    self.hub_busy = True
    try:
        await handler(message)
    finally:
        self.hub_busy = False


async def connect(self):
    self.participant_id = None
    self.is_facilitator = False
    self.seq = 0
    self.hub_busy = True
    self.tokens = consumers.RATE_BURST
    self.refilled = time.monotonic()
    await self.accept()
    code = self.scope["url_route"]["kwargs"]["code"]
    self.workshop = await database_sync_to_async(consumers._find_workshop)(code)
    if self.workshop is None:
        await self.close(code=consumers.CLOSE_NOT_FOUND)
        return
    participant_id = await database_sync_to_async(consumers._authenticate)(self.scope, self.workshop)
    if participant_id is None:
        await self.close(code=consumers.CLOSE_UNAUTHORISED)
        return
    self.participant_id = participant_id
    self.group = self.workshop.group_name
    if self.workshop.pk not in _hubs:
        _hubs[self.workshop.pk] = asyncio.ensure_future(hub(self.workshop.pk, self.group))
        await asyncio.sleep(0.05)  # let the hub join the group before the snapshot
    _local[self.workshop.pk].add(self)
    await database_sync_to_async(consumers.connect_participant)(participant_id, +1)
    await self.send_snapshot()
    consumers.coalescers()[1].mark(self.workshop.pk)


async def disconnect(self, code):
    if self.participant_id is None:
        return
    _local[self.workshop.pk].discard(self)
    await database_sync_to_async(consumers.connect_participant)(self.participant_id, -1)
    consumers.coalescers()[1].mark(self.workshop.pk)


consumers.WorkshopConsumer.dispatch = dispatch
consumers.WorkshopConsumer.connect = connect
consumers.WorkshopConsumer.disconnect = disconnect
