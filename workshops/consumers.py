"""The workshop WebSocket: authenticates, registers the socket with its process's
fan-out hub and hands commands to ``actions``. See docs/protocol.md for the frames
and docs/architecture.md ("Fan-out inside a process") for the design.

How a broadcast reaches the sockets
    Each process subscribes once per workshop to the workshop's channel-layer group
    (a ``Hub``), not once per socket. A broadcast therefore crosses the channel layer
    once per process; the hub encodes each frame once and writes it to every local
    socket that is in step (its next ``seq``, nothing queued, not busy with a
    snapshot or a sync). Any other socket gets the message queued in its own backlog,
    which it works off in order under its ``order`` lock with the usual rules: events
    it already has are skipped, a gap is filled from the database.

Where the database work runs
    Not on Channels' one shared sync thread but on ``DB_THREADS`` threads per process
    (``database``): commands of different sockets run side by side, the order per
    socket is kept because a consumer handles one frame at a time, and the order
    across sockets comes from the workshop row lock in ``actions``. Votes arriving
    within ``VOTE_BATCH_WINDOW`` are written together (``actions.apply_votes``).
"""

import asyncio
import collections
import concurrent.futures
import contextlib
import json
import logging
import queue
import threading
import time
import weakref
from urllib.parse import parse_qs

from asgiref.sync import SyncToAsync
from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.db import connection, connections, transaction

from participation import rules

from . import broadcast, presence, selectors
from .actions import (
    CommandError,
    apply_command,
    apply_votes,
    join_workshop,
    rights_revoked,
)
from .frames import FrameError, parse_frame
from .frames import command_id as frame_command_id
from .models import Participant, ParticipantRole, Poll, Workshop, normalise_code
from .redis_layer import raise_if_cancelling
from .tickets import read_ticket

log = logging.getLogger(__name__)

# Token bucket per connection: bursts of 30 commands, 10 a second sustained.
RATE_BURST = 30
RATE_PER_SECOND = 10.0
TALLY_INTERVAL = 0.1
# A tally goes to every socket of the workshop; in big rooms it comes at most every
# online/TALLY_SOCKETS_PER_SECOND seconds per process, so that tallies leave the event
# loop time for the votes' acks (0.1 s up to 1,000 people online, 0.2 s at 2,000).
TALLY_SOCKETS_PER_SECOND = 10_000
# A second tally this long after the last vote: if the channel layer dropped the
# last coalesced one, the final count still arrives.
TALLY_SETTLE = 1.0
PRESENCE_INTERVAL = 1.0
# Sockets joining within this many seconds share the snapshot's common part (with who is online).
SNAPSHOT_SHARED_MAX_AGE = 1.0
# Every presence frame goes to every socket; in a big room (and above all while it
# fills up) it comes at most this many times a second per local socket, i.e. every
# PRESENCE_INTERVAL s up to PRESENCE_SOCKETS_PER_SECOND sockets, every 4 s at 4x that.
PRESENCE_SOCKETS_PER_SECOND = 250
VOTE_BATCH_WINDOW = 0.02
VOTE_BATCH_MAX = 500
DB_THREADS = 4
DB_IDLE_CLOSE = 1.0
# A hub that heard nothing for this long checks the workshop's last seq, so that a
# broadcast the channel layer dropped is still delivered when no later event comes.
HUB_CHECK_INTERVAL = 2.0
DELIVER_SLICE = 100

CLOSE_UNAUTHORISED = 4401
CLOSE_NOT_FOUND = 4404
CLOSE_SERVER_ERROR = 1011


def encode(frame):
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


# --- database threads -----------------------------------------------------------------


