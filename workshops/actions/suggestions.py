"""Suggested clusters: ``clusters.suggest`` answers the asking facilitator with proposed
groups of similar cards (``workshops.suggest``); accepting one is a ``cluster.add`` with
``cards``, which creates the cluster around them and moves them into it, laid out in a grid.

A suggestion changes nothing and is logged nowhere: it is a reply frame to one socket."""

import math

from django.db.models import Q

from ..models import Card, Cluster
from ..suggest import MAX_CARDS, suggest_clusters
from .base import COORDINATE_LIMIT, CommandError, _not_found, _number, _require_facilitator
from .cardtools import emit_card_event
from .moves import _size

# Cards are 200x120 board units; inside a cluster they sit in a grid below its title.
CARD_W, CARD_H = 200, 120
GAP = 20
PADDING = 20
TITLE_SPACE = 56
MAX_COLUMNS = 4
CLUSTER_W, CLUSTER_H = 480, 360  # a cluster's default size (models.Cluster)
CLUSTER_SPACING = 80
GATHER_MAX = 200


def clusters_suggest(ctx, command):
    """Proposed groups over the cards that everyone sees and that are in no cluster yet."""
    _require_facilitator(ctx)
    cards = (
        Card.objects.filter(workshop=ctx.workshop, cluster=None, private=False, hidden=False)
        .order_by("id")
        .values_list("id", "text")[:MAX_CARDS]
    )
    ctx.reply = {"type": "suggestions", "groups": suggest_clusters(list(cards))}


# --- cluster.add with cards ---------------------------------------------------------------


def cards_to_gather(ctx, command):
    """The cards named in ``cards`` (checked, in the given order); [] without the field."""
    if "cards" not in command:
        return []
    ids = command.get("cards")
    if (
        not isinstance(ids, list)
        or not 1 <= len(ids) <= GATHER_MAX
        or any(isinstance(i, bool) or not isinstance(i, int) or i < 1 for i in ids)
    ):
        raise CommandError("invalid", f"'cards' must be a list of 1 to {GATHER_MAX} card ids.")
    if len(set(ids)) != len(ids):
        raise CommandError("invalid", "'cards' names a card twice.")
    found = Card.objects.filter(workshop=ctx.workshop, pk__in=ids).select_related("author")
    if not ctx.participant.is_facilitator:
        found = found.filter(hidden=False)
    # Another's unrevealed brainwriting card does not exist for this actor.
    cards = {card.pk: card for card in found.filter(Q(private=False) | Q(author=ctx.participant))}
    for card_id in ids:
        if card_id not in cards:
            raise _not_found("card", card_id)
        if cards[card_id].locked and not ctx.participant.is_facilitator:
            raise CommandError("locked", "The facilitator has locked this card.")
    return [cards[card_id] for card_id in ids]


def set_area(ctx, command, cluster, cards):
    """The cluster's area from ``x``, ``y``, ``w``, ``h``; without a size it is made large
    enough for its cards, without a place it goes to the right of everything on the board.
    Returns how many cards sit side by side in it."""
    count = len(cards)
    if "w" in command:
        cluster.w = _size(command, "w", cluster.w)
        columns = max(1, min(count, int((cluster.w - 2 * PADDING + GAP) // (CARD_W + GAP))))
    else:
        # A near-square grid reads best; wider than MAX_COLUMNS it would leave the screen.
        columns = min(MAX_COLUMNS, max(1, math.ceil(math.sqrt(count))))
        cluster.w = max(CLUSTER_W, 2 * PADDING + columns * (CARD_W + GAP) - GAP)
    rows = math.ceil(count / columns)
    cluster.h = _size(command, "h", max(CLUSTER_H, TITLE_SPACE + PADDING + rows * (CARD_H + GAP) - GAP))
    if "x" in command or "y" in command:
        cluster.x = _number(command, "x") if "x" in command else cluster.x
        cluster.y = _number(command, "y") if "y" in command else cluster.y
    elif cards:
        cluster.x, cluster.y = _free_place(ctx)
    return columns


def _free_place(ctx):
    """Right of every cluster and card of the board, level with the topmost cluster."""
    clusters = list(Cluster.objects.filter(workshop=ctx.workshop).values_list("x", "y", "w"))
    cards = list(Card.objects.filter(workshop=ctx.workshop, private=False).values_list("x", "y"))
    right = max([x + w for x, _, w in clusters] + [x + CARD_W for x, _ in cards], default=-CLUSTER_SPACING)
    top = min([y for _, y, _ in clusters], default=min([y for _, y in cards], default=0))
    return min(right + CLUSTER_SPACING, COORDINATE_LIMIT - CLUSTER_W), max(top, -COORDINATE_LIMIT)


def gather(ctx, cluster, cards, columns):
    """Move the cards into the (saved) cluster in a grid, one ``card.moved`` each."""
    for index, card in enumerate(cards):
        row, column = divmod(index, columns)
        card.x = min(cluster.x + PADDING + column * (CARD_W + GAP), COORDINATE_LIMIT)
        card.y = min(cluster.y + TITLE_SPACE + row * (CARD_H + GAP), COORDINATE_LIMIT)
        card.cluster = cluster
        Card.objects.filter(pk=card.pk).update(x=card.x, y=card.y, cluster=cluster)
        data = {"id": card.pk, "x": card.x, "y": card.y, "cluster": cluster.pk}
        # A hidden card's move is for facilitators; the others keep not seeing it.
        emit_card_event(ctx, card, "card.moved", data, public={"name": "card.deleted", "data": {"id": card.pk}})
