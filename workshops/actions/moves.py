"""Moving things on the canvas: a dropped card (``card.move``), a moved or resized cluster
(``cluster.move``, its cards come along), and the rights of a transient drag (``card.drag``).

Only the drop is logged: a drag is a hint to the other screens that never reaches the event
log (``consumers.dragging``), so a late joiner and a resync see exactly the logged positions.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .. import broadcast
from ..models import Card, Cluster, CommandReceipt, Participant, Phase, Workshop, WorkshopEvent, WorkshopState
from .base import (
    BOARD_PHASES,
    COORDINATE_LIMIT,
    Batch,
    CommandError,
    Context,
    Outcome,
    _card,
    _cluster,
    _number,
    _require_board_open,
    _require_cluster_rights,
    apply_batch,
    batch_command_ids,
    rights_revoked,
)
from .cardtools import emit_card_event

# A cluster may be resized, but stays an area one can see and hit (board units).
CLUSTER_SIZE_MIN = 80
CLUSTER_SIZE_MAX = 20_000


def _size(command, name, current):
    if name not in command:
        return current
    value = command.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise CommandError("invalid", f"'{name}' must be a number between {CLUSTER_SIZE_MIN} and {CLUSTER_SIZE_MAX}.")
    if not CLUSTER_SIZE_MIN <= value <= CLUSTER_SIZE_MAX:
        raise CommandError("invalid", f"'{name}' must be a number between {CLUSTER_SIZE_MIN} and {CLUSTER_SIZE_MAX}.")
    return float(value)


def card_move(ctx, command):
    """A card dropped at (x, y), into a cluster or out of one. Experts may move any card
    that is not locked; changing a card's cluster is clustering: its author, or whoever may
    manage clusters. Every check comes before the one write (``apply_moves`` relies on it)."""
    _require_board_open(ctx)
    card = _card(ctx, command)  # a private or hidden card is not_found for those who may not see it
    if card.locked and not ctx.participant.is_facilitator:
        raise CommandError("locked", "The facilitator has locked this card.")
    x, y = _number(command, "x"), _number(command, "y")
    cluster_id = card.cluster_id
    if "cluster" in command:
        cluster = _cluster(ctx, command, required=False)
        cluster_id = cluster.pk if cluster is not None else None
        if cluster_id != card.cluster_id and card.author_id != ctx.participant.pk:
            _require_cluster_rights(ctx)
    card.x, card.y, card.cluster_id, card.updated = x, y, cluster_id, timezone.now()
    if ctx.batch is None:
        Card.objects.filter(pk=card.pk).update(x=x, y=y, cluster_id=cluster_id, updated=card.updated)
    else:
        ctx.batch.cards[card.pk] = card
    # A private card's move reaches its author, a hidden card's the facilitators.
    emit_card_event(ctx, card, "card.moved", {"id": card.pk, "x": x, "y": y, "cluster": cluster_id})


def cluster_move(ctx, command):
    """A cluster moved to (x, y) and perhaps resized; its cards move by the same offset
    (one UPDATE), so they keep their places inside it."""
    _require_cluster_rights(ctx)
    cluster = _cluster(ctx, command)
    x, y = _number(command, "x"), _number(command, "y")
    w, h = _size(command, "w", cluster.w), _size(command, "h", cluster.h)
    dx, dy = x - cluster.x, y - cluster.y
    cluster.x, cluster.y, cluster.w, cluster.h = x, y, w, h
    cluster.save(update_fields=["x", "y", "w", "h"])
    cards = Card.objects.filter(cluster=cluster)
    if dx or dy:
        # Cards carried along may end up beyond the limit of a coordinate: they stop at it.
        cards.update(x=F("x") + dx, y=F("y") + dy)
        _clamp_cards(cluster)
    # Private cards travel too, but their positions are for their authors' eyes only.
    moved = [
        {"id": card_id, "x": card_x, "y": card_y}
        for card_id, card_x, card_y, private, hidden in cards.values_list("id", "x", "y", "private", "hidden")
        if not private and not hidden
    ]
    ctx.emit(
        "cluster.moved",
        {"id": cluster.pk, "x": x, "y": y, "w": w, "h": h, "cards": moved},
    )


def _clamp_cards(cluster):
    for axis in ("x", "y"):
        Card.objects.filter(cluster=cluster, **{f"{axis}__gt": COORDINATE_LIMIT}).update(**{axis: COORDINATE_LIMIT})
        Card.objects.filter(cluster=cluster, **{f"{axis}__lt": -COORDINATE_LIMIT}).update(**{axis: -COORDINATE_LIMIT})


# --- drops in batches ----------------------------------------------------------------


def apply_moves(items):
    """Apply many ``card.move`` commands ``[(participant id, command), ...]`` in one
    transaction, under one lock of each workshop row: in a storm of drops the lock is taken
    once per batch instead of once per drop. Each command gets its own event (the next seq),
    receipt and answer, exactly as through ``apply_command``; returns an Outcome or a
    CommandError per item, in order. A refused move wrote nothing (``card_move`` checks
    everything first), so it needs no savepoint."""
    return apply_batch(_apply_moves_once, items)


def _apply_moves_once(items):
    results, command_ids = batch_command_ids(items)
    if not command_ids:
        return results
    with transaction.atomic():
        participant_ids = {items[index][0] for index in command_ids}
        seen = {
            (participant, command_id): seq
            for participant, command_id, seq in CommandReceipt.objects.filter(
                participant_id__in=participant_ids, command_id__in=set(command_ids.values())
            ).values_list("participant_id", "command_id", "seq")
        }
        participants = Participant.objects.in_bulk(participant_ids)
        workshop_ids = sorted({p.workshop_id for p in participants.values()})
        # In key order, so that two batches cannot deadlock.
        workshops = Workshop.objects.select_for_update().order_by("pk").in_bulk(workshop_ids)
        # The cards and clusters of all drops, read once (after the lock: no command changes them meanwhile).
        batch = Batch(
            cards=Card.objects.in_bulk(_ids(items, command_ids, "card")),
            clusters=Cluster.objects.in_bulk(_ids(items, command_ids, "cluster")),
        )
        receipts, events, changed = [], {}, set()
        for index, command_id in command_ids.items():
            participant_id, command = items[index]
            if (participant_id, command_id) in seen:
                results[index] = Outcome(seq=seen[(participant_id, command_id)], duplicate=True)
                continue
            participant = participants.get(participant_id)
            try:
                if participant is None:
                    raise CommandError("forbidden", "You are not a participant of this workshop.")
                workshop = participant.workshop = workshops[participant.workshop_id]
                if rights_revoked(participant, workshop):
                    raise CommandError("revoked", "Your rights in this workshop have ended; nothing was changed.")
                ctx = Context(workshop, participant, batch=batch)
                card_move(ctx, command)
            except CommandError as error:
                results[index] = error
                continue
            seq = ctx.events[-1]["seq"]
            seen[(participant_id, command_id)] = seq
            receipts.append(CommandReceipt(participant_id=participant_id, command_id=command_id, seq=seq))
            events.setdefault(workshop.pk, []).extend(ctx.events)
            changed.add(workshop.pk)
            results[index] = Outcome(seq=seq, events=ctx.events)
        WorkshopEvent.objects.bulk_create(batch.events)
        Card.objects.bulk_update(list(batch.cards.values()), ["x", "y", "cluster", "updated"])
        CommandReceipt.objects.bulk_create(receipts)
        for workshop_id in changed:
            Workshop.objects.filter(pk=workshop_id).update(last_seq=workshops[workshop_id].last_seq)
        for workshop_id, workshop_events in events.items():
            transaction.on_commit(lambda w=workshop_id, e=workshop_events: broadcast.send_events(w, e))
    return results


def _ids(items, command_ids, name):
    """The well-formed ids under ``name`` in the commands (the others are refused by the checks)."""
    ids = set()
    for index in command_ids:
        value = items[index][1].get(name)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            ids.add(value)
    return ids


# --- drags: checked against a cached view of the board, never written -----------------


def drag_rules(workshop_id):
    """What a drag's check needs, in two queries: the workshop's state, phase and lock, and
    per card whether it is locked, private or hidden and who wrote it."""
    workshop = Workshop.objects.filter(pk=workshop_id).values("state", "phase", "board_locked").first()
    if workshop is None:
        return None
    cards = {
        card_id: (locked, private, hidden, author)
        for card_id, locked, private, hidden, author in Card.objects.filter(workshop_id=workshop_id).values_list(
            "id", "locked", "private", "hidden", "author_id"
        )
    }
    return {**workshop, "cards": cards}


def drag_refusal(rules, participant_id, is_facilitator, may_write, command):
    """Why this drag is refused (a ``CommandError``), or None and the (card, x, y, shown)
    to pass on; ``shown`` is False for a private or hidden card, whose drags nobody else sees.
    The same rules as ``card.move``, from ``drag_rules`` (at most a second old: a drag changes
    nothing, and its drop is checked again in full)."""
    if not may_write:
        return CommandError("forbidden", "Observers cannot change the board."), None
    if rules is None:
        return CommandError("server_error", "The board could not be read; nothing changed."), None
    if not is_facilitator:
        if rules["state"] != WorkshopState.LIVE:
            return CommandError("wrong_phase", "The workshop is not live."), None
        if rules["phase"] not in BOARD_PHASES:
            return CommandError("wrong_phase", f"The board cannot be changed in the phase '{rules['phase']}'."), None
        if rules["board_locked"]:
            return CommandError("locked", "The facilitator has locked the board."), None
    elif rules["phase"] == Phase.CLOSED:
        return CommandError("wrong_phase", "The workshop is closed."), None
    try:
        card_id = command.get("card")
        if isinstance(card_id, bool) or not isinstance(card_id, int) or card_id < 1:
            raise CommandError("invalid", "'card' must be a positive integer id.")
        x, y = _number(command, "x"), _number(command, "y")
    except CommandError as error:
        return error, None
    card = rules["cards"].get(card_id)
    if card is None:
        return CommandError("not_found", f"There is no card {card_id} in this workshop."), None
    locked, private, hidden, author = card
    if (private and author != participant_id) or (hidden and not is_facilitator):
        return CommandError("not_found", f"There is no card {card_id} in this workshop."), None
    if locked and not is_facilitator:
        return CommandError("locked", "The facilitator has locked this card."), None
    return None, (card_id, x, y, not (private or hidden))
