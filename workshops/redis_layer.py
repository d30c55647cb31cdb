"""The Redis channel layer: channels_redis's, made to outlive a Redis restart or a cut link
(tests/reliability/test_redis_restart.py, test_redis_blink.py).

channels_redis hands every Redis error to its caller. A ``receive()`` that raises ends the
consumer or hub waiting in it, and Daphne closes the socket with 1011 without running
``disconnect()``. This subclass wraps only the layer's public operations:

- ``receive()`` waits until Redis answers again instead of raising;
- ``group_add()`` and ``group_discard()`` log a failure and carry on: a hub that hears
  nothing for 2 s renews its membership (which also puts it back when Redis lost its
  data) and delivers from the database what it missed (docs/architecture.md, "Fan-out
  inside a process");
- ``group_send()`` raises as before (workshops/broadcast.py logs it; losing a broadcast
  is safe).

It knows nothing of workshops beyond the tally turn (``claim_tally``), which uses the
layer's Redis because every process already shares it.
"""

import asyncio
import logging
import time

from channels_redis.core import RedisChannelLayer
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

# What a lost or restarting Redis raises through redis-py (refused, reset, loading, timeout).
REDIS_DOWN = (RedisError, OSError)
WARN_INTERVAL = 5.0
TALLY_KEY_TTL = 24 * 3600
RETRY_FIRST = 0.05
RETRY_MAX = 1.0
ABANDON_RETRY = 0.5


def raise_if_cancelling(error=None):
    """Re-raise a cancellation that got lost on its way: a library turned it into another
    error (redis-py reports a read cut short by ``cancel()`` as a closed connection), or
    swallowed it (Python 3.11's ``wait_for`` when its inner call finishes at the same
    moment). A loop that carried on would keep its task alive for ever, and a shutdown
    waiting for that task would hang. Long-running loops call it on every round."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError from error


def _abandon(read):
    """Cancel a read whose caller was cancelled, again every ``ABANDON_RETRY`` seconds until
    it ends: a cancellation that lands while redis-py sends a command can be lost (Python
    3.11's ``wait_for`` drops it when the send finishes at the same moment), and the
    library's polling loop would then go on polling; the next one lands in a blocking read."""
    if read.done():
        if not read.cancelled():
            read.exception()  # expected (a cut-short read reported as a closed connection)
        return
    read.cancel()
    asyncio.get_running_loop().call_later(ABANDON_RETRY, _abandon, read)


class WorkshopRedisChannelLayer(RedisChannelLayer):
    async def receive(self, channel):
        delay = RETRY_FIRST
        while True:
            raise_if_cancelling()
            # channels_redis polls Redis in a loop until a message comes; a cancellation lost
            # inside one poll would keep that loop, and whoever awaits it, alive for ever. So
            # the read runs as a task of its own: a cancelled caller ends at once, and the
            # read is cancelled until it ends (``_abandon``).
            read = asyncio.ensure_future(super().receive(channel))
            try:
                await asyncio.wait((read,))
            except asyncio.CancelledError:
                _abandon(read)
                raise
            try:
                return read.result()
            except REDIS_DOWN as error:
                raise_if_cancelling(error)
                # Wait for Redis instead of killing the consumer (and its socket) with it.
                self._warn("channel layer receive failed (%s); retrying", error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, RETRY_MAX)

    async def group_add(self, group, channel):
        try:
            await super().group_add(group, channel)
        except REDIS_DOWN as error:
            # The hub renews its membership after 2 s of silence, and works from the database meanwhile.
            self._warn("group_add %s failed (%s); the hub renews it", group, error)

    async def group_discard(self, group, channel):
        try:
            await super().group_discard(group, channel)
        except REDIS_DOWN as error:
            # Must not stop a hub's or socket's shutdown; the membership expires anyway.
            self._warn("group_discard %s failed (%s)", group, error)

    _warned_at = float("-inf")

    def _warn(self, message, *args):
        # Every socket of the process retries during an outage: one line per few seconds is enough.
        now = time.monotonic()
        if now - self._warned_at >= WARN_INTERVAL:
            self._warned_at = now
            log.warning(message, *args)

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
