"""Card tools of the facilitation: brainwriting (cards private to their authors until the
facilitator reveals them), locking, pinning, hiding and colouring cards, merging
duplicates, and reactions. ``emit_card_event`` is the one place that decides who sees
an event about a card; every handler that reports a change of a card goes through it."""

from .. import selectors
from ..models import REACTIONS, Audience, Card, CardLike, CardReaction, Comment, Phase, PollOption
from .base import (
    CommandError,
    _bool,
    _card,
    _color,
    _not_found,
    _require_board_open,
    _require_facilitator,
    _require_writer,
)

CARD_FLAGS = ("locked", "pinned", "hidden")
# One merge takes at most this many duplicates: enough for any real board, small enough for one event.
MERGE_MAX = 50


def private_count(workshop):
    """How many brainwriting cards wait to be revealed: what everyone but their authors learns."""
    return Card.objects.filter(workshop=workshop, private=True).count()


def emit_card_event(ctx, card, name, data, public=None):
    """Emit an event about ``card`` to those who may see the card: its author alone while
    it is an unrevealed brainwriting card (everyone else learns only the new count), the
    facilitators alone while it is hidden (everyone else gets ``public``, if given, or an
    event without content). Any other card's events go to everyone."""
    if card.private:
        counted = {"name": "card.private", "data": {"count": private_count(ctx.workshop)}}
        return ctx.emit(name, data, audience=Audience.PARTICIPANT, participant=card.author, public=counted)
    if card.hidden:
        return ctx.emit(name, data, audience=Audience.FACILITATORS, public=public)
    return ctx.emit(name, data)


def require_revealed(card):
    """Likes, reactions and comments wait until a brainwriting card is revealed (only its
    author could see them before, and nobody else could answer)."""
    if card.private:
        raise CommandError("wrong_phase", "This card is not revealed yet.")


def _require_may_react(ctx):
    """Reactions are as light as comments: in every phase but the closed one, not while the board is locked."""
    _require_writer(ctx)
    if ctx.workshop.phase == Phase.CLOSED:
        raise CommandError("wrong_phase", "The workshop is closed.")
    if ctx.workshop.board_locked and not ctx.participant.is_facilitator:
        raise CommandError("locked", "The facilitator has locked the board.")


def _emoji(command):
    value = command.get("emoji")
    if isinstance(value, str) and value not in REACTIONS and value + "\ufe0f" in REACTIONS:
        value += "\ufe0f"  # the same emoji typed without its variation selector
    if value not in REACTIONS:
        raise CommandError("invalid", f"'emoji' must be one of {' '.join(REACTIONS)}.")
    return value


# --- lock, pin, hide, colour --------------------------------------------------------


def card_set(ctx, command):
    _require_facilitator(ctx)
    _require_board_open(ctx)
    card = _card(ctx, command)
    was_hidden = card.hidden
    changed = []
    for flag in CARD_FLAGS:
        if flag in command:
            setattr(card, flag, _bool(command, flag))
            changed.append(flag)
    if "color" in command:
        card.color = _color(command)
        changed.append("color")
    if not changed:
        raise CommandError("invalid", "Nothing to change: give locked, pinned, hidden or color.")
    card.save(update_fields=changed)
    data = selectors.card_data(card, ctx.workshop)
    data["changed"] = changed
    if card.private:
        emit_card_event(ctx, card, "card.updated", data)
    elif card.hidden and not was_hidden:
        # For everyone but the facilitators the card leaves the board.
        gone = {"name": "card.deleted", "data": {"id": card.pk}}
        ctx.emit("card.updated", data, audience=Audience.FACILITATORS, public=gone)
    elif was_hidden and not card.hidden:
        # ... and comes back whole, with the comments written meanwhile.
        back = {key: value for key, value in data.items() if key != "changed"}
        comments = Comment.objects.filter(card=card).select_related("author").order_by("pk")
        back["comments"] = [selectors.comment_data(comment, ctx.workshop) for comment in comments]
        ctx.emit("card.updated", data, audience=Audience.FACILITATORS, public={"name": "card.added", "data": back})
    else:
        emit_card_event(ctx, card, "card.updated", data)


# --- merging duplicates ---------------------------------------------------------------


