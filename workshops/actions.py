"""Every change of a live workshop.

``apply_command`` is the one entry point for the WebSocket commands: it validates,
writes the change and its ``WorkshopEvent`` (with the next ``seq``) in one
transaction, remembers the command id, and broadcasts the events only after the
commit. A command id seen before is acknowledged again and changes nothing.
"""

import logging
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_noop

from participation import rules
from participation.actions import free_measure_slug, record_audit
from participation.models import FieldOfAction, Measure, MeasureOrigin

from . import broadcast, selectors
from .models import (
    CARD_TEXT_MAX,
    CLUSTER_TITLE_MAX,
    COMMENT_TEXT_MAX,
    POLL_OPTION_MAX,
    POLL_OPTIONS_MAX,
    POLL_QUESTION_MAX,
    Card,
    CardColor,
    CardLike,
    Cluster,
    CommandReceipt,
    Comment,
    Participant,
    ParticipantRole,
    Phase,
    Poll,
    PollKind,
    PollOption,
    PollState,
    PollVote,
    SocketPresence,
    Workshop,
    WorkshopEvent,
    WorkshopState,
)

log = logging.getLogger(__name__)

COMMAND_ID_MAX = 64
BOARD_PHASES = {Phase.COLLECT, Phase.CLUSTER}
COORDINATE_LIMIT = 100_000


