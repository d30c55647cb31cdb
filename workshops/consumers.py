"""The workshop WebSocket: authenticates, joins the workshop's group and hands
commands to ``actions.apply_command``. See docs/protocol.md for the frames."""

import asyncio
import json
import logging
import time
import weakref
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.db import connection, transaction

from participation import rules

from . import selectors
from .actions import CommandError, apply_command, connect_participant, join_workshop
from .models import Participant, ParticipantRole, Poll, Workshop, normalise_code
from .tickets import read_ticket

log = logging.getLogger(__name__)

MAX_FRAME_CHARS = 16_000
# Token bucket per connection: bursts of 30 commands, 10 a second sustained.
RATE_BURST = 30
RATE_PER_SECOND = 10.0
TALLY_INTERVAL = 0.1
PRESENCE_INTERVAL = 1.0
PRESENCE_NAMES_MAX = 200

CLOSE_UNAUTHORISED = 4401
CLOSE_NOT_FOUND = 4404


# --- database work, run in a worker thread ----------------------------------------


def _find_workshop(code):
    return Workshop.objects.filter(code=normalise_code(code)).first()


def _authenticate(scope, workshop):
    """The participant id for this socket: from a ticket, else from the session's user."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    ticket = (query.get("ticket") or [None])[0]
    if ticket:
        participant_id = read_ticket(ticket, workshop.pk)
        if participant_id and Participant.objects.filter(pk=participant_id, workshop=workshop).exists():
            return participant_id
        return None
    user = scope.get("user")
    if user is None or not user.is_authenticated:
        return None
    if rules.can_manage_process(user, workshop.process):
        name = user.get_full_name() or user.get_username()
        return join_workshop(workshop, user, name, ParticipantRole.FACILITATOR).pk
    existing = Participant.objects.filter(workshop=workshop, user=user).exclude(role=ParticipantRole.FACILITATOR)
    participant = existing.order_by("-role").first()
    return participant.pk if participant else None


def _snapshot(participant_id):
    """A consistent snapshot: everything read as of one moment, with that moment's seq."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        participant = Participant.objects.select_related("workshop").get(pk=participant_id)
        workshop = participant.workshop
        state = selectors.snapshot(workshop, participant)
        return {"type": "snapshot", "seq": workshop.last_seq, "state": state}, participant


def _poll_tally(poll_id):
    poll = Poll.objects.filter(pk=poll_id).prefetch_related("options").first()
    if poll is None:
        return None
    return {"poll": poll.pk, "public": poll.results_public, **selectors.poll_tally(poll)}


def _presence(workshop_id):
    online = selectors.online_participants(workshop_id)
    return {"online": online[:PRESENCE_NAMES_MAX], "count": len(online)}


# --- coalescing: at most one tally per poll per TALLY_INTERVAL, per process -----------


class Coalescer:
    """Runs ``flush(key)`` at most once per interval per key, after the first mark."""

    def __init__(self, interval, flush):
        self.interval = interval
        self.flush = flush
        self.pending = set()

    def mark(self, key):
        if key in self.pending:
            return
        self.pending.add(key)
        asyncio.get_running_loop().call_later(self.interval, self._fire, key)

    def _fire(self, key):
        self.pending.discard(key)
        task = asyncio.ensure_future(self._run(key))
        _background.add(task)
        task.add_done_callback(_background.discard)

    async def _run(self, key):
        try:
            await self.flush(key)
        except Exception:
            log.exception("coalesced flush for %s failed", key)


_background = set()


async def _flush_tally(key):
    workshop_id, poll_id = key
    tally = await database_sync_to_async(_poll_tally)(poll_id)
    if tally is not None:
        await get_channel_layer().group_send(f"workshop-{workshop_id}", {"type": "workshop.tally", "tally": tally})


async def _flush_presence(workshop_id):
    presence = await database_sync_to_async(_presence)(workshop_id)
    await get_channel_layer().group_send(f"workshop-{workshop_id}", {"type": "workshop.presence", **presence})


# One pair of coalescers per event loop (tests run several loops in one process).
_coalescers = weakref.WeakKeyDictionary()


def coalescers():
    loop = asyncio.get_running_loop()
    if loop not in _coalescers:
        _coalescers[loop] = (Coalescer(TALLY_INTERVAL, _flush_tally), Coalescer(PRESENCE_INTERVAL, _flush_presence))
    return _coalescers[loop]


class WorkshopConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.participant_id = None
        self.is_facilitator = False
        self.seq = 0
        self.tokens = RATE_BURST
        self.refilled = time.monotonic()
        await self.accept()
        self.workshop = await database_sync_to_async(_find_workshop)(self.scope["url_route"]["kwargs"]["code"])
        if self.workshop is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        participant_id = await database_sync_to_async(_authenticate)(self.scope, self.workshop)
        if participant_id is None:
            await self.close(code=CLOSE_UNAUTHORISED)
            return
        self.participant_id = participant_id
        self.group = self.workshop.group_name
        # Join the group before the snapshot, so no event falls between the two.
        await self.channel_layer.group_add(self.group, self.channel_name)
        await database_sync_to_async(connect_participant)(participant_id, +1)
        await self.send_snapshot()
        coalescers()[1].mark(self.workshop.pk)

    async def disconnect(self, code):
        if self.participant_id is None:
            return
        await self.channel_layer.group_discard(self.group, self.channel_name)
        await database_sync_to_async(connect_participant)(self.participant_id, -1)
        coalescers()[1].mark(self.workshop.pk)

    async def send_json(self, frame):
        text = json.dumps(frame, ensure_ascii=False, separators=(",", ":"))
        try:
            await self.send(text_data=text)
        except (RuntimeError, OSError) as error:
            # The client left while this frame was on its way (Daphne raises Disconnected,
            # a RuntimeError). Its websocket.disconnect is queued behind and must still run,
            # or the participant stays "online" and in the group.
            log.debug("frame for a closed socket dropped: %s", error)

    async def send_error(self, command_id, code, message):
        await self.send_json({"type": "error", "id": command_id, "code": code, "message": message})

    async def send_snapshot(self):
        frame, participant = await database_sync_to_async(_snapshot)(self.participant_id)
        self.is_facilitator = participant.is_facilitator
        self.seq = frame["seq"]
        await self.send_json(frame)

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
        if text_data is None:
            await self.send_error(None, "bad_frame", "Frames must be JSON text, not binary.")
            return
        if len(text_data) > MAX_FRAME_CHARS:
            await self.send_error(None, "too_large", f"A frame may have at most {MAX_FRAME_CHARS} characters.")
            return
        try:
            command = json.loads(text_data)
        except ValueError:
            await self.send_error(None, "bad_json", "The frame is not valid JSON.")
            return
        if not isinstance(command, dict) or not isinstance(command.get("type"), str):
            await self.send_error(None, "bad_frame", "A frame is a JSON object with a 'type'.")
            return
        raw_id = command.get("id")
        command_id = raw_id if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) else None
        if not self.take_token():
            await self.send_error(command_id, "rate_limited", "Too many messages; slow down and retry.")
            return
        try:
            if command["type"] == "sync":
                await self.sync(command)
            elif command["type"] == "ping":
                await self.send_json({"type": "pong", "id": command_id, "seq": self.seq})
            else:
                await self.run_command(command, command_id)
        except CommandError as error:
            await self.send_error(command_id, error.code, error.message)
        except Exception:
            log.exception("workshop command failed: %.200s", text_data)
            await self.send_error(command_id, "server_error", "The command could not be applied; nothing changed.")

    async def run_command(self, command, command_id):
        outcome = await database_sync_to_async(apply_command)(self.participant_id, command)
        await self.send_json({"type": "ack", "id": command_id, "seq": outcome.seq, "duplicate": outcome.duplicate})
        if outcome.tally_poll:
            coalescers()[0].mark((self.workshop.pk, outcome.tally_poll))

    async def sync(self, command):
        since = command.get("since")
        if isinstance(since, bool) or not isinstance(since, int) or since < 0:
            raise CommandError("invalid", "'since' must be the last seq you have (a whole number ≥ 0).")
        events = await database_sync_to_async(selectors.events_since)(self.workshop.pk, since)
        if events is None or (not events and since > self.seq):
            await self.send_snapshot()
            return
        for frame in events:
            await self.send_json(frame)
        if events:
            self.seq = max(self.seq, events[-1]["seq"])
        await self.send_json({"type": "synced", "id": command.get("id"), "seq": max(self.seq, since)})

    # --- group messages -------------------------------------------------------------

    async def workshop_events(self, message):
        for frame in message["events"]:
            seq = frame["seq"]
            if seq <= self.seq:
                continue  # already sent (e.g. in a snapshot or a sync)
            if seq > self.seq + 1:
                # A broadcast was lost or overtaken: fill the gap from the database.
                missing = await database_sync_to_async(selectors.events_since)(self.workshop.pk, self.seq, seq - 1)
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
