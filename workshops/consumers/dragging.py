"""Transient drags (``card.drag``): passed on to every screen, never logged.

While a card is dragged, its screen sends its position every few frames; the other screens
show it moving. None of it touches the event log or the database: the drop is a ``card.move``
command (logged, ``card.moved``), and only logged positions reach a snapshot or a resync.

- A drag's rights are those of ``card.move``, checked against a view of the board that the
  hub reads at most once a second (``actions.drag_rules``): a drag changes nothing, and its
  drop is checked again in full under the workshop's lock.
- Each socket has its own token bucket for drags, so dragging never eats the budget of
  commands (and a flood of drags never reaches the channel layer).
- Each hub collects its sockets' drags and sends them to the workshop's group at most every
  ``MOVING_INTERVAL`` (``broadcast.asend_moving``, the latest position per card); each hub
  keeps the latest position per card it heard and writes one ``moving`` frame to its sockets
  at most every ``MOVING_INTERVAL``. A card whose ``card.moved`` (or ``cluster.moved``,
  ``card.deleted``) just passed through the hub is left out for ``SETTLED_FOR``, so that a
  drag overtaken by its drop does not move the card back on anyone's screen.
"""

import asyncio
import logging
import time

from .. import broadcast
from ..actions import CommandError, apply_moves, drag_refusal, drag_rules
from ..frames import encode
from ..redis_layer import raise_if_cancelling
from .coalescing import answer, spawn
from .database import database

log = logging.getLogger(__name__)

DRAG_BURST = 40
DRAG_PER_SECOND = 20.0
MOVING_INTERVAL = 0.1
RULES_MAX_AGE = 1.0
# A card the view does not know may have been added since: read again if the view is older.
RULES_UNKNOWN_CARD_AGE = 0.2
SETTLED_FOR = 0.15
MOVE_BATCH_MAX = 200
# Events that fix a card's position for good.
SETTLING = {"card.moved", "card.deleted", "cluster.moved", "cards.merged"}
# Events after which the drags' view of the board is read again (cards added, locked,
# hidden, revealed; phase and settings), but not the frequent ones that change no right.
REFRESHING = ("card.", "cards.", "phase.", "workshop.", "brainwriting.")
NOT_REFRESHING = {"card.moved", "card.liked", "card.unliked", "card.reacted"}


class DragBucket:
    """A socket's token bucket for drags (``DRAG_PER_SECOND``, bursts of ``DRAG_BURST``)."""

    __slots__ = ("refilled", "tokens")

    def __init__(self):
        self.tokens = DRAG_BURST
        self.refilled = time.monotonic()

    def take(self):
        now = time.monotonic()
        self.tokens = min(DRAG_BURST, self.tokens + (now - self.refilled) * DRAG_PER_SECOND)
        self.refilled = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


async def receive_drag(consumer, command, command_id):
    """Answer one ``card.drag`` frame: refused (an error), or passed on and, if it has an
    ``id``, acknowledged (``seq`` null)."""
    if consumer.drag_bucket is None:
        consumer.drag_bucket = DragBucket()
    if not consumer.drag_bucket.take():
        await consumer.send_error(command_id, "rate_limited", "Too many drags; slow down and retry.")
        return
    if not consumer.may_write:
        await consumer.send_error(command_id, "forbidden", "Observers cannot change the board.")
        return
    moving = consumer.hub.moving
    card = command.get("card")
    rules = await moving.rules(card if isinstance(card, int) and not isinstance(card, bool) else None)
    if rules is None:
        await consumer.send_error(command_id, "server_error", "The board could not be read; nothing changed.")
        return
    error, drag = drag_refusal(rules, consumer.participant_id, consumer.is_facilitator, consumer.may_write, command)
    if error is not None:
        await consumer.send_error(command_id, error.code, error.message)
        return
    card_id, x, y, shown = drag
    if shown:  # a private or hidden card's drags stay on its own screen
        moving.dragged(card_id, x, y, consumer.participant_id)
    if command_id is not None:  # a drag without an id asks for no answer (one frame less per drag)
        await consumer.send_json({"type": "ack", "id": command_id, "seq": None, "duplicate": False})


class MoveBatcher:
    """A hub's drops (``card.move``), written in batches (``actions.apply_moves``): one batch
    at a time per workshop and process, and whatever arrives meanwhile goes into the next
    one. An idle hub writes a drop at once; in a storm the batches grow with the queue, and
    the workshop's lock is taken once per batch rather than once per drop."""

    def __init__(self):
        self.pending = []
        self.running = None

    async def submit(self, participant_id, command):
        future = asyncio.get_running_loop().create_future()
        self.pending.append((participant_id, command, future))
        if self.running is None:
            self.running = spawn(self._run())
        return await future

    async def _run(self):
        batch = []
        try:
            while self.pending:
                batch, self.pending = self.pending[:MOVE_BATCH_MAX], self.pending[MOVE_BATCH_MAX:]
                try:
                    results = await database(apply_moves)([(pid, command) for pid, command, _future in batch])
                except Exception as error:  # nothing was written; each gets server_error
                    raise_if_cancelling(error)
                    log.exception("a batch of %d moves failed", len(batch))
                    results = [error] * len(batch)
                answer(batch, results)
        finally:
            self.running = None
            # Cancelled (the process stops): nobody waits for an answer that never comes.
            for _pid, _command, future in [*batch, *self.pending]:
                if not future.done():
                    future.set_exception(CommandError("server_error", "The move could not be applied; retry."))
            self.pending = []


