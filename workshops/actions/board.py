"""Board commands: cards, likes, comments, clusters, and promoting a card or cluster to a measure."""

from participation.actions import free_measure_slug, record_audit
from participation.models import FieldOfAction, Measure, MeasureOrigin

from .. import selectors
from ..models import (
    CARD_TEXT_MAX,
    CLUSTER_TITLE_MAX,
    COMMENT_TEXT_MAX,
    Card,
    CardLike,
    Cluster,
    Comment,
    Phase,
)
from . import breakouts, suggestions
from .base import (
    CommandError,
    _card,
    _cluster,
    _color,
    _id,
    _number,
    _require_author_or_facilitator,
    _require_board_open,
    _require_cluster_rights,
    _require_facilitator,
    _require_writer,
    _text,
)
from .cardtools import emit_card_event, require_revealed


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
    # Written in a breakout group: the card belongs to it (and lands in its area).
    breakouts.place_card(ctx, card, positioned="x" in command or "y" in command)
    # Brainwriting: the card stays its author's until the facilitator reveals all cards.
    card.private = ctx.workshop.brainwriting
    card.save()
    emit_card_event(ctx, card, "card.added", selectors.card_data(card, ctx.workshop, likes=0))


def _require_unlocked(ctx, card):
    if card.locked and not ctx.participant.is_facilitator:
        raise CommandError("locked", "The facilitator has locked this card.")


def card_update(ctx, command):
    _require_board_open(ctx)
    card = _card(ctx, command)
    _require_author_or_facilitator(ctx, card)
    _require_unlocked(ctx, card)
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
    emit_card_event(ctx, card, "card.updated", data)


def card_delete(ctx, command):
    _require_board_open(ctx)
    card = _card(ctx, command)
    _require_author_or_facilitator(ctx, card)
    _require_unlocked(ctx, card)
    card_id = card.pk
    card.delete()
    emit_card_event(ctx, card, "card.deleted", {"id": card_id})


def card_like(ctx, command):
    _require_board_open(ctx)
    card = _card(ctx, command)
    require_revealed(card)
    _, created = CardLike.objects.get_or_create(card=card, participant=ctx.participant)
    if not created:
        raise CommandError("conflict", "You already like this card.")
    emit_card_event(
        ctx, card, "card.liked", {"card": card.pk, "participant": ctx.participant.pk, "likes": card.likes.count()}
    )


def card_unlike(ctx, command):
    _require_board_open(ctx)
    card = _card(ctx, command)
    require_revealed(card)
    deleted, _ = CardLike.objects.filter(card=card, participant=ctx.participant).delete()
    if not deleted:
        raise CommandError("conflict", "You do not like this card yet.")
    emit_card_event(
        ctx, card, "card.unliked", {"card": card.pk, "participant": ctx.participant.pk, "likes": card.likes.count()}
    )


def comment_add(ctx, command):
    _require_writer(ctx)
    if ctx.workshop.phase == Phase.CLOSED:
        raise CommandError("wrong_phase", "The workshop is closed.")
    if ctx.workshop.board_locked and not ctx.participant.is_facilitator:
        raise CommandError("locked", "The facilitator has locked the board.")
    card = _card(ctx, command)
    require_revealed(card)
    text = _text(command, "text", COMMENT_TEXT_MAX)
    comment = Comment.objects.create(card=card, author=ctx.participant, text=text)
    emit_card_event(ctx, card, "comment.added", selectors.comment_data(comment, ctx.workshop))


def cluster_add(ctx, command):
    _require_cluster_rights(ctx)
    title = _text(command, "title", CLUSTER_TITLE_MAX)
    cluster = Cluster(workshop=ctx.workshop, title=title, created_by=ctx.participant)
    # Optional area and cards to gather into it (accepting a suggested cluster).
    cards = suggestions.cards_to_gather(ctx, command)
    columns = suggestions.set_area(ctx, command, cluster, cards)
    breakouts.place_cluster(ctx, cluster, positioned="x" in command or "y" in command)
    cluster.save()
    ctx.emit("cluster.added", selectors.cluster_data(cluster))
    suggestions.gather(ctx, cluster, cards, columns)


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
    # Its cards stay on the board, outside any cluster (private and hidden ones unnamed:
    # clients take every card of the cluster out of it anyway).
    cards = list(Card.objects.filter(cluster=cluster, private=False, hidden=False).values_list("id", flat=True))
    cluster.delete()
    ctx.emit("cluster.deleted", {"id": cluster_id, "cards": cards})


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
    require_revealed(card)
    if card.measure_id:
        raise CommandError("conflict", "This card is already a measure.")
    title = _text(command, "title", 200, required=False) or card.text.split("\n")[0][:200]
    measure = _promote(ctx, title, card.text, _id(command, "field", required=False))
    card.measure = measure
    card.save(update_fields=["measure"])
    emit_card_event(
        ctx, card, "measure.promoted", {"card": card.pk, "measure": {"id": measure.pk, "title": measure.title}}
    )


def cluster_promote(ctx, command):
    _require_facilitator(ctx)
    cluster = _cluster(ctx, command)
    if cluster.measure_id:
        raise CommandError("conflict", "This cluster is already a measure.")
    # Unrevealed brainwriting cards and hidden cards stay out of the measure's text.
    texts = list(cluster.cards.filter(private=False, hidden=False).values_list("text", flat=True))
    title = _text(command, "title", 200, required=False) or cluster.title
    description = "\n\n".join(f"- {text}" for text in texts)
    measure = _promote(ctx, title, description, _id(command, "field", required=False))
    cluster.measure = measure
    cluster.save(update_fields=["measure"])
    ctx.emit("measure.promoted", {"cluster": cluster.pk, "measure": {"id": measure.pk, "title": measure.title}})