def _merged_ids(command, kept):
    ids = command.get("cards")
    if not isinstance(ids, list) or not 1 <= len(ids) <= MERGE_MAX:
        raise CommandError("invalid", f"'cards' must be a list of 1 to {MERGE_MAX} card ids.")
    for value in ids:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise CommandError("invalid", "'cards' must hold positive integer ids.")
    if len(set(ids)) != len(ids):
        raise CommandError("invalid", "'cards' names a card twice.")
    if kept.pk in ids:
        raise CommandError("invalid", "A card cannot be merged into itself.")
    return ids


def card_merge(ctx, command):
    _require_facilitator(ctx)
    _require_board_open(ctx)
    kept = _card(ctx, command)
    ids = _merged_ids(command, kept)
    found = {card.pk: card for card in Card.objects.filter(workshop=ctx.workshop, pk__in=ids)}
    for card_id in ids:
        card = found.get(card_id)
        if card is None or (card.private and card.author_id != ctx.participant.pk):
            raise _not_found("card", card_id)
    merged = [found[card_id] for card_id in ids]
    if any(card.private or card.hidden for card in [kept, *merged]):
        raise CommandError("conflict", "Only revealed cards that are not hidden can be merged.")

    # Likes and reactions move to the kept card, one per participant (and emoji).
    likers = set(CardLike.objects.filter(card=kept).values_list("participant_id", flat=True))
    for like in CardLike.objects.filter(card__in=merged).order_by("pk"):
        if like.participant_id not in likers:
            likers.add(like.participant_id)
            like.card = kept
            like.save(update_fields=["card"])
    reacted = set(CardReaction.objects.filter(card=kept).values_list("participant_id", "emoji"))
    for reaction in CardReaction.objects.filter(card__in=merged).order_by("pk"):
        key = (reaction.participant_id, reaction.emoji)
        if key not in reacted:
            reacted.add(key)
            reaction.card = kept
            reaction.save(update_fields=["card"])
    Comment.objects.filter(card__in=merged).update(card=kept)
    # Poll options that named a duplicate now name the card it was merged into.
    PollOption.objects.filter(card__in=merged).update(card=kept)
    if kept.measure_id is None:
        kept.measure_id = next((card.measure_id for card in merged if card.measure_id), None)
        kept.save(update_fields=["measure"])
    Card.objects.filter(pk__in=ids).delete()  # what was not carried over goes with them
    ctx.emit("cards.merged", {"card": selectors.card_data(kept, ctx.workshop), "removed": ids})


# --- reactions --------------------------------------------------------------------------


def card_react(ctx, command):
    _require_may_react(ctx)
    card = _card(ctx, command)
    require_revealed(card)
    emoji = _emoji(command)
    on = _bool(command, "on")
    if on:
        _, created = CardReaction.objects.get_or_create(card=card, participant=ctx.participant, emoji=emoji)
        if not created:
            raise CommandError("conflict", "You have already reacted so to this card.")
    else:
        deleted, _ = CardReaction.objects.filter(card=card, participant=ctx.participant, emoji=emoji).delete()
        if not deleted:
            raise CommandError("conflict", "You have not reacted so to this card.")
    count = CardReaction.objects.filter(card=card, emoji=emoji).count()
    data = {"card": card.pk, "emoji": emoji, "count": count, "participant": ctx.participant.pk, "on": on}
    emit_card_event(ctx, card, "card.reacted", data)


# --- brainwriting -----------------------------------------------------------------------


def brainwriting_start(ctx, command):
    _require_facilitator(ctx)
    _require_board_open(ctx)
    if ctx.workshop.brainwriting:
        raise CommandError("conflict", "Brainwriting is already on.")
    ctx.workshop.brainwriting = True
    ctx.emit("workshop.updated", {"brainwriting": True})


def brainwriting_reveal(ctx, command):
    # Also once the workshop is closed: revealing only shows what was written.
    _require_facilitator(ctx)
    if not ctx.workshop.brainwriting:
        raise CommandError("conflict", "Brainwriting is not on.")
    cards = list(Card.objects.filter(workshop=ctx.workshop, private=True).select_related("author").order_by("pk"))
    Card.objects.filter(pk__in=[card.pk for card in cards]).update(private=False)
    for card in cards:
        card.private = False
    ctx.workshop.brainwriting = False
    # Nobody could like or react to a private card: its counts start at nothing.
    data = [selectors.card_data(card, ctx.workshop, likes=0, reactions={}) for card in cards]
    ctx.emit("cards.revealed", {"cards": data})