class Moving:
    """A hub's drags: its sockets' drags on their way out, everyone's on their way in; and
    its drops, in batches (``MoveBatcher``)."""

    def __init__(self, hub):
        self.hub = hub
        self.outgoing = {}  # card id -> {id, x, y, by}: this process's drags, not yet sent
        self.incoming = {}  # card id -> {id, x, y, by}: heard, not yet written to the sockets
        self.settled = {}  # card id -> when its position was last logged (monotonic)
        self.view = None
        self.view_at = 0.0
        self.invalidated = False  # an event changed cards, phase or settings: read before the next drag
        self.loading = None
        self.timers = {"out": None, "in": None}
        self.last = {"out": 0.0, "in": 0.0}
        self.writing = None
        self.drops = MoveBatcher()

    # --- the rights' view of the board ---------------------------------------------------

    async def rules(self, card_id):
        """The view of the board for this drag. An old view is used while a newer one is read
        in the background: a drag never waits for the database behind the commands (whose
        threads a storm of drops keeps busy), except for the first view, or for a card the
        view does not know yet (just added)."""
        age = time.monotonic() - self.view_at
        unknown = self.view is not None and card_id is not None and card_id not in self.view["cards"]
        wait = self.view is None or self.invalidated or (unknown and age > RULES_UNKNOWN_CARD_AGE)
        if wait or age > RULES_MAX_AGE:
            if self.loading is None:
                self.loading = spawn(self._load())
            if wait:
                await asyncio.shield(self.loading)
        return self.view

    async def _load(self):
        began = time.monotonic()
        invalidated, self.invalidated = self.invalidated, False
        try:
            self.view = await database(drag_rules)(self.hub.workshop_id)
            self.view_at = began
        except Exception as error:
            raise_if_cancelling(error)
            self.invalidated = self.invalidated or invalidated
            log.warning("drags of workshop %s: the board could not be read: %s", self.hub.workshop_id, error)
        finally:
            self.loading = None

    # --- out: this process's drags to the group ----------------------------------------

    def dragged(self, card_id, x, y, by):
        # Whole board units are exact enough for a card on its way, and keep the frames short.
        self.outgoing[card_id] = {"id": card_id, "x": round(x), "y": round(y), "by": by}
        self._schedule("out")

    async def _send(self):
        cards, self.outgoing = list(self.outgoing.values()), {}
        if not cards:
            return
        try:
            await broadcast.asend_moving(self.hub.workshop_id, cards)
        except Exception as error:
            raise_if_cancelling(error)
            log.warning("drags of workshop %s not passed on: %s", self.hub.workshop_id, error)

    # --- in: from the group to this process's sockets ----------------------------------

    def heard(self, message):
        now = time.monotonic()
        for entry in message.get("cards", ()):
            if now - self.settled.get(entry["id"], -SETTLED_FOR) < SETTLED_FOR:
                continue  # overtaken by its drop
            self.incoming[entry["id"]] = entry
        if self.incoming:
            self._schedule("in")

    def settle(self, events):
        """Events passing through the hub: pending drags of cards whose position was logged
        are stale, and a change of cards, phase or settings makes the drags' view stale."""
        now = time.monotonic()
        for frame in events:
            name = frame.get("name") or ""
            if name.startswith(REFRESHING) and name not in NOT_REFRESHING:
                self.invalidated = True
            if name not in SETTLING:
                continue
            data = frame.get("data") or {}
            ids = [data.get("id")]
            if frame["name"] == "cluster.moved":
                ids = [card.get("id") for card in data.get("cards", ())]
            elif frame["name"] == "cards.merged":
                ids = list(data.get("removed", ()))
            for card_id in ids:
                self.settled[card_id] = now
                self.incoming.pop(card_id, None)
                self.outgoing.pop(card_id, None)
        if len(self.settled) > 2000:
            self.settled = {card: t for card, t in self.settled.items() if now - t < SETTLED_FOR}

    async def _write(self):
        cards, self.incoming = list(self.incoming.values()), {}
        if not cards:
            return
        text = encode({"type": "moving", "cards": cards})
        for n, member in enumerate(list(self.hub.members), 1):
            if member.ready:  # after its snapshot; a moving frame has no seq, so no order to keep
                await member.send_text(text)
            await self.hub.breathe(n)

    # --- at most every MOVING_INTERVAL, the first at once ------------------------------

    def _schedule(self, way):
        if self.timers[way] is not None:
            return
        delay = max(0.0, self.last[way] + MOVING_INTERVAL - time.monotonic())
        self.timers[way] = asyncio.get_running_loop().call_later(delay, self._fire, way)

    def _fire(self, way):
        self.timers[way] = None
        if way == "in" and self.writing is not None and not self.writing.done():
            self.last[way] = time.monotonic()  # the last frame is still being written: this one waits
            self._schedule("in")
            return
        self.last[way] = time.monotonic()
        if way == "out":
            spawn(self._send())
        else:
            self.writing = spawn(self._write())

    def stop(self):
        for way, timer in self.timers.items():
            if timer is not None:
                timer.cancel()
            self.timers[way] = None
