"""What every workshop command shares: the refusal (``CommandError``), the outcome, the
context a handler writes its events to, the checks of a command's fields and of the actor's rights."""

from dataclasses import dataclass, field

from django.db import IntegrityError, OperationalError

from participation import rules

from ..frames import Refusal
from ..models import (
    Card,
    CardColor,
    Cluster,
    Phase,
    Poll,
    WorkshopEvent,
    WorkshopState,
)

COMMAND_ID_MAX = 64
BOARD_PHASES = {Phase.COLLECT, Phase.CLUSTER}
COORDINATE_LIMIT = 100_000


class CommandError(Refusal):
    """A refused command: sent back as an ``error`` frame; nothing was changed."""


@dataclass
class Outcome:
    seq: int | None
    duplicate: bool = False
    tally_poll: int | None = None
    events: list = field(default_factory=list)
    # A frame for the asking socket alone (e.g. ``suggestions``), sent before its ack.
    reply: dict | None = None


class Batch:
    """Writes of many commands made at once (``moves.apply_moves``): the objects the
    commands need, read before in one query per kind, and the events and cards to save
    in one statement each after all were checked."""

    def __init__(self, cards=None, clusters=None):
        self.found = {"card": cards or {}, "cluster": clusters or {}}
        self.events = []  # unsaved WorkshopEvents, in seq order
        self.cards = {}  # card id -> the Card with its new values


def apply_batch(apply_once, items):
    """Run ``apply_once(items)`` (one transaction for a batch of commands) and once more if
    it clashed: a twin command id committed by another process meanwhile, or a deadlock
    with another batch. Nothing was written then; the retry sees the twin as a duplicate."""
    for attempt in range(2):
        try:
            return apply_once(items)
        except (IntegrityError, OperationalError):
            if attempt:
                raise
    raise AssertionError("unreachable")


def batch_command_ids(items):
    """The answers of a batch ``[(participant id, command), ...]`` so far (a refusal for each
    command without a usable id, else None) and the command ids by index."""
    results = [None] * len(items)
    command_ids = {}
    for index, (_participant_id, command) in enumerate(items):
        try:
            command_ids[index] = check_command_id(command)
        except CommandError as error:
            results[index] = error
    return results, command_ids


class Context:
    """What a handler works with: the locked workshop, the actor, and the events it emits."""

    def __init__(self, workshop, participant, batch=None):
        self.workshop = workshop
        self.participant = participant
        self.events = []
        self.tally_poll = None
        self.reply = None  # set by a handler that answers only the asking socket
        self.batch = batch

    def emit(self, name, data, audience="", participant=None, public=None):
        """Log one event. ``audience`` restricts who sees it as it is (``Audience``:
        facilitators, or ``participant`` alone); everyone else is sent ``public``
        (``{"name", "data"}``) under the same seq."""
        self.workshop.last_seq += 1
        event = WorkshopEvent(
            workshop=self.workshop,
            seq=self.workshop.last_seq,
            name=name,
            data=data,
            actor=self.participant,
            audience=audience,
            audience_participant=participant,
            public=public,
        )
        if self.batch is None:
            event.save(force_insert=True)
        else:
            self.batch.events.append(event)
        self.events.append(event.as_frame())
        return event


# --- input checks -------------------------------------------------------------


def _text(command, name, limit, required=True):
    value = command.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise CommandError("invalid", f"'{name}' must be a text.")
    value = value.strip()
    if required and not value:
        raise CommandError("invalid", f"'{name}' must not be empty.")
    if len(value) > limit:
        raise CommandError("too_long", f"'{name}' is longer than {limit} characters.")
    return value


def _id(command, name, required=True):
    value = command.get(name)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise CommandError("invalid", f"'{name}' must be a positive integer id.")
    return value


def _number(command, name):
    value = command.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or abs(value) > COORDINATE_LIMIT or value != value:
        raise CommandError("invalid", f"'{name}' must be a number between -{COORDINATE_LIMIT} and {COORDINATE_LIMIT}.")
    return float(value)


def _bool(command, name):
    value = command.get(name)
    if not isinstance(value, bool):
        raise CommandError("invalid", f"'{name}' must be true or false.")
    return value


