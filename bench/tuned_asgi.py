"""The platform with the changes proposed in docs/benchmarks.md, applied as patches
for the "-tuned" benchmark targets only. Nothing here is used by the platform.

    daphne bench.tuned_asgi:application   (with DJANGO_SETTINGS_MODULE=bench.tuned_settings)

P1  WorkshopConsumer.dispatch without Channels' per-message ``aclose_old_connections``:
    since Channels 4.2 every message a consumer handles (each broadcast event, tally
    and presence frame, for every socket) first hops into the one sync thread. All
    database work of this consumer goes through ``database_sync_to_async``, which
    closes stale connections itself.
P3  Commands and tally reads in a small thread pool instead of the one sync thread
    (``thread_sensitive=False``): a burst of votes no longer queues up behind each
    other and in front of the coalesced tally. Order per socket is kept (a consumer
    awaits each command); order across sockets comes from the workshop row lock.
P4  In-memory channel layer: expired-message cleaning at most once a second instead
    of on every receive (it walks every channel and group member: O(N) per
    receive, O(N^2) per broadcast).
P5  Votes in batches: ``poll.vote`` commands that arrive within 20 ms are written in
    one transaction (receipts checked and written in bulk, one upsert of the votes)
    and acknowledged after its commit. The checks are those of ``actions.poll_vote``.
(P2, persistent database connections, is in bench/tuned_settings.py.)
"""

import asyncio
import time

from channels.consumer import get_handler_name
from channels.db import DatabaseSyncToAsync
from channels.layers import InMemoryChannelLayer
from django.db import transaction

from participation.asgi import application  # noqa: F401  (sets Django up)
from workshops import consumers
from workshops.actions import CommandError, Outcome, apply_command, check_command_id, validate_choice
from workshops.models import CommandReceipt, Participant, Poll, PollState, PollVote, WorkshopState


async def dispatch(self, message):
    handler = getattr(self, get_handler_name(message), None)
    if handler is None:
        raise ValueError(f"No handler for message type {message['type']}")
    await handler(message)


async def run_command(self, command, command_id):
    if command.get("type") == "poll.vote":
        outcome = await vote_batcher().submit(self.participant_id, command)
    else:
        outcome = await DatabaseSyncToAsync(apply_command, thread_sensitive=False)(self.participant_id, command)
    await self.send_json({"type": "ack", "id": command_id, "seq": outcome.seq, "duplicate": outcome.duplicate})
    if outcome.tally_poll:
        consumers.coalescers()[0].mark((self.workshop.pk, outcome.tally_poll))


async def flush_tally(key):
    workshop_id, poll_id = key
    tally = await DatabaseSyncToAsync(consumers._poll_tally, thread_sensitive=False)(poll_id)
    if tally is not None:
        await consumers.get_channel_layer().group_send(
            f"workshop-{workshop_id}", {"type": "workshop.tally", "tally": tally}
        )


BATCH_WINDOW = 0.02


def apply_votes(items):
    """Apply many poll.vote commands in one transaction; an Outcome or CommandError each."""
    results = [None] * len(items)
    accepted = {}  # (poll, participant) -> (index, choice, command id); the last one wins
    with transaction.atomic():
        command_ids = {}
        for index, (_participant_id, command) in enumerate(items):
            try:
                command_ids[index] = check_command_id(command)
            except CommandError as error:
                results[index] = error
        seen = set(
            CommandReceipt.objects.filter(
                participant_id__in={items[i][0] for i in command_ids}, command_id__in=set(command_ids.values())
            ).values_list("participant_id", "command_id")
        )
        participants = Participant.objects.select_related("workshop").in_bulk({items[i][0] for i in command_ids})
        poll_ids = {c.get("poll") for _p, c in items if isinstance(c.get("poll"), int)}
        polls = Poll.objects.select_for_update(no_key=True).filter(pk__in=poll_ids).prefetch_related("options")
        polls = {poll.pk: poll for poll in polls}
        for index, command_id in command_ids.items():
            participant_id, command = items[index]
            if (participant_id, command_id) in seen:
                results[index] = Outcome(seq=None, duplicate=True)
                continue
            seen.add((participant_id, command_id))
            participant = participants[participant_id]
            poll = polls.get(command.get("poll"))
            try:
                if not participant.may_write:
                    raise CommandError("forbidden", "Observers cannot vote.")
                if participant.workshop.state != WorkshopState.LIVE:
                    raise CommandError("wrong_phase", "The workshop is not live.")
                if poll is None or poll.workshop_id != participant.workshop_id:
                    raise CommandError("not_found", f"There is no poll {command.get('poll')!r} in this workshop.")
                if poll.state != PollState.OPEN:
                    raise CommandError("poll_not_open", "This poll is not open for votes.")
                if "choice" not in command:
                    raise CommandError("invalid", "'choice' is missing.")
                choice = validate_choice(poll, command["choice"])
            except CommandError as error:
                results[index] = error
                continue
            accepted[(poll.pk, participant_id)] = (index, choice, command_id)
            results[index] = Outcome(seq=None, tally_poll=poll.pk)
        PollVote.objects.bulk_create(
            [
                PollVote(poll_id=poll_id, participant_id=pid, choice=c)
                for (poll_id, pid), (_i, c, _id) in accepted.items()
            ],
            update_conflicts=True,
            unique_fields=["poll", "participant"],
            update_fields=["choice", "updated"],
        )
        CommandReceipt.objects.bulk_create(
            [
                CommandReceipt(participant_id=items[i][0], command_id=command_id, seq=None)
                for i, command_id in command_ids.items()
                if isinstance(results[i], Outcome) and not results[i].duplicate
            ]
        )
    return results


class VoteBatcher:
    def __init__(self):
        self.pending = []
        self.scheduled = False

    async def submit(self, participant_id, command):
        future = asyncio.get_running_loop().create_future()
        self.pending.append((participant_id, command, future))
        if not self.scheduled:
            self.scheduled = True
            asyncio.get_running_loop().call_later(BATCH_WINDOW, self._start)
        result = await future
        if isinstance(result, CommandError):
            raise result
        return result

    def _start(self):
        self.scheduled = False
        batch, self.pending = self.pending, []
        task = asyncio.ensure_future(self._run(batch))
        consumers._background.add(task)
        task.add_done_callback(consumers._background.discard)

    async def _run(self, batch):
        try:
            items = [(participant_id, command) for participant_id, command, _future in batch]
            results = await DatabaseSyncToAsync(apply_votes, thread_sensitive=False)(items)
        except Exception as error:  # the whole batch failed: nothing was written
            results = [error] * len(batch)
        for (_p, _c, future), result in zip(batch, results, strict=True):
            if not future.done():
                if isinstance(result, Exception) and not isinstance(result, CommandError):
                    future.set_exception(result)
                else:
                    future.set_result(result)


_batchers = {}


def vote_batcher():
    loop = asyncio.get_running_loop()
    if loop not in _batchers:
        _batchers[loop] = VoteBatcher()
    return _batchers[loop]


_original_clean = InMemoryChannelLayer._clean_expired


def clean_expired_at_most_once_a_second(self):
    now = time.monotonic()
    if now - getattr(self, "_cleaned_at", 0.0) >= 1.0:
        self._cleaned_at = now
        _original_clean(self)


consumers.WorkshopConsumer.dispatch = dispatch
consumers.WorkshopConsumer.run_command = run_command
consumers._flush_tally = flush_tally
InMemoryChannelLayer._clean_expired = clean_expired_at_most_once_a_second
