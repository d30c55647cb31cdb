"""Reads of a workshop: serialised objects for events and snapshots, resync."""

from itertools import groupby

from django.db.models import Count, F, Q

from participation.models import Measure

from .models import (
    BreakoutGroup,
    Card,
    CardLike,
    CardReaction,
    Cluster,
    Comment,
    Participant,
    Poll,
    PollVote,
    Question,
    QuestionVote,
    WorkshopEvent,
)
from .presence import online_q
from .tally import tally
from .tools_data import server_now, tools_snapshot

# A client further behind than this gets a fresh snapshot instead of the events.
MAX_SYNC_EVENTS = 500


def participant_data(participant):
    return {"id": participant.pk, "name": participant.display_name, "role": participant.role}


def reaction_counts(card_ids):
    """``{card id: {emoji: count}}`` for these cards (cards without reactions left out)."""
    counts = {}
    rows = CardReaction.objects.filter(card_id__in=card_ids).values_list("card_id", "emoji").annotate(n=Count("id"))
    for card_id, emoji, n in rows.order_by("card_id", "emoji"):
        counts.setdefault(card_id, {})[emoji] = n
    return counts


def card_data(card, workshop, likes=None, reactions=None):
    hidden = card.anonymous or workshop.hide_authors
    if reactions is None:
        reactions = reaction_counts([card.pk]).get(card.pk, {}) if card.pk else {}
    return {
        "id": card.pk,
        "text": card.text,
        "cluster": card.cluster_id,
        "x": card.x,
        "y": card.y,
        "color": card.color,
        "author": None if hidden else card.author_id,
        "author_name": None if hidden or card.author is None else card.author.display_name,
        "likes": likes if likes is not None else card.likes.count(),
        "measure": card.measure_id,
        "reactions": reactions,
        "private": card.private,
        "locked": card.locked,
        "pinned": card.pinned,
        "hidden": card.hidden,
        "group": card.group_id,
    }


def cluster_data(cluster):
    return {
        "id": cluster.pk,
        "title": cluster.title,
        "measure": cluster.measure_id,
        "x": cluster.x,
        "y": cluster.y,
        "w": cluster.w,
        "h": cluster.h,
        "group": cluster.group_id,
    }


def group_data(group, members):
    """A breakout group with its area and its members (``members``: participant ids,
    ``names``: their names in the same order; ``active``: running now). ``members`` are
    ``(id, name)`` pairs."""
    return {
        "id": group.pk,
        "name": group.name,
        "x": group.x,
        "y": group.y,
        "w": group.w,
        "h": group.h,
        "active": group.active,
        "members": [pk for pk, _name in members],
        "names": [name for _pk, name in members],
    }


def groups_data(workshop):
    """Every breakout group of the workshop, running or ended, in their order."""
    members = {}
    rows = Participant.objects.filter(workshop=workshop, group__isnull=False)
    for group_id, participant_id, name in rows.values_list("group_id", "pk", "display_name").order_by("pk"):
        members.setdefault(group_id, []).append((participant_id, name))
    return [group_data(group, members.get(group.pk, [])) for group in BreakoutGroup.objects.filter(workshop=workshop)]


def comment_data(comment, workshop):
    return {
        "id": comment.pk,
        "card": comment.card_id,
        "text": comment.text,
        "author_name": None if workshop.hide_authors or comment.author is None else comment.author.display_name,
    }


def question_data(question, workshop, votes=None):
    """A Q&A question as everyone who may see it sees it (the author's name only when given)."""
    nameless = question.anonymous or workshop.hide_authors or question.author is None
    return {
        "id": question.pk,
        "text": question.text,
        # The author's participant id only where the name is shown (renamed on account deletion).
        "author": None if nameless else question.author_id,
        "author_name": None if nameless else question.author.display_name,
        "votes": votes if votes is not None else question.votes.count(),
        "answered": question.answered,
        "hidden": question.hidden,
    }


