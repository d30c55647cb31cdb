"""Work the sockets of a process share instead of doing it each: tallies and presence
broadcast at most once per interval (``Coalescer``) and votes arriving together written
in one transaction (``VoteBatcher``, ``actions.apply_votes``)."""

import asyncio
import logging

from ..actions import apply_votes
from .database import database

log = logging.getLogger(__name__)

VOTE_BATCH_WINDOW = 0.02
VOTE_BATCH_MAX = 500

_background = set()


def spawn(coro):
    """Run ``coro`` in the background, keeping a reference until it is done."""
    task = asyncio.ensure_future(coro)
    _background.add(task)
    task.add_done_callback(_background.discard)
    return task


def answer(batch, results):
    """Hand each waiting command of a batch ``[(participant id, command, future), ...]`` its
    result: an Outcome, or the exception it is refused (or failed) with."""
    for (_pid, _command, future), result in zip(batch, results, strict=True):
        if future.done():
            continue
        if isinstance(result, Exception):
            future.set_exception(result)
        else:
            future.set_result(result)


class Coalescer:
    """Runs ``flush(key)`` at most once per interval per key, after the first mark;
    with ``settle``, once more that long after the last mark."""

    def __init__(self, interval, flush, settle=None):
        self.interval = interval  # seconds, or a function of the key
        self.flush = flush
        self.settle = settle
        self.pending = set()
        self.settling = {}

    def mark(self, key):
        loop = asyncio.get_running_loop()
        if self.settle:
            timer = self.settling.pop(key, None)
            if timer is not None:
                timer.cancel()
            self.settling[key] = loop.call_later(self.settle, self._settled, key)
        if key in self.pending:
            return
        self.pending.add(key)
        interval = self.interval(key) if callable(self.interval) else self.interval
        loop.call_later(interval, self._fire, key)

    def _settled(self, key):
        self.settling.pop(key, None)
        spawn(self._run(key))

    def _fire(self, key):
        self.pending.discard(key)
        spawn(self._run(key))

    async def _run(self, key):
        try:
            await self.flush(key)
        except Exception:
            log.exception("coalesced flush for %s failed", key)


class VoteBatcher:
    """Collects ``poll.vote`` commands for ``VOTE_BATCH_WINDOW`` and writes them in one
    transaction (``actions.apply_votes``); each voter is answered after the commit."""

    def __init__(self):
        self.pending = []
        self.timer = None

    async def submit(self, participant_id, command):
        future = asyncio.get_running_loop().create_future()
        self.pending.append((participant_id, command, future))
        if len(self.pending) >= VOTE_BATCH_MAX:
            self._start()
        elif self.timer is None:
            self.timer = asyncio.get_running_loop().call_later(VOTE_BATCH_WINDOW, self._start)
        return await future

    def _start(self):
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        batch, self.pending = self.pending, []
        if batch:
            spawn(self._run(batch))

    async def _run(self, batch):
        try:
            results = await database(apply_votes)([(pid, command) for pid, command, _future in batch])
        except Exception as error:  # nothing was written; each voter gets server_error
            log.exception("a batch of %d votes failed", len(batch))
            results = [error] * len(batch)
        answer(batch, results)
