"""Fan-out inside a process: one subscription per workshop to its group (``broadcast``),
handing each message to the local sockets. See docs/architecture.md ("Fan-out inside a
process")."""

import asyncio
import collections
import logging
import time

from channels.layers import get_channel_layer

from .. import broadcast, selectors
from ..frames import CLOSE_UNAUTHORISED, bundle, encode, for_viewer, sees_restricted
from ..models import Workshop
from ..redis_layer import raise_if_cancelling
from .coalescing import spawn
from .database import database
from .dragging import Moving
from .joining import SnapshotCache
from .loop import loop_state

log = logging.getLogger(__name__)

# A hub that heard nothing for this long checks the workshop's last seq, so that a
# broadcast the channel layer dropped is still delivered when no later event comes.
HUB_CHECK_INTERVAL = 2.0
DELIVER_SLICE = 100
# Events that arrive before earlier ones (another process's broadcast still on its way)
# wait this long for them; then the hub reads the missing ones from the database, once
# for all its sockets.
GAP_WAIT = 0.05
GAP = "hub.gap"  # an inbox entry of the hub's own: the wait for a gap is over


def _last_seq(workshop_id):
    return Workshop.objects.filter(pk=workshop_id).values_list("last_seq", flat=True).first()


class Hub:
    """This process's one subscription to a workshop's group, and its local sockets."""

    def __init__(self, code):
        self.code = code
        self.workshop = None
        self.workshop_id = None
        self.group = None
        self.channel = None
        self.members = set()
        self.cache = SnapshotCache()
        self.ready = asyncio.get_running_loop().create_future()
        self.task = None
        self.last_seq = 0
        self.heard = time.monotonic()
        self.online = 0  # sockets in the whole workshop, from the last presence message
        self.inbox = collections.deque()  # received, not yet delivered
        self.waiting_tallies = {}  # poll id -> its tally message in the inbox
        self.tallies_seen = {}  # poll id -> highest generation of a tally received (see claim_tally)
        self.wakeup = asyncio.Event()
        self.held = {}  # first seq -> events that came before earlier ones (``deliver_in_order``)
        self.gap_timer = None
        self.moving = Moving(self)  # drags: coalesced on their way out and in, never logged

    @classmethod
    async def for_workshop(cls, code, workshop):
        """The running hub of this workshop in this process, started if need be."""
        hubs = loop_state().hubs
        hub = hubs.get(code)
        if hub is None:
            hub = hubs[code] = cls(code)
            try:
                await hub.start(workshop)
            except BaseException as error:
                hubs.pop(code, None)
                hub.ready.set_exception(error)
                raise
        await asyncio.shield(hub.ready)
        return hub

    async def start(self, workshop):
        layer = get_channel_layer()
        self.workshop = workshop  # for its id: the hub does not follow its other fields
        self.workshop_id = workshop.pk
        self.group = broadcast.group_name(workshop.pk)
        self.last_seq = workshop.last_seq
        self.channel = await layer.new_channel()
        await layer.group_add(self.group, self.channel)
        self.task = spawn(self.run())
        self.ready.set_result(True)

    def add(self, consumer):
        self.members.add(consumer)

    def remove(self, consumer):
        self.members.discard(consumer)
        if not self.members and self.ready.done() and loop_state().hubs.get(self.code) is self:
            # The last local socket left: unsubscribe (a socket joining later starts a new hub).
            del loop_state().hubs[self.code]
            spawn(self.stop())

    async def stop(self):
        self.moving.stop()
        if self.gap_timer is not None:
            self.gap_timer.cancel()
        if self.task is not None:
            self.task.cancel()
        try:
            await get_channel_layer().group_discard(self.group, self.channel)
        except Exception:
            log.exception("hub of workshop %s could not leave its group", self.workshop_id)

    async def run(self):
        layer = get_channel_layer()
        helpers = [spawn(self.check_regularly()), spawn(self.deliver_inbox())]
        try:
            while True:
                message = await layer.receive(self.channel)
                raise_if_cancelling()
                self.heard = time.monotonic()
                self.enqueue(message)
        finally:
            for task in helpers:
                task.cancel()

    def enqueue(self, message):
        """Queue a message for delivery. A tally still waiting is replaced by a newer one
        of the same poll: when the sockets cannot take every tally, they get the latest.
        Drags do not queue: the latest position per card goes out with the next ``moving`` frame."""
        if message.get("type") == broadcast.MOVING:
            self.moving.heard(message)
            return
        if message.get("type") == broadcast.EVENTS:
            self.moving.settle(message["events"])
        if message.get("type") == broadcast.TALLY:
            poll = message["tally"]["poll"]
            generation = message.get("generation") or 0
            if generation:
                if generation < self.tallies_seen.get(poll, 0):
                    return  # counted before a tally already here (a slow process's): outdated
                self.tallies_seen[poll] = generation
            waiting = self.waiting_tallies.get(poll)
            if waiting is not None:
                waiting["tally"], waiting["generation"] = message["tally"], message.get("generation")
                return
            message = dict(message)
            self.waiting_tallies[poll] = message
        self.inbox.append(message)
        self.wakeup.set()

    async def deliver_inbox(self):
        while True:
            await self.wakeup.wait()
            raise_if_cancelling()
            self.wakeup.clear()
            while self.inbox:
                message = self.inbox.popleft()
                if message.get("type") == broadcast.TALLY:
                    del self.waiting_tallies[message["tally"]["poll"]]
                try:
                    await self.deliver(message)
                except Exception as error:
                    raise_if_cancelling(error)
                    log.exception("hub of workshop %s failed to deliver %s", self.workshop_id, message.get("type"))

    async def check_regularly(self):
        """Deliver events that were committed but whose broadcast never came, and renew
        the group membership (lost if Redis lost its data; expires after a day)."""
        layer = get_channel_layer()
        while True:
            await asyncio.sleep(HUB_CHECK_INTERVAL)
            raise_if_cancelling()
            if time.monotonic() - self.heard < HUB_CHECK_INTERVAL:
                continue
            try:
                await layer.group_add(self.group, self.channel)
                last = await database(_last_seq)(self.workshop_id)
                if last and last > self.last_seq:
                    events = await database(selectors.events_since)(self.workshop_id, self.last_seq, last)
                    if events is None:  # far behind: the last event alone; sockets fill the gap
                        events = await database(selectors.events_since)(self.workshop_id, last - 1, last)
                    if events:
                        self.enqueue({"type": broadcast.EVENTS, "events": events})
            except Exception as error:
                raise_if_cancelling(error)
                log.exception("hub of workshop %s: check failed", self.workshop_id)

    # --- events in seq order -------------------------------------------------------------

    async def deliver_in_order(self, message):
        """Hand events to the sockets in seq order. Two processes' broadcasts may overtake
        each other on their way through Redis: a message that begins after a gap waits up to
        ``GAP_WAIT`` for the earlier one, and then the hub reads the gap from the database
        once, rather than every socket on its own."""
        if message.get("type") == GAP:
            self.gap_timer = None
            if self.held and min(self.held) > self.last_seq + 1:
                await self.fill_gap(min(self.held) - 1)
            await self.deliver_held(force=True)
            return
        events = message["events"]
        if not events or events[-1]["seq"] <= self.last_seq:
            return  # delivered before (a check's reread, or a gap the hub filled)
        if events[0]["seq"] > self.last_seq + 1:
            self.held[events[0]["seq"]] = message
            if self.gap_timer is None:
                self.gap_timer = asyncio.get_running_loop().call_later(GAP_WAIT, self.enqueue, {"type": GAP})
            return
        await self.deliver_events(message)
        await self.deliver_held()

    async def deliver_held(self, force=False):
        """Held messages that are next now (all of them, in order, with ``force``)."""
        while self.held:
            first = min(self.held)
            if first > self.last_seq + 1 and not force:
                return
            message = self.held.pop(first)
            if message["events"][-1]["seq"] > self.last_seq:
                await self.deliver_events(message)
        if self.gap_timer is not None:
            self.gap_timer.cancel()
            self.gap_timer = None

    async def fill_gap(self, until):
        try:
            missing = await database(selectors.events_since)(self.workshop_id, self.last_seq, until)
        except Exception as error:  # the sockets fill the gap themselves
            raise_if_cancelling(error)
            log.warning("hub of workshop %s could not read events up to %s: %s", self.workshop_id, until, error)
            return
        if missing:  # None (far behind): the sockets read what they miss, or get a snapshot
            await self.deliver_events({"type": broadcast.EVENTS, "events": missing})

    async def deliver_events(self, message):
        self.cache.generation += 1
        events = message["events"]
        self.last_seq = max(self.last_seq, events[-1]["seq"])
        if not any("audience" in frame for frame in events):
            frames = [(frame["seq"], encode(frame)) for frame in events]
            bundled = bundle([text for _seq, text in frames]) if len(frames) > 1 else None
            for n, member in enumerate(list(self.members), 1):
                await member.offer_events(message, frames, bundled)
                await self.breathe(n)
            return
        # Restricted events: each socket gets the form it may see (two texts per event at most).
        texts = {}
        for n, member in enumerate(list(self.members), 1):
            frames = []
            for frame in events:
                audience = frame.get("audience")
                if audience is None:
                    key = (frame["seq"], None)
                else:
                    key = (frame["seq"], sees_restricted(audience, member.participant_id, member.is_facilitator))
                if key not in texts:
                    texts[key] = encode(for_viewer(frame, member.participant_id, member.is_facilitator))
                frames.append((frame["seq"], texts[key]))
            await member.offer_events(message, frames)
            await self.breathe(n)

    # --- everything else ---------------------------------------------------------------

    async def deliver(self, message):
        kind = message.get("type")
        if kind in (broadcast.EVENTS, GAP):
            await self.deliver_in_order(message)
        elif kind == broadcast.TALLY:
            self.cache.generation += 1
            tally = dict(message["tally"])
            public = tally.pop("public")
            full = encode({"type": "tally", **tally})
            hidden = full if public else encode({"type": "tally", **tally, "options": None})
            for n, member in enumerate(list(self.members), 1):
                await member.offer(message, full if public or member.is_facilitator else hidden)
                await self.breathe(n)
        elif kind == broadcast.REVOKE:
            revoked = set(message["participants"])
            for member in list(self.members):
                if member.participant_id in revoked:
                    await member.close(code=CLOSE_UNAUTHORISED)
        elif kind == broadcast.PRESENCE:
            self.cache.generation += 1  # a snapshot's online part is no older than the last change heard
            self.online = message["count"]
            text = encode({"type": "presence", "online": message["online"], "count": message["count"]})
            for n, member in enumerate(list(self.members), 1):
                await member.offer(message, text)
                await self.breathe(n)
        else:
            log.warning("hub of workshop %s: unknown message %r", self.workshop_id, kind)

    @staticmethod
    async def breathe(n):
        # Writing to thousands of sockets takes a while: let the loop read votes,
        # handshakes and newer messages (which may replace a waiting tally) meanwhile.
        if n % DELIVER_SLICE == 0:
            await asyncio.sleep(0)