class DatabaseThreads(concurrent.futures.Executor):
    """A few threads for the sockets' database work. A thread keeps its database
    connection while work keeps coming (opening one costs ~10 ms on a busy machine,
    more than most commands) and closes it after ``idle`` seconds without work, so
    idle processes hold no connections. With ``?pool=true`` the connection goes back
    to the pool instead."""

    def __init__(self, size, idle):
        self.size = size
        self.idle = idle
        self.jobs = queue.SimpleQueue()
        self.threads = []
        self.lock = threading.Lock()

    def submit(self, fn, /, *args, **kwargs):
        future = concurrent.futures.Future()
        self.jobs.put((future, fn, args, kwargs))
        with self.lock:
            if len(self.threads) < self.size:
                thread = threading.Thread(target=self._work, name=f"workshop-db-{len(self.threads)}", daemon=True)
                self.threads.append(thread)
                thread.start()
        return future

    def _work(self):
        while True:
            try:
                job = self.jobs.get(timeout=self.idle)
            except queue.Empty:
                connections.close_all()
                job = self.jobs.get()
            future, fn, args, kwargs = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = fn(*args, **kwargs)
            except BaseException as error:  # handed to the awaiting coroutine
                future.set_exception(error)
            else:
                future.set_result(result)

    def close_connections(self):
        """Close every thread's connection now (for test teardown)."""
        with self.lock:
            count = len(self.threads)
        if not count:
            return
        barrier = threading.Barrier(count)

        def close():
            connections.close_all()
            barrier.wait(timeout=10)

        for future in [self.submit(close) for _ in range(count)]:
            future.result(timeout=20)


_threads = DatabaseThreads(DB_THREADS, DB_IDLE_CLOSE)


def close_database_threads():
    _threads.close_connections()


class _InDatabaseThread(SyncToAsync):
    """``database_sync_to_async`` on the workshop threads: a connection that saw an
    error or was left outside autocommit is replaced; a healthy one is kept."""

    def thread_handler(self, loop, *args, **kwargs):
        for conn in connections.all(initialized_only=True):
            if conn.connection is not None and (
                conn.get_autocommit() != conn.settings_dict["AUTOCOMMIT"]
                or (conn.errors_occurred and not conn.is_usable())
            ):
                conn.close()
            conn.errors_occurred = False
        return super().thread_handler(loop, *args, **kwargs)


def database(func):
    return _InDatabaseThread(func, thread_sensitive=False, executor=_threads)


# --- database work, run in a database thread ---------------------------------------------


def _ticket(scope):
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return (query.get("ticket") or [None])[0]


def _authenticate(scope, workshop):
    """The participant for this socket: from a ticket, else from the session's user."""
    ticket = _ticket(scope)
    if ticket:
        participant_id = read_ticket(ticket, workshop.pk)
        if participant_id:
            return Participant.objects.filter(pk=participant_id, workshop=workshop).first()
        return None
    user = scope.get("user")
    if user is None or not user.is_authenticated:
        return None
    if rules.can_manage_process(user, workshop.process):
        name = user.get_full_name() or user.get_username()
        return join_workshop(workshop, user, name, ParticipantRole.FACILITATOR)
    existing = Participant.objects.filter(workshop=workshop, user=user).exclude(role=ParticipantRole.FACILITATOR)
    return existing.order_by("-role").first()


def _join(scope, code, key, server_id, hub=None):
    """Find the workshop and the participant and write the socket's presence row (``key``
    on server ``server_id``); with the hub
    (the socket is already registered with it), also read the snapshot, so that
    joining a busy workshop is one trip to a database thread and, with a ticket on a
    board many join at once, one query."""
    ticket = _ticket(scope)
    if hub is not None and ticket:
        participant_id = read_ticket(ticket, hub.workshop.pk)
        participant = presence.check_in(key, server_id, participant_id, hub.workshop.pk) if participant_id else None
        if participant is None:
            return CLOSE_UNAUTHORISED, hub.workshop, None
        if rights_revoked(participant, hub.workshop):
            presence.check_out(key)
            return CLOSE_UNAUTHORISED, hub.workshop, None
        return participant, hub.workshop, _snapshot_or_count_out(participant, hub.cache, key)
    workshop = Workshop.objects.filter(code=code).first()
    if workshop is None:
        return CLOSE_NOT_FOUND, None, None
    participant = _authenticate(scope, workshop)
    if participant is None or rights_revoked(participant, workshop):
        return CLOSE_UNAUTHORISED, workshop, None
    presence.add_socket(key, server_id, participant)
    frame = _snapshot_or_count_out(participant, hub.cache, key) if hub is not None else None
    return participant, workshop, frame


def _snapshot_or_count_out(participant, cache, key):
    # The socket is counted in but not yet admitted: if the snapshot fails, nobody else counts it out.
    try:
        return _snapshot(participant, cache)
    except BaseException:
        presence.check_out(key)
        raise


