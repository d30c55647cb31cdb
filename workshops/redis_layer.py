"""The Redis channel layer, made to survive a Redis restart (tests/reliability/test_redis_restart.py).

channels_redis keeps group memberships in Redis. When Redis restarts without its data,
three things go wrong with the plain layer:

- ``receive()`` raises ConnectionError inside the consumer: the consumer dies, Daphne
  closes the socket with 1011 and never runs ``disconnect()`` (the participant stays
  "online"); sockets connecting during the outage die in ``group_add`` the same way;
- the sockets that survive are no longer in their workshop's group: silent;
- every event broadcast during the outage is gone.

This layer retries ``receive()`` until Redis answers again, remembers which of this
process's channels are in which group, and checks once a second (one EXPIRE on a marker
key of this process) whether Redis lost its data or an operation failed. Then it adds
the channels to their groups again and sends each workshop group its latest logged
event: a consumer that missed anything sees a gap and fills it from the database (the
database is the truth, see docs/architecture.md), one that did not ignores the frame.
"""

import asyncio
import logging
import time
import uuid
import weakref
from collections import defaultdict

from channels.db import database_sync_to_async
from channels_redis.core import RedisChannelLayer
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

# What a lost or restarting Redis raises through redis-py (refused, reset, loading, timeout).
REDIS_DOWN = (RedisError, OSError)
WATCH_INTERVAL = 1.0
WARN_INTERVAL = 5.0
MARKER_TTL = 3600
TALLY_KEY_TTL = 24 * 3600
RETRY_FIRST = 0.05
RETRY_MAX = 1.0
WORKSHOP_GROUP_PREFIX = "workshop-"


