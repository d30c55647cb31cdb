"""The workshop WebSocket: authenticates, registers the socket with its process's hub,
sends the snapshot, answers ``sync`` and hands commands to ``actions``."""

import asyncio
import contextlib
import logging
import time

from channels.consumer import get_handler_name
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer

from .. import selectors
from ..actions import TRANSIENT, CommandError, apply_command
from ..frames import CLOSE_SERVER_ERROR, CLOSE_UNAUTHORISED, FrameError, bundle, encode, for_viewer, parse_frame
from ..frames import command_id as frame_command_id
from ..models import normalise_code
from . import dragging, joining
from .coalescing import spawn
from .database import database
from .hub import Hub
from .loop import loop_state

log = logging.getLogger(__name__)

# Token bucket per connection: bursts of 30 commands, 10 a second sustained.
RATE_BURST = 30
RATE_PER_SECOND = 10.0


class WorkshopConsumer(AsyncWebsocketConsumer):
    async def dispatch(self, message):
        # Channels' own dispatch first hops into the one sync thread to run
        # close_old_connections: ~90 µs of CPU per frame, and a burst of votes queues on that
        # one thread (docs/architecture.md, "Fan-out inside a process"). The database
        # work of this consumer runs on ``database`` threads, which look after their own
        # connections, so it calls the handler itself.
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
        self.drag_bucket = None  # drags have a bucket of their own (``dragging``)
        self.may_write = False
        # Opened with ``bundle=1``: consecutive events may come as one ``events`` frame.
        self.bundles = b"bundle=1" in self.scope.get("query_string", b"").split(b"&")
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
                    joined = await database(joining.join)(self.scope, code, key, server.server_id, hub)
                    outcome, workshop, snapshot = joined
                    if not isinstance(outcome, int):
                        self.admit(outcome, workshop)
                        await self.send_snapshot_text(*snapshot)
            except BaseException:
                hub.remove(self)  # e.g. the database is away: this socket fails, the hub stays clean
                raise
        else:
            outcome, workshop, _ = await database(joining.join)(self.scope, code, key, server.server_id)
            if not isinstance(outcome, int):
                self.admit(outcome, workshop)
                self.hub = await Hub.for_workshop(code, workshop)
                self.hub.add(self)
                async with self.order:
                    await self.send_snapshot()
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
        self.may_write = participant.may_write
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
            self.releasing = spawn(self._release())
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

    async def send_event(self, frame):
        """An event frame, as this participant may see it (restricted events)."""
        await self.send_text(self.event_text(frame))

    def event_text(self, frame):
        return encode(for_viewer(frame, self.participant_id, self.is_facilitator))

    async def send_event_texts(self, texts, bundled=None):
        """Consecutive event frames: one ``events`` frame if this socket takes bundles
        (``bundled``: that frame, if the caller made it already), else one frame each."""
        if self.bundles and len(texts) > 1:
            await self.send_text(bundled or bundle(texts))
            return
        for text in texts:
            await self.send_text(text)

    async def send_error(self, command_id, code, message):
        await self.send_json({"type": "error", "id": command_id, "code": code, "message": message})

    async def send_snapshot_text(self, seq, is_facilitator, text):
        self.is_facilitator = is_facilitator
        self.seq = seq
        await self.send_text(text)

    async def send_snapshot(self):
        await self.send_snapshot_text(*await database(joining.snapshot)(self.participant_id, self.hub.cache))

    # --- what the hub hands over ------------------------------------------------------

    def in_step(self):
        return self.ready and not self.backlog and not self.order.locked()

    async def offer_events(self, message, frames, bundled=None):
        """Write the events directly if this socket is in step, else queue them.
        ``bundled``: ``frames`` as one ``events`` frame, made once by the hub for all sockets."""
        if self.in_step() and not self.busy:
            fresh = frames if frames[0][0] > self.seq else [(seq, text) for seq, text in frames if seq > self.seq]
            if not fresh:
                return
            if fresh[0][0] == self.seq + 1:
                self.seq = fresh[-1][0]  # before the write: nothing else may send these seqs again
                await self.send_event_texts([text for _seq, text in fresh], bundled if fresh is frames else None)
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
            self.draining = spawn(self.drain())

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
        try:
            if text_data is None:
                raise FrameError("bad_frame", "Frames must be JSON text, not binary.")
            command = parse_frame(text_data)
        except FrameError as error:
            # Every frame takes a token, refused ones too: a flood of junk is limited like one of commands.
            if self.take_token():
                await self.send_error(None, error.code, error.message)
            else:
                await self.send_error(None, "rate_limited", "Too many messages; slow down and retry.")
            return
        command_id = frame_command_id(command)
        if command["type"] in TRANSIENT:
            # Drags take tokens of their own bucket and never reach the database (``dragging``).
            await dragging.receive_drag(self, command, command_id)
            return
        allowed = self.take_token()
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
        elif command["type"] == "card.move":
            outcome = await self.hub.moving.drops.submit(self.participant_id, command)  # in batches
        else:
            outcome = await database(apply_command)(self.participant_id, command)
        if outcome.reply is not None:
            await self.send_json({**outcome.reply, "id": command_id})
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
        await self.send_event_texts([self.event_text(frame) for frame in events])
        if events:
            self.seq = max(self.seq, events[-1]["seq"])
        await self.send_json({"type": "synced", "id": command.get("id"), "seq": max(self.seq, since)})

    # --- hub messages, worked off in order (``drain``) --------------------------------

    async def workshop_events(self, message):
        texts = []  # written together at the end (or before a snapshot)
        for frame in message["events"]:
            seq = frame["seq"]
            if seq <= self.seq:
                continue  # already sent (in a snapshot, a sync or directly)
            if seq > self.seq + 1:
                # A broadcast was lost or overtaken: fill the gap from the database.
                missing = await database(selectors.events_since)(self.workshop.pk, self.seq, seq - 1)
                if missing is None:
                    await self.send_event_texts(texts)
                    texts = []
                    await self.send_snapshot()
                    if seq <= self.seq:
                        continue
                else:
                    texts.extend(self.event_text(earlier) for earlier in missing)
            texts.append(self.event_text(frame))
            self.seq = seq
        await self.send_event_texts(texts)

    async def workshop_tally(self, message):
        tally = dict(message["tally"])
        public = tally.pop("public")
        if not public and not self.is_facilitator:
            tally["options"] = None
        await self.send_json({"type": "tally", **tally})

    async def workshop_presence(self, message):
        await self.send_json({"type": "presence", "online": message["online"], "count": message["count"]})