def _snapshot(participant, cache):
    """The snapshot frame as text. The part every participant of a kind shares is taken
    from ``cache`` when no broadcast reached this process since it was read and it is at
    most ``SNAPSHOT_SHARED_MAX_AGE`` old (its online part: a crashed process's lease may
    have run out meanwhile)."""
    generation = cache.generation
    if not isinstance(participant, Participant):
        participant = Participant.objects.get(pk=participant)
    view = participant.is_facilitator
    entry = cache.entries.get(view)
    if entry is None or entry[0] != generation or time.monotonic() - entry[5] > SNAPSHOT_SHARED_MAX_AGE:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            workshop = Workshop.objects.get(pk=participant.workshop_id)
            shared = selectors.shared_snapshot(workshop, view)
        polls = shared.pop("polls")
        entry = (generation, workshop.last_seq, encode(shared)[1:-1], polls, bool(shared["cards"]), time.monotonic())
        cache.entries[view] = entry
    _generation, seq, shared_text, polls, has_cards, _read_at = entry
    personal = selectors.personal_snapshot(participant, polls=bool(polls), cards=has_cards)
    my_votes = personal.pop("my_votes")
    personal["polls"] = [{**poll, "my_vote": my_votes.get(str(poll["id"]))} for poll in polls]
    state = "{" + shared_text + "," + encode(personal)[1:-1] + "}"
    return seq, participant.is_facilitator, f'{{"type":"snapshot","seq":{seq},"state":{state}}}'


def _poll_tally(poll_id):
    poll = Poll.objects.filter(pk=poll_id).prefetch_related("options").first()
    if poll is None:
        return None
    return {"poll": poll.pk, "public": poll.results_public, **selectors.poll_tally(poll)}


def _presence(workshop_id):
    online, count = selectors.online_participants(workshop_id)
    return {"online": online, "count": count}


def _last_seq(workshop_id):
    return Workshop.objects.filter(pk=workshop_id).values_list("last_seq", flat=True).first()


# --- per event loop state: coalescers, vote batcher, hubs ----------------------------------


_background = set()


def _spawn(coro):
    task = asyncio.ensure_future(coro)
    _background.add(task)
    task.add_done_callback(_background.discard)
    return task


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
        _spawn(self._run(key))

    def _fire(self, key):
        self.pending.discard(key)
        _spawn(self._run(key))

    async def _run(self, key):
        try:
            await self.flush(key)
        except Exception:
            log.exception("coalesced flush for %s failed", key)


async def _flush_tally(key):
    workshop_id, poll_id = key
    layer = get_channel_layer()
    generation = None
    claim = getattr(layer, "claim_tally", None)  # several processes (Redis): one tally stream
    if claim is not None:
        state = loop_state()
        generation = await claim(
            poll_id, state.tally_interval(key), lambda mine: state.tally_seen(workshop_id, poll_id) >= mine
        )
        if generation is None:
            return  # another process's tally, counted after these votes, reached this process
    tally = await database(_poll_tally)(poll_id)
    if tally is not None:
        await broadcast.asend_tally(workshop_id, tally, generation)


async def _flush_presence(workshop_id):
    presence = await database(_presence)(workshop_id)
    await broadcast.asend_presence(workshop_id, presence)


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
            _spawn(self._run(batch))

    async def _run(self, batch):
        try:
            results = await database(apply_votes)([(pid, command) for pid, command, _future in batch])
        except Exception as error:  # nothing was written; each voter gets server_error
            log.exception("a batch of %d votes failed", len(batch))
            results = [error] * len(batch)
        for (_pid, _command, future), result in zip(batch, results, strict=True):
            if future.done():
                continue
            if isinstance(result, Exception):
                future.set_exception(result)
            else:
                future.set_result(result)


class LoopState:
    """What the sockets of one event loop (one server process) share."""

    def __init__(self):
        self.tallies = Coalescer(self.tally_interval, _flush_tally, settle=TALLY_SETTLE)
        self.presence = Coalescer(self.presence_interval, _flush_presence)
        self.votes = VoteBatcher()
        self.hubs = {}  # workshop code -> Hub
        # This process's presence lease and open sockets (see ``presence``).
        self.server = presence.ServerPresence(database, self.presence.mark, _flush_presence)

    def tally_seen(self, workshop_id, poll_id):
        """The highest generation of a tally of this poll that this process received."""
        return max(
            (hub.tallies_seen.get(poll_id, 0) for hub in self.hubs.values() if hub.workshop_id == workshop_id),
            default=0,
        )

    def tally_interval(self, key):
        workshop_id, _poll = key
        online = max((hub.online for hub in self.hubs.values() if hub.workshop_id == workshop_id), default=0)
        return max(TALLY_INTERVAL, online / TALLY_SOCKETS_PER_SECOND)

    def presence_interval(self, workshop_id):
        sockets = sum(len(hub.members) for hub in self.hubs.values() if hub.workshop_id == workshop_id)
        return max(PRESENCE_INTERVAL, sockets / PRESENCE_SOCKETS_PER_SECOND)


