"""``apply_command``, the one entry point for the WebSocket commands: it validates,
writes the change and its ``WorkshopEvent`` (with the next ``seq``) in one
transaction, remembers the command id, and broadcasts the events only after the
commit. A command id seen before is acknowledged again and changes nothing."""

import logging

from django.db import IntegrityError, transaction

from .. import broadcast
from ..models import (
    CommandReceipt,
    Participant,
    Workshop,
)
from .base import (
    CommandError,
    Context,
    Outcome,
    check_command_id,
    rights_revoked,
)
from .board import (
    card_add,
    card_delete,
    card_like,
    card_promote,
    card_unlike,
    card_update,
    cluster_add,
    cluster_delete,
    cluster_promote,
    cluster_update,
    comment_add,
)
from .polls import poll_close, poll_create, poll_open, poll_reveal, poll_vote
from .workshop import phase_set, workshop_update

log = logging.getLogger(__name__)

# Commands that change no logged state and so need no workshop lock.
UNLOGGED = {"poll.vote"}

HANDLERS = {
    "card.add": card_add,
    "card.update": card_update,
    "card.delete": card_delete,
    "card.like": card_like,
    "card.unlike": card_unlike,
    "card.promote": card_promote,
    "comment.add": comment_add,
    "cluster.add": cluster_add,
    "cluster.update": cluster_update,
    "cluster.delete": cluster_delete,
    "cluster.promote": cluster_promote,
    "phase.set": phase_set,
    "workshop.update": workshop_update,
    "poll.create": poll_create,
    "poll.open": poll_open,
    "poll.close": poll_close,
    "poll.reveal": poll_reveal,
    "poll.vote": poll_vote,
}


def apply_command(participant_id, command):
    """Apply one client command for a participant. Raises CommandError when refused."""
    handler = HANDLERS.get(command.get("type"))
    if handler is None:
        raise CommandError("unknown_type", f"Unknown command type {command.get('type')!r}.")
    command_id = check_command_id(command)
    for attempt in range(2):
        try:
            return _apply_once(participant_id, command, handler, command_id)
        except IntegrityError:
            # A concurrent twin of this command (same id) or a racing like won; look again.
            if attempt:
                log.exception("command %s of participant %s failed twice", command_id, participant_id)
                raise CommandError("conflict", "The command clashed with another change; try again.") from None
    raise AssertionError("unreachable")


def _apply_once(participant_id, command, handler, command_id):
    with transaction.atomic():
        receipt = CommandReceipt.objects.filter(participant_id=participant_id, command_id=command_id).first()
        if receipt is not None:
            return Outcome(seq=receipt.seq, duplicate=True)
        participant = Participant.objects.select_related("workshop").get(pk=participant_id)
        if command["type"] in UNLOGGED:
            workshop = participant.workshop
        else:
            # Allocating the next seq under a row lock keeps seq gap-free and in commit order.
            workshop = Workshop.objects.select_for_update().get(pk=participant.workshop_id)
        participant.workshop = workshop
        if rights_revoked(participant, workshop):
            raise CommandError("revoked", "Your rights in this workshop have ended; nothing was changed.")
        ctx = Context(workshop, participant)
        handler(ctx, command)
        seq = None
        if ctx.events:
            workshop.save()
            seq = ctx.events[-1]["seq"]
        CommandReceipt.objects.create(participant_id=participant_id, command_id=command_id, seq=seq)
        if ctx.events:
            events = ctx.events
            transaction.on_commit(lambda: broadcast.send_events(workshop.pk, events))
    return Outcome(seq=seq, tally_poll=ctx.tally_poll, events=ctx.events)
