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
from .breakouts import breakout_assign, breakout_choose, breakout_end, breakout_start
from .cardtools import brainwriting_reveal, brainwriting_start, card_merge, card_react, card_set
from .moves import card_move, cluster_move
from .polls import poll_close, poll_create, poll_open, poll_reveal, poll_vote
from .questions import question_answer, question_ask, question_hide, question_unvote, question_upvote
from .suggestions import clusters_suggest
from .tools import (
    agenda_add,
    agenda_delete,
    agenda_move,
    agenda_start,
    agenda_update,
    follow_clear,
    follow_set,
    projector_show,
    timer_extend,
    timer_pause,
    timer_resume,
    timer_start,
    timer_stop,
)
from .workshop import phase_set, workshop_update

log = logging.getLogger(__name__)

# Commands that change no logged state and so need no workshop lock.
UNLOGGED = {"poll.vote", "clusters.suggest"}
# Commands the socket answers itself, without the database: a drag is passed on to the
# other screens and never logged (``consumers.dragging``, ``moves.drag_refusal``).
TRANSIENT = {"card.drag"}

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
    "card.set": card_set,
    "card.merge": card_merge,
    "card.react": card_react,
    "brainwriting.start": brainwriting_start,
    "brainwriting.reveal": brainwriting_reveal,
    "card.move": card_move,
    "cluster.move": cluster_move,
    "breakout.start": breakout_start,
    "breakout.assign": breakout_assign,
    "breakout.choose": breakout_choose,
    "breakout.end": breakout_end,
    "question.ask": question_ask,
    "question.upvote": question_upvote,
    "question.unvote": question_unvote,
    "question.answer": question_answer,
    "question.hide": question_hide,
    "timer.start": timer_start,
    "timer.pause": timer_pause,
    "timer.resume": timer_resume,
    "timer.extend": timer_extend,
    "timer.stop": timer_stop,
    "agenda.add": agenda_add,
    "agenda.update": agenda_update,
    "agenda.delete": agenda_delete,
    "agenda.move": agenda_move,
    "agenda.start": agenda_start,
    "follow.set": follow_set,
    "follow.clear": follow_clear,
    "projector.show": projector_show,
    "clusters.suggest": clusters_suggest,
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
    return Outcome(seq=seq, tally_poll=ctx.tally_poll, events=ctx.events, reply=ctx.reply)