class CommandError(Exception):
    """A refused command: sent back as an ``error`` frame; nothing was changed."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Outcome:
    seq: int | None
    duplicate: bool = False
    tally_poll: int | None = None
    events: list = field(default_factory=list)


class Context:
    """What a handler works with: the locked workshop, the actor, and the events it emits."""

    def __init__(self, workshop, participant):
        self.workshop = workshop
        self.participant = participant
        self.events = []
        self.tally_poll = None

    def emit(self, name, data):
        self.workshop.last_seq += 1
        event = WorkshopEvent.objects.create(
            workshop=self.workshop, seq=self.workshop.last_seq, name=name, data=data, actor=self.participant
        )
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


def _card(ctx, command):
    card_id = _id(command, "card")
    card = Card.objects.filter(pk=card_id, workshop=ctx.workshop).select_related("author").first()
    if card is None:
        raise CommandError("not_found", f"There is no card {card_id} in this workshop.")
    return card


def _cluster(ctx, command, name="cluster", required=True):
    cluster_id = _id(command, name, required=required)
    if cluster_id is None:
        return None
    cluster = Cluster.objects.filter(pk=cluster_id, workshop=ctx.workshop).first()
    if cluster is None:
        raise CommandError("not_found", f"There is no cluster {cluster_id} in this workshop.")
    return cluster


def _poll(ctx, command):
    poll_id = _id(command, "poll")
    poll = Poll.objects.filter(pk=poll_id, workshop=ctx.workshop).prefetch_related("options").first()
    if poll is None:
        raise CommandError("not_found", f"There is no poll {poll_id} in this workshop.")
    return poll


# --- rights -------------------------------------------------------------------


def revoke_lost_facilitators(user_ids):
    """After a change of who facilitates (a process's list, an account deactivated or its
    role changed): the open sockets of facilitator participants of these people who lost
    the right are closed, so that they stop receiving hidden results at once. Runs after
    the commit of that change."""
    revoked = {}
    participants = Participant.objects.filter(user_id__in=user_ids, role=ParticipantRole.FACILITATOR)
    participants = participants.filter(Exists(SocketPresence.objects.filter(participant=OuterRef("pk"))))
    for participant in participants.select_related("workshop__process", "user"):
        if rights_revoked(participant, participant.workshop):
            revoked.setdefault(participant.workshop_id, []).append(participant.pk)
    for workshop_id, ids in revoked.items():
        broadcast.send_revoke(workshop_id, ids)
    return revoked


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


# --- board --------------------------------------------------------------------


def card_add(ctx, command):
    _require_board_open(ctx)
    text = _text(command, "text", CARD_TEXT_MAX)
    cluster = _cluster(ctx, command, required=False)
    anonymous = bool(command.get("anonymous")) and ctx.workshop.anonymous_posting
    card = Card(workshop=ctx.workshop, author=ctx.participant, text=text, cluster=cluster, anonymous=anonymous)
    if "x" in command:
        card.x = _number(command, "x")
    if "y" in command:
        card.y = _number(command, "y")
    if "color" in command:
        card.color = _color(command)
    card.save()
    ctx.emit("card.added", selectors.card_data(card, ctx.workshop, likes=0))


def card_update(ctx, command):
    _require_board_open(ctx)
    card = _card(ctx, command)
    _require_author_or_facilitator(ctx, card)
    changed = []
    if "text" in command:
        card.text = _text(command, "text", CARD_TEXT_MAX)
        changed.append("text")
    if "cluster" in command:
        card.cluster = _cluster(ctx, command, required=False)
        changed.append("cluster")
    for axis in ("x", "y"):
        if axis in command:
            setattr(card, axis, _number(command, axis))
            changed.append(axis)
    if "color" in command:
        card.color = _color(command)
        changed.append("color")
    if not changed:
        raise CommandError("invalid", "Nothing to change: give text, cluster, x, y or color.")
    card.save()
    data = selectors.card_data(card, ctx.workshop)
    data["changed"] = changed
    ctx.emit("card.updated", data)


def card_delete(ctx, command):
    _require_board_open(ctx)
    card = _card(ctx, command)
    _require_author_or_facilitator(ctx, card)
    card_id = card.pk
    card.delete()
    ctx.emit("card.deleted", {"id": card_id})


def card_like(ctx, command):
    _require_board_open(ctx)
    card = _card(ctx, command)
    _, created = CardLike.objects.get_or_create(card=card, participant=ctx.participant)
    if not created:
        raise CommandError("conflict", "You already like this card.")
    ctx.emit("card.liked", {"card": card.pk, "participant": ctx.participant.pk, "likes": card.likes.count()})


def card_unlike(ctx, command):
    _require_board_open(ctx)
    card = _card(ctx, command)
    deleted, _ = CardLike.objects.filter(card=card, participant=ctx.participant).delete()
    if not deleted:
        raise CommandError("conflict", "You do not like this card yet.")
    ctx.emit("card.unliked", {"card": card.pk, "participant": ctx.participant.pk, "likes": card.likes.count()})


def comment_add(ctx, command):
    _require_writer(ctx)
    if ctx.workshop.phase == Phase.CLOSED:
        raise CommandError("wrong_phase", "The workshop is closed.")
    if ctx.workshop.board_locked and not ctx.participant.is_facilitator:
        raise CommandError("locked", "The facilitator has locked the board.")
    card = _card(ctx, command)
    text = _text(command, "text", COMMENT_TEXT_MAX)
    comment = Comment.objects.create(card=card, author=ctx.participant, text=text)
    ctx.emit("comment.added", selectors.comment_data(comment, ctx.workshop))


def cluster_add(ctx, command):
    _require_cluster_rights(ctx)
    title = _text(command, "title", CLUSTER_TITLE_MAX)
    cluster = Cluster.objects.create(workshop=ctx.workshop, title=title, created_by=ctx.participant)
    ctx.emit("cluster.added", selectors.cluster_data(cluster))


def cluster_update(ctx, command):
    _require_cluster_rights(ctx)
    cluster = _cluster(ctx, command)
    cluster.title = _text(command, "title", CLUSTER_TITLE_MAX)
    cluster.save(update_fields=["title"])
    ctx.emit("cluster.updated", selectors.cluster_data(cluster))


def cluster_delete(ctx, command):
    _require_cluster_rights(ctx)
    cluster = _cluster(ctx, command)
    cluster_id = cluster.pk
    # Its cards stay on the board, outside any cluster.
    cards = list(Card.objects.filter(cluster=cluster).values_list("id", flat=True))
    cluster.delete()
    ctx.emit("cluster.deleted", {"id": cluster_id, "cards": cards})


# --- facilitation ---------------------------------------------------------------


def phase_set(ctx, command):
    _require_facilitator(ctx)
    phase = command.get("phase")
    if phase not in Phase.values:
        raise CommandError("invalid", f"'phase' must be one of {', '.join(Phase.values)}.")
    if phase == ctx.workshop.phase:
        raise CommandError("conflict", f"The workshop is already in the phase '{phase}'.")
    ctx.workshop.phase = phase
    ctx.workshop.state = WorkshopState.CLOSED if phase == Phase.CLOSED else WorkshopState.LIVE
    ctx.emit("phase.changed", {"phase": phase, "state": ctx.workshop.state})


WORKSHOP_SETTINGS = ("board_locked", "hide_authors", "anonymous_posting", "participants_may_cluster")


def workshop_update(ctx, command):
    _require_facilitator(ctx)
    changed = {}
    for name in WORKSHOP_SETTINGS:
        if name in command:
            changed[name] = _bool(command, name)
    if "dots_per_participant" in command:
        dots = command["dots_per_participant"]
        if isinstance(dots, bool) or not isinstance(dots, int) or not 1 <= dots <= 100:
            raise CommandError("invalid", "'dots_per_participant' must be a whole number from 1 to 100.")
        changed["dots_per_participant"] = dots
    if "title" in command:
        changed["title"] = _text(command, "title", 200)
    if "agenda" in command:
        changed["agenda"] = _text(command, "agenda", 5000, required=False) or ""
    if not changed:
        raise CommandError("invalid", "Nothing to change.")
    for name, value in changed.items():
        setattr(ctx.workshop, name, value)
    ctx.emit("workshop.updated", changed)


def _promote(ctx, title, description, field_id):
    field = None
    if field_id is not None:
        field = FieldOfAction.objects.filter(pk=field_id, process_id=ctx.workshop.process_id).first()
        if field is None:
            raise CommandError("not_found", f"There is no field of action {field_id} in this process.")
    slug = free_measure_slug(ctx.workshop.process, title)
    measure = Measure.objects.create(
        process_id=ctx.workshop.process_id,
        field=field,
        title=title[:200],
        slug=slug,
        summary=description[:500],
        description=description,
        origin=MeasureOrigin.WORKSHOP,
        published=False,
    )
    if ctx.participant.user_id:
        record_audit(ctx.participant.user, "create", measure, {"from_workshop": ctx.workshop.pk})
    return measure


def card_promote(ctx, command):
    _require_facilitator(ctx)
    card = _card(ctx, command)
    if card.measure_id:
        raise CommandError("conflict", "This card is already a measure.")
    title = _text(command, "title", 200, required=False) or card.text.split("\n")[0][:200]
    measure = _promote(ctx, title, card.text, _id(command, "field", required=False))
    card.measure = measure
    card.save(update_fields=["measure"])
    ctx.emit("measure.promoted", {"card": card.pk, "measure": {"id": measure.pk, "title": measure.title}})


def cluster_promote(ctx, command):
    _require_facilitator(ctx)
    cluster = _cluster(ctx, command)
    if cluster.measure_id:
        raise CommandError("conflict", "This cluster is already a measure.")
    texts = list(cluster.cards.values_list("text", flat=True))
    title = _text(command, "title", 200, required=False) or cluster.title
    description = "\n\n".join(f"- {text}" for text in texts)
    measure = _promote(ctx, title, description, _id(command, "field", required=False))
    cluster.measure = measure
    cluster.save(update_fields=["measure"])
    ctx.emit("measure.promoted", {"cluster": cluster.pk, "measure": {"id": measure.pk, "title": measure.title}})


# --- polls --------------------------------------------------------------------


def _poll_options(ctx, raw):
    if not isinstance(raw, list) or not 2 <= len(raw) <= POLL_OPTIONS_MAX:
        raise CommandError("invalid", f"'options' must be a list of 2 to {POLL_OPTIONS_MAX} options.")
    options = []
    for item in raw:
        if isinstance(item, str):
            label = item.strip()
            if not label or len(label) > POLL_OPTION_MAX:
                raise CommandError("invalid", f"Each option text must have 1 to {POLL_OPTION_MAX} characters.")
            options.append(PollOption(label=label))
        elif isinstance(item, dict) and len(item) == 1:
            ((kind, ref),) = item.items()
            if kind == "card":
                card = _card(ctx, {"card": ref})
                options.append(PollOption(label=card.text[:POLL_OPTION_MAX], card=card))
            elif kind == "cluster":
                cluster = _cluster(ctx, {"cluster": ref})
                options.append(PollOption(label=cluster.title, cluster=cluster))
            elif kind == "measure":
                measure_id = _id({"measure": ref}, "measure")
                measure = Measure.objects.filter(pk=measure_id, process_id=ctx.workshop.process_id).first()
                if measure is None:
                    raise CommandError("not_found", f"There is no measure {measure_id} in this process.")
                options.append(PollOption(label=measure.title[:POLL_OPTION_MAX], measure=measure))
            else:
                raise CommandError("invalid", "An option is a text or one of {card: id}, {cluster: id}, {measure: id}.")
        else:
            raise CommandError("invalid", "An option is a text or one of {card: id}, {cluster: id}, {measure: id}.")
    return options


def poll_create(ctx, command):
    _require_facilitator(ctx)
    question = _text(command, "question", POLL_QUESTION_MAX)
    kind = command.get("kind")
    if kind not in PollKind.values:
        raise CommandError("invalid", f"'kind' must be one of {', '.join(PollKind.values)}.")
    options = _poll_options(ctx, command.get("options"))
    poll = Poll(workshop=ctx.workshop, question=question, kind=kind)
    if kind == PollKind.DOTS:
        dots = command.get("dots", ctx.workshop.dots_per_participant)
        if isinstance(dots, bool) or not isinstance(dots, int) or not 1 <= dots <= 100:
            raise CommandError("invalid", "'dots' must be a whole number from 1 to 100.")
        poll.dots = dots
        if command.get("max_per_option") is not None:
            cap = command["max_per_option"]
            if isinstance(cap, bool) or not isinstance(cap, int) or not 1 <= cap <= dots:
                raise CommandError("invalid", "'max_per_option' must be a whole number from 1 to the dots.")
            poll.max_per_option = cap
    if "hidden" in command:
        poll.results_hidden = _bool(command, "hidden")
    poll.save()
    for position, option in enumerate(options):
        option.poll = poll
        option.position = position
    PollOption.objects.bulk_create(options)
    ctx.emit("poll.created", selectors.poll_data(Poll.objects.prefetch_related("options").get(pk=poll.pk)))


def poll_open(ctx, command):
    _require_facilitator(ctx)
    poll = _poll(ctx, command)
    if poll.state != PollState.DRAFT:
        raise CommandError("conflict", f"The poll is {poll.state}; only a prepared poll can be opened.")
    poll.state = PollState.OPEN
    poll.save(update_fields=["state"])
    ctx.emit("poll.opened", {"poll": poll.pk})


def poll_close(ctx, command):
    _require_facilitator(ctx)
    poll_id = _id(command, "poll")
    # Wait for votes in flight on this poll: they hold a share lock on its row.
    poll = Poll.objects.select_for_update().filter(pk=poll_id, workshop=ctx.workshop).first()
    if poll is None:
        raise CommandError("not_found", f"There is no poll {poll_id} in this workshop.")
    if poll.state != PollState.OPEN:
        raise CommandError("conflict", "Only an open poll can be closed.")
    poll.state = PollState.CLOSED
    poll.final_results = selectors.poll_tally(poll)
    poll.save(update_fields=["state", "final_results"])
    data = {"poll": poll.pk, "results": poll.final_results if poll.results_public else None}
    ctx.emit("poll.closed", data)
    ctx.tally_poll = poll.pk


def poll_reveal(ctx, command):
    _require_facilitator(ctx)
    poll = _poll(ctx, command)
    if poll.revealed:
        raise CommandError("conflict", "The results are already revealed.")
    poll.revealed = True
    poll.save(update_fields=["revealed"])
    results = poll.final_results if poll.state == PollState.CLOSED else selectors.poll_tally(poll)
    ctx.emit("poll.revealed", {"poll": poll.pk, "results": results})
    ctx.tally_poll = poll.pk


def _option_key(option_ids, raw):
    try:
        option_id = int(raw)
    except (TypeError, ValueError):
        raise CommandError("invalid", f"{raw!r} is not an option of this poll.") from None
    if isinstance(raw, bool) or option_id not in option_ids:
        raise CommandError("invalid", f"{raw!r} is not an option of this poll.")
    return option_id


def validate_choice(poll, choice):
    """The normalised choice for this poll's kind, or a CommandError saying what is wrong."""
    option_ids = {option.pk for option in poll.options.all()}
    kind = poll.kind
    if kind == PollKind.SINGLE:
        return _option_key(option_ids, choice)
    if kind in (PollKind.MULTIPLE, PollKind.RANKING):
        if not isinstance(choice, list) or not choice:
            raise CommandError("invalid", "'choice' must be a non-empty list of option ids.")
        ids = [_option_key(option_ids, raw) for raw in choice]
        if len(set(ids)) != len(ids):
            raise CommandError("invalid", "An option appears twice in 'choice'.")
        return ids
    if not isinstance(choice, dict) or not choice:
        raise CommandError("invalid", "'choice' must be an object {option id: number}.")
    normalised = {}
    for raw, value in choice.items():
        option_id = _option_key(option_ids, raw)
        if isinstance(value, bool) or not isinstance(value, int):
            raise CommandError("invalid", "Each value in 'choice' must be a whole number.")
        normalised[str(option_id)] = value
    if kind == PollKind.SCALE:
        if any(not 1 <= v <= 5 for v in normalised.values()):
            raise CommandError("invalid", "Each grade must be from 1 to 5.")
        return normalised
    # Dots: spread at most poll.dots, each option at most the cap.
    if any(v < 0 for v in normalised.values()):
        raise CommandError("invalid", "Dots cannot be negative.")
    total = sum(normalised.values())
    if total < 1:
        raise CommandError("invalid", "Place at least one dot.")
    if total > poll.dots:
        raise CommandError("too_many_dots", f"You have {poll.dots} dots; this allocation uses {total}.")
    if poll.max_per_option and any(v > poll.max_per_option for v in normalised.values()):
        raise CommandError("over_cap", f"At most {poll.max_per_option} dots per option.")
    return {k: v for k, v in normalised.items() if v}