# Tests run several event loops in one process.
_loop_states = weakref.WeakKeyDictionary()


def loop_state():
    loop = asyncio.get_running_loop()
    state = _loop_states.get(loop)
    if state is None:
        state = _loop_states[loop] = LoopState()
    return state


def coalescers():
    state = loop_state()
    return state.tallies, state.presence


class SnapshotCache:
    """Shared snapshot parts of one workshop, valid while ``generation`` is unchanged;
    the hub moves it on with every event or tally it receives."""

    def __init__(self):
        self.generation = 0
        self.entries = {}


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
        self.task = _spawn(self.run())
        self.ready.set_result(True)

    def add(self, consumer):
        self.members.add(consumer)

    def remove(self, consumer):
        self.members.discard(consumer)
        if not self.members and self.ready.done() and loop_state().hubs.get(self.code) is self:
            # The last local socket left: unsubscribe (a socket joining later starts a new hub).
            del loop_state().hubs[self.code]
            _spawn(self.stop())

    async def stop(self):
        if self.task is not None:
            self.task.cancel()
        try:
            await get_channel_layer().group_discard(self.group, self.channel)
        except Exception:
            log.exception("hub of workshop %s could not leave its group", self.workshop_id)

    async def run(self):
        layer = get_channel_layer()
        helpers = [_spawn(self.check_regularly()), _spawn(self.deliver_inbox())]
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
        of the same poll: when the sockets cannot take every tally, they get the latest."""
        if message.get("type") == "workshop.tally":
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
                if message.get("type") == "workshop.tally":
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
                        self.enqueue({"type": "workshop.events", "events": events})
            except Exception as error:
                raise_if_cancelling(error)
                log.exception("hub of workshop %s: check failed", self.workshop_id)

    async def deliver(self, message):
        kind = message.get("type")
        if kind == "workshop.events":
            self.cache.generation += 1
            frames = [(frame["seq"], encode(frame)) for frame in message["events"]]
            self.last_seq = max(self.last_seq, frames[-1][0])
            for n, member in enumerate(list(self.members), 1):
                await member.offer_events(message, frames)
                await self.breathe(n)
        elif kind == "workshop.tally":
            self.cache.generation += 1
            tally = dict(message["tally"])
            public = tally.pop("public")
            full = encode({"type": "tally", **tally})
            hidden = full if public else encode({"type": "tally", **tally, "options": None})
            for n, member in enumerate(list(self.members), 1):
                await member.offer(message, full if public or member.is_facilitator else hidden)
                await self.breathe(n)
        elif kind == "workshop.revoke":
            revoked = set(message["participants"])
            for member in list(self.members):
                if member.participant_id in revoked:
                    await member.close(code=CLOSE_UNAUTHORISED)
        elif kind == "workshop.presence":
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


# --- the consumer -----------------------------------------------------------------------


class WorkshopConsumer(AsyncWebsocketConsumer):
    async def dispatch(self, message):
        # Channels 4.2+ hops into the one sync thread before every message to close
        # stale database connections. All database work of this consumer runs through
        # ``database``, which looks after its own connections, so the hop is skipped.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        try:
            await handler(message)
        except StopConsumer:
            raise
        except Exception:
            # Whatever failed, the socket closes cleanly and gives back its hub and presence;
            # an exception leaving the consumer would make Daphne close with 1011 and skip both.
            log.exception("workshop socket failed on %s; closing it", message.get("type"))
            with contextlib.suppress(Exception):
                await self.close(code=CLOSE_SERVER_ERROR)
            await self.release()
            raise StopConsumer from None

    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        finally:
            # Also when cancelled (server shutdown, a stuck close): the participant's count still goes down.
            await self.release()

    async def connect(self):
        self.participant_id = None
        self.presence_key = None  # this socket's presence row, while it may exist
        self.releasing = None
        self.is_facilitator = False
        self.seq = 0
        self.hub = None
        self.ready = False  # the snapshot went out: broadcasts may be written directly
        self.backlog = []  # hub messages waiting for this socket, oldest first
        self.order = asyncio.Lock()  # held while this socket sends events itself
        self.busy = False  # a frame of this socket is being answered (see ``receive``)
        self.draining = None
        self.tokens = RATE_BURST
        self.refilled = time.monotonic()
        await self.accept()
        code = normalise_code(self.scope["url_route"]["kwargs"]["code"])
        server = loop_state().server
        await server.ensure()
        self.presence_epoch = server.epoch
        self.presence_key = key = server.new_key()
        hub = loop_state().hubs.get(code)
        if hub is not None and hub.ready.done() and not hub.ready.exception():
            # Known workshop: register first, so nothing falls between the snapshot and
            # the broadcasts, then join and read the snapshot in one database trip.
            self.hub = hub
            hub.add(self)
            try:
                async with self.order:
                    outcome, workshop, snapshot = await database(_join)(self.scope, code, key, server.server_id, hub)
                    if not isinstance(outcome, int):
                        self.admit(outcome, workshop)
                        await self.send_snapshot_text(*snapshot)
            except BaseException:
                hub.remove(self)  # e.g. the database is away: this socket fails, the hub stays clean
                raise
        else:
            outcome, workshop, _ = await database(_join)(self.scope, code, key, server.server_id)
            if not isinstance(outcome, int):
                self.admit(outcome, workshop)
                self.hub = await Hub.for_workshop(code, workshop)
                self.hub.add(self)
                async with self.order:
                    await self.send_snapshot_text(*await database(_snapshot)(self.participant_id, self.hub.cache))
        if isinstance(outcome, int):
            self.presence_key = None  # none written (or deleted again)
            if self.hub is not None:
                self.hub.remove(self)
            await self.close(code=outcome)
            return
        self.ready = True
        self.drain_soon()
        loop_state().presence.mark(self.workshop.pk)

    def admit(self, participant, workshop):
        self.participant_id = participant.pk
        self.is_facilitator = participant.is_facilitator
        self.workshop = workshop
        loop_state().server.opened(self.presence_key, workshop.pk, participant.pk, self.presence_epoch)

    async def disconnect(self, code):
        await self.release()

    async def release(self):
        """Leave the hub and count the socket out, once, however the socket ends. In a
        task of its own: a cancellation of whoever waits must not stop it halfway."""
        if not hasattr(self, "releasing"):
            return  # ``connect`` never began
        if self.releasing is None:
            self.releasing = _spawn(self._release())
        await asyncio.shield(self.releasing)

    async def _release(self):
        if self.hub is not None:
            self.hub.remove(self)
        self.backlog = []
        key, self.presence_key = self.presence_key, None
        if key is None:
            return
        await loop_state().server.check_out(key)
        if self.participant_id is not None:
            loop_state().presence.mark(self.workshop.pk)

    # --- sending ----------------------------------------------------------------------

    async def send_text(self, text):
        try:
            await self.send(text_data=text)
        except (RuntimeError, OSError) as error:
            # The client left while this frame was on its way (Daphne raises Disconnected,
            # a RuntimeError). Its websocket.disconnect is queued behind and must still run,
            # or the participant stays "online".
            log.debug("frame for a closed socket dropped: %s", error)

    async def send_json(self, frame):
        await self.send_text(encode(frame))

    async def send_error(self, command_id, code, message):
        await self.send_json({"type": "error", "id": command_id, "code": code, "message": message})

    async def send_snapshot_text(self, seq, is_facilitator, text):
        self.is_facilitator = is_facilitator
        self.seq = seq
        await self.send_text(text)

    async def send_snapshot(self):
        await self.send_snapshot_text(*await database(_snapshot)(self.participant_id, self.hub.cache))

    # --- what the hub hands over ------------------------------------------------------

    def in_step(self):
        return self.ready and not self.backlog and not self.order.locked()

    async def offer_events(self, message, frames):
        """Write the events directly if this socket is in step, else queue them."""
        if self.in_step() and not self.busy:
            fresh = [(seq, text) for seq, text in frames if seq > self.seq]
            if not fresh:
                return
            if fresh[0][0] == self.seq + 1:
                for seq, text in fresh:
                    self.seq = seq  # before the write: nothing else may send this seq again
                    await self.send_text(text)
                return
        self.backlog.append(message)
        self.drain_soon()

    async def offer(self, message, text):
        """Tallies and presence: written directly unless events are queued before them."""
        if self.in_step():
            await self.send_text(text)
            return
        self.backlog.append(message)
        self.drain_soon()

    def drain_soon(self):
        if self.ready and self.backlog and self.draining is None and not self.busy:
            self.draining = _spawn(self.drain())

    async def drain(self):
        try:
            async with self.order:
                while self.backlog:
                    message = self.backlog.pop(0)
                    await getattr(self, get_handler_name(message))(message)
        except Exception:
            log.exception("socket of participant %s could not catch up", self.participant_id)
        finally:
            self.draining = None
        self.drain_soon()

    # --- commands ---------------------------------------------------------------------

    def take_token(self):
        now = time.monotonic()
        self.tokens = min(RATE_BURST, self.tokens + (now - self.refilled) * RATE_PER_SECOND)
        self.refilled = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True

    async def receive(self, text_data=None, bytes_data=None):
        if self.participant_id is None:
            return
        # Every frame takes a token, refused ones too: a flood of junk is limited like one of commands.
        allowed = self.take_token()
        try:
            if text_data is None:
                raise FrameError("bad_frame", "Frames must be JSON text, not binary.")
            command = parse_frame(text_data)
        except FrameError as error:
            if allowed:
                await self.send_error(None, error.code, error.message)
            else:
                await self.send_error(None, "rate_limited", "Too many messages; slow down and retry.")
            return
        command_id = frame_command_id(command)
        if not allowed:
            await self.send_error(command_id, "rate_limited", "Too many messages; slow down and retry.")
            return
        # Events broadcast while this frame is handled wait until its answer is out:
        # clients see the ack (or the error) of a command before its event.
        self.busy = True
        try:
            if command["type"] == "sync":
                async with self.order:
                    await self.sync(command)
            elif command["type"] == "ping":
                await self.send_json({"type": "pong", "id": command_id, "seq": self.seq})
            else:
                await self.run_command(command, command_id)
        except CommandError as error:
            await self.send_error(command_id, error.code, error.message)
            if error.code == "revoked":
                await self.close(code=CLOSE_UNAUTHORISED)  # no more live stream either
        except Exception:
            log.exception("workshop command failed: %.200s", text_data)
            await self.send_error(command_id, "server_error", "The command could not be applied; nothing changed.")
        finally:
            self.busy = False
            self.drain_soon()

    async def run_command(self, command, command_id):
        state = loop_state()
        if command["type"] == "poll.vote":
            outcome = await state.votes.submit(self.participant_id, command)
        else:
            outcome = await database(apply_command)(self.participant_id, command)
        await self.send_json({"type": "ack", "id": command_id, "seq": outcome.seq, "duplicate": outcome.duplicate})
        if outcome.tally_poll:
            state.tallies.mark((self.workshop.pk, outcome.tally_poll))

    async def sync(self, command):
        since = command.get("since")
        if isinstance(since, bool) or not isinstance(since, int) or since < 0:
            raise CommandError("invalid", "'since' must be the last seq you have (a whole number ≥ 0).")
        events = await database(selectors.events_since)(self.workshop.pk, since)
        if events is None or (not events and since > self.seq):
            await self.send_snapshot()
            return
        for frame in events:
            await self.send_json(frame)
        if events:
            self.seq = max(self.seq, events[-1]["seq"])
        await self.send_json({"type": "synced", "id": command.get("id"), "seq": max(self.seq, since)})

    # --- hub messages, worked off in order (``drain``) --------------------------------

    async def workshop_events(self, message):
        for frame in message["events"]:
            seq = frame["seq"]
            if seq <= self.seq:
                continue  # already sent (in a snapshot, a sync or directly)
            if seq > self.seq + 1:
                # A broadcast was lost or overtaken: fill the gap from the database.
                missing = await database(selectors.events_since)(self.workshop.pk, self.seq, seq - 1)
                if missing is None:
                    await self.send_snapshot()
                    if seq <= self.seq:
                        continue
                else:
                    for earlier in missing:
                        await self.send_json(earlier)
            await self.send_json(frame)
            self.seq = seq

    async def workshop_tally(self, message):
        tally = dict(message["tally"])
        public = tally.pop("public")
        if not public and not self.is_facilitator:
            tally["options"] = None
        await self.send_json({"type": "tally", **tally})

    async def workshop_presence(self, message):
        await self.send_json({"type": "presence", "online": message["online"], "count": message["count"]})