def questions_of(workshop, facilitator_view):
    """The workshop's questions in the order asked; hidden ones for facilitators only."""
    questions = Question.objects.filter(workshop=workshop).select_related("author")
    if not facilitator_view:
        questions = questions.filter(hidden=False)
    questions = questions.annotate(vote_count=Count("votes"))
    return [question_data(q, workshop, votes=q.vote_count) for q in questions]


def poll_options(poll):
    return [(option.pk, option.label) for option in poll.options.all()]


def poll_data(poll):
    return {
        "id": poll.pk,
        "question": poll.question,
        "kind": poll.kind,
        "state": poll.state,
        "dots": poll.dots,
        "max_per_option": poll.max_per_option,
        "results_hidden": poll.results_hidden,
        "revealed": poll.revealed,
        "options": [
            {
                "id": option.pk,
                "label": option.label,
                "card": option.card_id,
                "cluster": option.cluster_id,
                "measure": option.measure_id,
            }
            for option in poll.options.all()
        ],
    }


def poll_tally(poll):
    choices = list(PollVote.objects.filter(poll=poll).values_list("choice", flat=True))
    return tally(poll.kind, poll_options(poll), choices)


def workshop_data(workshop):
    return {
        "id": workshop.pk,
        "code": workshop.code,
        "title": workshop.title,
        "agenda": workshop.agenda,
        "state": workshop.state,
        "phase": workshop.phase,
        "process": workshop.process_id,
        "anonymous_posting": workshop.anonymous_posting,
        "participants_may_cluster": workshop.participants_may_cluster,
        "dots_per_participant": workshop.dots_per_participant,
        "board_locked": workshop.board_locked,
        "hide_authors": workshop.hide_authors,
        "brainwriting": workshop.brainwriting,
        "follow": workshop.follow,
        "projector_view": workshop.projector_view,
        "breakout_mode": workshop.breakout_mode,
    }


# Snapshots and presence frames name at most this many people; the count is exact.
ONLINE_NAMES_MAX = 200


def online_participants(workshop_id, limit=ONLINE_NAMES_MAX):
    """Who is online (at most ``limit`` names, ordered by name) and how many are: those
    with an open socket on a server process whose presence lease is alive (``presence``).
    Screens (projectors) are nobody and not counted."""
    online = Participant.objects.filter(online_q(), workshop_id=workshop_id, screen=False)
    names = [participant_data(p) for p in online.order_by("display_name", "id")[:limit]]
    count = len(names) if len(names) < limit else online.count()
    return names, count


def shared_snapshot(workshop, facilitator_view):
    """The part of a snapshot that is the same for every participant of one kind
    (facilitators see hidden tallies): sockets joining at the same moment share it."""
    # Private (brainwriting) cards reach their authors only (``personal_snapshot``);
    # hidden cards reach facilitators only.
    visible = Q(private=False) if facilitator_view else Q(private=False, hidden=False)
    cards = list(
        Card.objects.filter(visible, workshop=workshop)
        .select_related("author")
        .annotate(like_count=Count("likes", distinct=True))
    )
    reactions = reaction_counts([c.pk for c in cards]) if cards else {}
    comments = Comment.objects.filter(card__workshop=workshop, card__private=False)
    if not facilitator_view:
        comments = comments.filter(card__hidden=False)
    polls = Poll.objects.filter(workshop=workshop).prefetch_related("options")
    poll_states = []
    for poll in polls:
        entry = poll_data(poll)
        result = poll_tally(poll)
        if poll.results_public or facilitator_view:
            entry["tally"] = result
        else:
            entry["tally"] = {"votes": result["votes"], "options": None}
        poll_states.append(entry)
    online, online_count = online_participants(workshop.pk)
    return {
        "workshop": workshop_data(workshop),
        "phase": workshop.phase,
        "online": online,
        "online_count": online_count,
        "clusters": [cluster_data(c) for c in Cluster.objects.filter(workshop=workshop)],
        "groups": groups_data(workshop),
        "cards": [card_data(c, workshop, likes=c.like_count, reactions=reactions.get(c.pk, {})) for c in cards],
        "private_cards": Card.objects.filter(workshop=workshop, private=True).count() if workshop.brainwriting else 0,
        "comments": [comment_data(c, workshop) for c in comments.select_related("author")],
        "polls": poll_states,
        "questions": questions_of(workshop, facilitator_view),
        **tools_snapshot(workshop),
    }