def _locked_polls(poll_ids):
    """The polls by id, each under a share lock: votes run side by side, ``poll.close``
    (an exclusive lock) waits for them, so a vote is either in the final result or refused."""
    poll_ids = sorted({pid for pid in poll_ids if isinstance(pid, int) and not isinstance(pid, bool)})
    if not poll_ids:
        return {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM workshops_poll WHERE id = ANY(%s) ORDER BY id FOR SHARE", [poll_ids])
    return {poll.pk: poll for poll in Poll.objects.filter(pk__in=poll_ids).prefetch_related("options")}


def check_vote(participant, workshop, polls, command):
    """The rules of a vote, shared by ``poll_vote`` and ``apply_votes``: returns the poll
    and the normalised choice, or raises CommandError. ``polls`` maps ids to locked polls."""
    if not participant.may_write:
        raise CommandError("forbidden", "Observers cannot vote.")
    if workshop.state != WorkshopState.LIVE:
        raise CommandError("wrong_phase", "The workshop is not live.")
    poll_id = _id(command, "poll")
    poll = polls.get(poll_id)
    if poll is None or poll.workshop_id != workshop.pk:
        raise CommandError("not_found", f"There is no poll {poll_id} in this workshop.")
    if poll.state != PollState.OPEN:
        raise CommandError("poll_not_open", "This poll is not open for votes.")
    if "choice" not in command:
        raise CommandError("invalid", "'choice' is missing.")
    return poll, validate_choice(poll, command["choice"])


def poll_vote(ctx, command):
    poll, choice = check_vote(ctx.participant, ctx.workshop, _locked_polls([command.get("poll")]), command)
    PollVote.objects.update_or_create(poll=poll, participant=ctx.participant, defaults={"choice": choice})
    ctx.tally_poll = poll.pk


def apply_votes(items):
    """Apply many ``poll.vote`` commands ``[(participant id, command), ...]`` in one
    transaction, with the checks of ``poll_vote``. Returns an Outcome or a CommandError
    per item, in order. Nothing is acknowledged before the commit; a command id seen
    before (in the database or earlier in the batch) is a duplicate and changes nothing."""
    for attempt in range(2):
        try:
            return _apply_votes_once(items)
        except (IntegrityError, OperationalError):
            # A twin command id committed by another process in the meantime (or a
            # deadlock with another batch): nothing was written; the retry sees it.
            if attempt:
                raise
    raise AssertionError("unreachable")


def _apply_votes_once(items):
    results = [None] * len(items)
    command_ids = {}
    for index, (_participant_id, command) in enumerate(items):
        try:
            command_ids[index] = check_command_id(command)
        except CommandError as error:
            results[index] = error
    with transaction.atomic():
        participant_ids = {items[index][0] for index in command_ids}
        seen = set(
            CommandReceipt.objects.filter(
                participant_id__in=participant_ids, command_id__in=set(command_ids.values())
            ).values_list("participant_id", "command_id")
        )
        participants = Participant.objects.select_related("workshop").in_bulk(participant_ids)
        polls = _locked_polls(items[index][1].get("poll") for index in command_ids)
        votes = {}  # (poll, participant) -> choice; a later vote in the batch replaces an earlier one
        receipts = []
        for index, command_id in command_ids.items():
            participant_id, command = items[index]
            if (participant_id, command_id) in seen:
                results[index] = Outcome(seq=None, duplicate=True)
                continue
            participant = participants.get(participant_id)
            try:
                if participant is None:
                    raise CommandError("forbidden", "You are not a participant of this workshop.")
                if rights_revoked(participant, participant.workshop):
                    raise CommandError("revoked", "Your rights in this workshop have ended; nothing was changed.")
                poll, choice = check_vote(participant, participant.workshop, polls, command)
            except CommandError as error:
                results[index] = error
                continue
            seen.add((participant_id, command_id))
            votes[(poll.pk, participant_id)] = choice
            receipts.append((participant_id, command_id))
            results[index] = Outcome(seq=None, tally_poll=poll.pk)
        # In key order, so that two batches on the same rows cannot deadlock.
        PollVote.objects.bulk_create(
            [PollVote(poll_id=poll, participant_id=pid, choice=votes[(poll, pid)]) for poll, pid in sorted(votes)],
            update_conflicts=True,
            unique_fields=["poll", "participant"],
            update_fields=["choice", "updated"],
        )
        CommandReceipt.objects.bulk_create(
            [CommandReceipt(participant_id=pid, command_id=cid, seq=None) for pid, cid in sorted(receipts)]
        )
    return results


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


def check_command_id(command):
    command_id = command.get("id")
    if not isinstance(command_id, str | int) or isinstance(command_id, bool) or not str(command_id).strip():
        raise CommandError("invalid", "Every command needs an 'id' (a text of up to 64 characters).")
    command_id = str(command_id)
    if len(command_id) > COMMAND_ID_MAX:
        raise CommandError("invalid", f"The command 'id' is longer than {COMMAND_ID_MAX} characters.")
    return command_id


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


# --- workshops and participants (REST) -------------------------------------------


def create_workshop(user, process, title, agenda="", draft=False, **settings):
    with transaction.atomic():
        workshop = Workshop(process=process, title=title, agenda=agenda, created_by=user)
        workshop.state = WorkshopState.DRAFT if draft else WorkshopState.LIVE
        for name, value in settings.items():
            setattr(workshop, name, value)
        for _attempt in range(10):
            if not Workshop.objects.filter(code=workshop.code).exists():
                break
            workshop.code = type(workshop)._meta.get_field("code").default()
        workshop.save()
        record_audit(user, "create", workshop)
    return workshop


# What the edit page and the admin may change; the live controls (lock, names) stay in the console.
EDITABLE_FIELDS = ("title", "agenda", "anonymous_posting", "participants_may_cluster", "dots_per_participant")


def update_workshop(user, workshop, changes):
    """Change a workshop's title, agenda and board settings from a page (not a socket), and let a
    draft go live (``draft=False``). Open boards learn of it by a ``workshop.updated`` event, as
    from the console's own command. Returns the workshop and the names of the changed fields."""
    unknown = set(changes) - {*EDITABLE_FIELDS, "draft"}
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        workshop = Workshop.objects.select_for_update().select_related("process").get(pk=workshop.pk)
        if not rules.can_manage_process(user, workshop.process):
            raise PermissionDenied("Only the process's facilitators may edit its workshops.")
        changed = {name: value for name, value in changes.items() if name in EDITABLE_FIELDS}
        changed = {name: value for name, value in changed.items() if getattr(workshop, name) != value}
        if changes.get("draft") is False and workshop.state == WorkshopState.DRAFT:
            changed["state"] = WorkshopState.LIVE
        if not changed:
            return workshop, []
        for name, value in changed.items():
            setattr(workshop, name, value)
        ctx = Context(workshop, None)
        ctx.emit("workshop.updated", changed)
        workshop.save()
        record_audit(user, "update", workshop, {"fields": sorted(changed)})
        events = ctx.events
        transaction.on_commit(lambda: broadcast.send_events(workshop.pk, events))
    return workshop, sorted(changed)


def join_workshop(workshop, user, display_name, role, screen=False):
    """A participant for this person. Signed-in people keep one participant per role;
    a ``screen`` (projector) is a participant of its own, never counted as online."""
    if screen:
        return Participant.objects.create(
            workshop=workshop, display_name=display_name, role=ParticipantRole.OBSERVER, screen=True
        )
    if user is not None and user.is_authenticated:
        participant, created = Participant.objects.get_or_create(
            workshop=workshop, user=user, role=role, defaults={"display_name": display_name}
        )
        if not created and participant.display_name != display_name:
            participant.display_name = display_name
            participant.save(update_fields=["display_name"])
        return participant
    return Participant.objects.create(workshop=workshop, display_name=display_name, role=role)


# The name a deleted account's participation shows from then on: stored in German, the source
# language, and translated where it is shown to people (the spreadsheet exports).
DELETED_ACCOUNT_NAME = gettext_noop("Gelöschtes Konto")

# Stored events that carry a display name: card events name the card's author (``author``),
# a comment's event its writer, who sent it (the event's actor).
CARD_NAME_EVENTS = ("card.added", "card.updated")
ACTOR_NAME_EVENTS = ("comment.added",)


def anonymise_participants(participants, name):
    """Replace the display names of these participants wherever workshops keep them: the
    participant rows (snapshots, presence, exports) and the stored events that clients replay
    on sync. The account link goes too. Cards, comments, likes and votes stay, so a board's
    content and every count are unchanged. ``name`` is a text or a function of the participant's
    id. Used by account deletion and by the retention purge; returns how many were renamed."""
    name_for = name if callable(name) else (lambda _pk: name)
    with transaction.atomic():
        rows = list(participants.values_list("pk", "workshop_id"))
        if not rows:
            return 0
        workshop_ids = sorted({workshop_id for _pk, workshop_id in rows})
        names = {pk: name_for(pk) for pk, _workshop_id in rows}
        workshops = _lock_workshops(workshop_ids)
        Participant.objects.bulk_update(
            [Participant(pk=pk, display_name=new, user=None, removed=True) for pk, new in names.items()],
            ["display_name", "user", "removed"],
            batch_size=500,
        )
        renamed_comments = _rename_in_events(workshop_ids, names)
        # One event per workshop: boards update the names they show, and every process's cached
        # snapshot (consumers.Hub) is read again, as after any event.
        frames = {}
        for workshop in workshops:
            workshop.last_seq += 1
            data = {
                "participants": [{"id": pk, "name": names[pk]} for pk, w in rows if w == workshop.pk],
                "comments": [
                    {"id": comment, "name": new}
                    for comment, new in sorted(renamed_comments.get(workshop.pk, {}).items(), key=lambda c: str(c[0]))
                ],
            }
            event = WorkshopEvent.objects.create(
                workshop=workshop, seq=workshop.last_seq, name="participants.renamed", data=data
            )
            workshop.save(update_fields=["last_seq"])
            frames[workshop.pk] = [event.as_frame()]
        # A command that read its participant before this commit waits for the workshop's lock
        # and then logs the old name: look again after the commit, queued behind it for the lock.
        transaction.on_commit(lambda: _rename_in_events(workshop_ids, names, lock=True), robust=True)
        for workshop_id, events in frames.items():
            transaction.on_commit(lambda w=workshop_id, e=events: broadcast.send_events(w, e), robust=True)
            gone = [pk for pk, w in rows if w == workshop_id]
            transaction.on_commit(lambda w=workshop_id, g=gone: broadcast.send_revoke(w, g), robust=True)
    return len(rows)


def _lock_workshops(workshop_ids):
    # In id order, so that two of these cannot deadlock; commands lock one workshop each.
    return list(Workshop.objects.select_for_update().filter(pk__in=workshop_ids).order_by("pk"))


def _rename_in_events(workshop_ids, names, lock=False):
    with transaction.atomic():
        if lock:
            _lock_workshops(workshop_ids)
        ids = list(names)
        events = WorkshopEvent.objects.filter(workshop_id__in=workshop_ids).filter(
            Q(name__in=CARD_NAME_EVENTS, data__author__in=ids) | Q(name__in=ACTOR_NAME_EVENTS, actor_id__in=ids)
        )
        renamed, comments = [], {}
        for event in events.only("pk", "workshop_id", "name", "data", "actor_id").iterator(chunk_size=500):
            author = event.data.get("author") if event.name in CARD_NAME_EVENTS else event.actor_id
            if author in names and event.data.get("author_name") not in (None, names[author]):
                event.data["author_name"] = names[author]
                renamed.append(event)
                if event.name in ACTOR_NAME_EVENTS:
                    comments.setdefault(event.workshop_id, {})[event.data.get("id")] = names[author]
        WorkshopEvent.objects.bulk_update(renamed, ["data"], batch_size=500)
    # The comments whose shown name changed, by workshop (still on the board or not): id -> name.
    return comments