def raise_if_cancelling(error=None):
    """Re-raise a cancellation that got lost on its way: a library turned it into another
    error (redis-py reports a read cut short by ``cancel()`` as a closed connection), or
    swallowed it (Python 3.11's ``wait_for`` when its inner call finishes at the same
    moment). A loop that carried on would keep its task alive for ever, and a shutdown
    waiting for that task would hang. Long-running loops call it on every round."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError from error


def _latest_event(workshop_id):
    from .models import WorkshopEvent

    event = WorkshopEvent.objects.filter(workshop_id=workshop_id).order_by("-seq").first()
    return None if event is None else event.as_frame()


class WorkshopRedisChannelLayer(RedisChannelLayer):
    def __init__(self, *args, watch_interval=WATCH_INTERVAL, **kwargs):
        super().__init__(*args, **kwargs)
        self.watch_interval = watch_interval
        self.memberships = defaultdict(set)  # group -> channels of this process in it
        self.unsent_groups = set()  # groups a group_send failed for
        self.suspect = False  # an operation failed: recover once Redis answers
        self.recoveries = 0
        self._marker = f"{self.prefix}:alive:{uuid.uuid4().hex}"
        self._marked = False
        self._warned_at = float("-inf")
        self._watchers = weakref.WeakKeyDictionary()  # event loop -> watcher task

    # --- the operations consumers use ---------------------------------------------------

    async def receive(self, channel):
        delay = RETRY_FIRST
        while True:
            raise_if_cancelling()
            try:
                return await super().receive(channel)
            except REDIS_DOWN as error:
                raise_if_cancelling(error)
                # Wait for Redis instead of killing the consumer (and its socket) with it.
                self.suspect = True
                self._warn("channel layer receive failed (%s); retrying", error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, RETRY_MAX)

    async def _brpop_with_clean(self, index, channel, timeout):
        # channels_redis polls in a loop until a message comes; a cancellation lost inside
        # one poll (seen: a consumer cancelled while polling went on polling for ever, so
        # whatever awaited it hung) must end the loop at the latest when that poll returns.
        raise_if_cancelling()
        result = await super()._brpop_with_clean(index, channel, timeout)
        raise_if_cancelling()
        return result

    async def group_add(self, group, channel):
        self.memberships[group].add(channel)
        self._watch()
        try:
            await super().group_add(group, channel)
        except REDIS_DOWN as error:
            # The socket works from the database meanwhile; the watcher adds it once Redis is back.
            self.suspect = True
            self._warn("group_add %s failed (%s); will re-add when Redis answers", group, error)

    async def group_discard(self, group, channel):
        members = self.memberships.get(group)
        if members is not None:
            members.discard(channel)
            if not members:
                del self.memberships[group]
        try:
            await super().group_discard(group, channel)
        except REDIS_DOWN as error:
            # Must not stop the consumer's disconnect (presence); the membership expires anyway.
            self._warn("group_discard %s failed (%s)", group, error)

    async def group_send(self, group, message):
        try:
            await super().group_send(group, message)
        except REDIS_DOWN:
            self.suspect = True
            self.unsent_groups.add(group)
            raise

    def _warn(self, message, *args):
        # Every socket of the process retries during an outage: one line per few seconds is enough.
        now = time.monotonic()
        if now - self._warned_at >= WARN_INTERVAL:
            self._warned_at = now
            log.warning(message, *args)

    # --- noticing a lost Redis and recovering ------------------------------------------

    def _watch(self):
        loop = asyncio.get_running_loop()
        task = self._watchers.get(loop)
        if task is None or task.done():
            self._watchers[loop] = loop.create_task(self._watch_loop())

    async def _watch_loop(self):
        while self.memberships or self.suspect or self.unsent_groups:
            await asyncio.sleep(self.watch_interval)
            raise_if_cancelling()
            try:
                await self.check()
            except REDIS_DOWN as error:
                raise_if_cancelling(error)
                self.suspect = True
            except Exception as error:
                raise_if_cancelling(error)
                log.exception("channel layer watcher failed")

    async def check(self):
        """Recover when this process's marker vanished (Redis lost its data) or an operation failed."""
        lost = False
        for index in range(self.ring_size):
            connection = self.connection(index)
            if not await connection.expire(self._marker, MARKER_TTL):
                await connection.set(self._marker, "1", ex=MARKER_TTL)
                lost = lost or self._marked
        self._marked = True
        if lost or self.suspect or self.unsent_groups:
            await self.recover(data_lost=lost)

    async def recover(self, data_lost):
        self.suspect = False
        groups = {group: set(channels) for group, channels in self.memberships.items() if channels}
        for group, channels in groups.items():
            for channel in channels:
                await super().group_add(group, channel)
        nudge = set(groups) | self.unsent_groups
        self.unsent_groups.clear()
        for group in nudge:
            await self.nudge(group)
        self.recoveries += 1
        log.warning(
            "channel layer recovered (%s): %d memberships re-added, %d groups nudged",
            "Redis lost its data" if data_lost else "after failed operations",
            sum(len(c) for c in groups.values()),
            len(nudge),
        )

    async def nudge(self, group):
        """Resend the workshop's latest event; consumers behind it fill their gap from the database."""
        if not group.startswith(WORKSHOP_GROUP_PREFIX):
            return
        workshop_id = group[len(WORKSHOP_GROUP_PREFIX) :]
        if not workshop_id.isdigit():
            return
        frame = await database_sync_to_async(_latest_event)(int(workshop_id))
        if frame is not None:
            await super().group_send(group, {"type": "workshop.events", "events": [frame]})

    # --- one tally stream per poll for all processes ------------------------------------

    async def claim_tally(self, poll_id, interval, covered):
        """Whether this process should count and broadcast poll ``poll_id``'s tally now.

        Every process whose sockets voted asks; one at a time holds the poll's turn for
        ``interval`` seconds, so a workshop gets one tally stream, not one per process.
        Returns the generation to send with the tally (a request's generation is taken
        after its votes were committed, and the holder reads it before reading the
        database, so the tally covers every request up to it), or None when a tally with
        a generation at least this request's reached this process meanwhile
        (``covered(generation)``). With Redis away it answers 0: count anyway."""
        key = f"{self.prefix}tally:{poll_id}"
        connection = self.connection(0)
        try:
            mine = await connection.incr(f"{key}:req")
            await connection.expire(f"{key}:req", TALLY_KEY_TTL)
            while True:
                raise_if_cancelling()
                if await connection.set(f"{key}:turn", "1", nx=True, px=max(1, int(interval * 1000))):
                    return int(await connection.get(f"{key}:req") or mine)
                if covered(mine):
                    return None
                wait = await connection.pttl(f"{key}:turn")
                await asyncio.sleep(max(wait, 5) / 1000)
        except REDIS_DOWN as error:
            raise_if_cancelling(error)
            return 0