def personal_snapshot(participant, polls=True, cards=True, workshop=None, questions=True):
    """The part of a snapshot that belongs to one participant: who they are, their
    votes (by poll id) and the cards they like (not looked up on a board without polls
    or cards: many people join an empty board at once). Their own private cards only
    while ``workshop`` (given) is in brainwriting."""
    votes = PollVote.objects.filter(participant=participant).values_list("poll_id", "choice") if polls else []
    likes = CardLike.objects.filter(participant=participant).values_list("card_id", flat=True) if cards else []
    reactions = (
        CardReaction.objects.filter(participant=participant)
        .values_list("card_id", "emoji")
        .order_by("card_id", "emoji")
        if cards
        else []
    )
    # Q&A: the questions one upvoted and those one asked (anonymous ones too, to mark them "yours").
    upvotes = (
        QuestionVote.objects.filter(participant=participant).values_list("question_id", flat=True) if questions else []
    )
    asked = Question.objects.filter(author=participant).values_list("id", flat=True) if questions else []
    mine = []
    if workshop is not None and workshop.brainwriting:
        private = Card.objects.filter(workshop=workshop, author=participant, private=True).select_related("author")
        mine = [card_data(c, workshop, likes=0, reactions={}) for c in private]
    return {
        "you": {**participant_data(participant), "group": participant.group_id},
        "my_votes": {str(poll_id): choice for poll_id, choice in votes},
        "my_likes": list(likes),
        "my_reactions": [[card_id, emoji] for card_id, emoji in reactions],
        "my_private_cards": mine,
        "my_upvotes": sorted(upvotes),
        "my_questions": sorted(asked),
        # Read per socket, never from a cached shared part: clients set their clock by it.
        "server_now": server_now(),
    }


def snapshot(workshop, participant):
    """The whole board as one participant may see it (``my_vote`` inside each poll)."""
    state = shared_snapshot(workshop, participant.is_facilitator)
    personal = personal_snapshot(participant, workshop=workshop)
    for poll in state["polls"]:
        poll["my_vote"] = personal["my_votes"].get(str(poll["id"]))
    state["you"] = personal["you"]
    state["my_likes"] = personal["my_likes"]
    state["my_reactions"] = personal["my_reactions"]
    state["my_private_cards"] = personal["my_private_cards"]
    state["my_upvotes"] = personal["my_upvotes"]
    state["my_questions"] = personal["my_questions"]
    state["server_now"] = personal["server_now"]
    return state


def catalogue_groups(workshop):
    """The published measures of the workshop's process, for poll options in the console:
    ``[{"field": FieldOfAction or None, "measures": [Measure, ...]}]`` in catalogue order,
    the measures without a field of action last."""
    measures = (
        Measure.objects.filter(process_id=workshop.process_id, published=True)
        .select_related("field")
        .order_by(F("field__position").asc(nulls_last=True), "field__title", "field_id", "title", "pk")
    )
    groups = []
    for field, items in groupby(measures, key=lambda m: m.field):
        groups.append({"field": field, "measures": list(items)})
    return groups


def events_since(workshop_id, since, until=None):
    """Events after ``since`` (up to ``until``), or None when a snapshot is cheaper."""
    events = WorkshopEvent.objects.filter(workshop_id=workshop_id, seq__gt=since)
    if until is not None:
        events = events.filter(seq__lte=until)
    events = list(events.order_by("seq")[: MAX_SYNC_EVENTS + 1])
    if len(events) > MAX_SYNC_EVENTS:
        return None
    return [event.as_frame() for event in events]