def _color(command):
    value = command.get("color")
    if value not in CardColor.values:
        raise CommandError("invalid", f"'color' must be one of {', '.join(CardColor.values)}.")
    return value


def _not_found(kind, object_id):
    return CommandError("not_found", f"There is no {kind} {object_id} in this workshop.")


def _of_workshop(ctx, objects, kind, object_id):
    """The card, cluster or poll ``object_id`` of this workshop; not_found if there is none."""
    if ctx.batch is not None and kind in ctx.batch.found:
        found = ctx.batch.found[kind].get(object_id)
        if found is None or found.workshop_id != ctx.workshop.pk:
            raise _not_found(kind, object_id)
        return found
    found = objects.filter(pk=object_id, workshop=ctx.workshop).first()
    if found is None:
        raise _not_found(kind, object_id)
    return found


def _card(ctx, command):
    """A card this actor may see: an unrevealed brainwriting card only for its author, a
    hidden card only for facilitators; to anyone else it does not exist (not_found)."""
    card = _of_workshop(ctx, Card.objects.select_related("author"), "card", _id(command, "card"))
    if (card.private and card.author_id != ctx.participant.pk) or (card.hidden and not ctx.participant.is_facilitator):
        raise _not_found("card", card.pk)
    return card


def _cluster(ctx, command, name="cluster", required=True):
    cluster_id = _id(command, name, required=required)
    return None if cluster_id is None else _of_workshop(ctx, Cluster.objects, "cluster", cluster_id)


def _poll(ctx, command):
    return _of_workshop(ctx, Poll.objects.prefetch_related("options"), "poll", _id(command, "poll"))


# --- rights -------------------------------------------------------------------


def rights_revoked(participant, workshop):
    """A participant whose rights have ended, at once and whatever ticket it holds: its
    account was deleted (``removed``), or it is a facilitator whose person no longer manages
    the process (removed from its facilitators, deactivated, no longer a facilitator account)."""
    if participant.removed:
        return True
    if not participant.is_facilitator:
        return False
    return not rules.can_manage_process(participant.user, workshop.process)


def _require_facilitator(ctx):
    if not ctx.participant.is_facilitator:
        raise CommandError("forbidden", "Only the facilitator may do this.")


def _require_writer(ctx):
    if not ctx.participant.may_write:
        raise CommandError("forbidden", "Observers cannot change the board.")
    if ctx.workshop.state != WorkshopState.LIVE and not ctx.participant.is_facilitator:
        raise CommandError("wrong_phase", "The workshop is not live.")


def _require_board_open(ctx):
    """Board changes: in the collect and cluster phases, while not locked (facilitators always)."""
    _require_writer(ctx)
    if ctx.participant.is_facilitator:
        if ctx.workshop.phase == Phase.CLOSED:
            raise CommandError("wrong_phase", "The workshop is closed.")
        return
    if ctx.workshop.phase not in BOARD_PHASES:
        raise CommandError("wrong_phase", f"The board cannot be changed in the phase '{ctx.workshop.phase}'.")
    if ctx.workshop.board_locked:
        raise CommandError("locked", "The facilitator has locked the board.")


def _require_author_or_facilitator(ctx, card):
    if not ctx.participant.is_facilitator and card.author_id != ctx.participant.pk:
        raise CommandError("forbidden", "Only the author or the facilitator may change this card.")


def _require_cluster_rights(ctx):
    _require_board_open(ctx)
    if not (ctx.participant.is_facilitator or ctx.workshop.participants_may_cluster):
        raise CommandError("forbidden", "Only the facilitator may manage clusters in this workshop.")


def check_command_id(command):
    command_id = command.get("id")
    if not isinstance(command_id, str | int) or isinstance(command_id, bool) or not str(command_id).strip():
        raise CommandError("invalid", "Every command needs an 'id' (a text of up to 64 characters).")
    command_id = str(command_id)
    if len(command_id) > COMMAND_ID_MAX:
        raise CommandError("invalid", f"The command 'id' is longer than {COMMAND_ID_MAX} characters.")
    return command_id
