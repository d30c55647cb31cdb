"""Joining a workshop, run in a database thread: the participant of a socket (ticket or
session), its presence row and the snapshot frame, whose common part sockets joining
at the same moment share (``SnapshotCache``)."""

import time
from urllib.parse import parse_qs

from django.db import connection, transaction

from participation import rules

from .. import presence, selectors
from ..actions import join_workshop, rights_revoked
from ..frames import CLOSE_NOT_FOUND, CLOSE_UNAUTHORISED, encode
from ..models import Participant, ParticipantRole, Workshop
from ..tickets import read_ticket

# Sockets joining within this many seconds share the snapshot's common part (with who is online).
SNAPSHOT_SHARED_MAX_AGE = 1.0


class SnapshotCache:
    """Shared snapshot parts of one workshop, valid while ``generation`` is unchanged;
    the hub moves it on with every event or tally it receives."""

    def __init__(self):
        self.generation = 0
        self.entries = {}


def _ticket(scope):
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return (query.get("ticket") or [None])[0]


def _authenticate(scope, workshop):
    """The participant for this socket: from a ticket, else from the session's user."""
    ticket = _ticket(scope)
    if ticket:
        participant_id = read_ticket(ticket, workshop.pk)
        if participant_id:
            return Participant.objects.filter(pk=participant_id, workshop=workshop).first()
        return None
    user = scope.get("user")
    if user is None or not user.is_authenticated:
        return None
    if rules.can_manage_process(user, workshop.process):
        name = user.get_full_name() or user.get_username()
        return join_workshop(workshop, user, name, ParticipantRole.FACILITATOR)
    existing = Participant.objects.filter(workshop=workshop, user=user).exclude(role=ParticipantRole.FACILITATOR)
    return existing.order_by("-role").first()


def join(scope, code, key, server_id, hub=None):
    """Find the workshop and the participant and write the socket's presence row (``key``
    on server ``server_id``); with the hub
    (the socket is already registered with it), also read the snapshot, so that
    joining a busy workshop is one trip to a database thread and, with a ticket on a
    board many join at once, one query."""
    ticket = _ticket(scope)
    if hub is not None and ticket:
        participant_id = read_ticket(ticket, hub.workshop.pk)
        participant = presence.check_in(key, server_id, participant_id, hub.workshop.pk) if participant_id else None
        if participant is None:
            return CLOSE_UNAUTHORISED, hub.workshop, None
        if rights_revoked(participant, hub.workshop):
            presence.check_out(key)
            return CLOSE_UNAUTHORISED, hub.workshop, None
        return participant, hub.workshop, _snapshot_or_count_out(participant, hub.cache, key)
    workshop = Workshop.objects.filter(code=code).first()
    if workshop is None:
        return CLOSE_NOT_FOUND, None, None
    participant = _authenticate(scope, workshop)
    if participant is None or rights_revoked(participant, workshop):
        return CLOSE_UNAUTHORISED, workshop, None
    presence.add_socket(key, server_id, participant)
    frame = _snapshot_or_count_out(participant, hub.cache, key) if hub is not None else None
    return participant, workshop, frame


def _snapshot_or_count_out(participant, cache, key):
    # The socket is counted in but not yet admitted: if the snapshot fails, nobody else counts it out.
    try:
        return snapshot(participant, cache)
    except BaseException:
        presence.check_out(key)
        raise


def snapshot(participant, cache):
    """The snapshot frame as text. The part every participant of a kind shares is taken
    from ``cache`` when no broadcast reached this process since it was read and it is at
    most ``SNAPSHOT_SHARED_MAX_AGE`` old (its online part: a crashed process's lease may
    have run out meanwhile)."""
    generation = cache.generation
    if not isinstance(participant, Participant):
        participant = Participant.objects.get(pk=participant)
    view = participant.is_facilitator
    entry = cache.entries.get(view)
    if entry is None or entry[0] != generation or time.monotonic() - entry[5] > SNAPSHOT_SHARED_MAX_AGE:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            workshop = Workshop.objects.get(pk=participant.workshop_id)
            shared = selectors.shared_snapshot(workshop, view)
        polls = shared.pop("polls")
        entry = (
            generation,
            workshop.last_seq,
            encode(shared)[1:-1],
            polls,
            bool(shared["cards"]),
            time.monotonic(),
            workshop if workshop.brainwriting else None,
        )
        cache.entries[view] = entry
    _generation, seq, shared_text, polls, has_cards, _read_at, brainwriting = entry
    # Q&A look-ups only where there are questions (many people join an empty room at once).
    has_questions = '"questions":[]' not in shared_text
    personal = selectors.personal_snapshot(
        participant, polls=bool(polls), cards=has_cards, workshop=brainwriting, questions=has_questions
    )
    my_votes = personal.pop("my_votes")
    personal["polls"] = [{**poll, "my_vote": my_votes.get(str(poll["id"]))} for poll in polls]
    state = "{" + shared_text + "," + encode(personal)[1:-1] + "}"
    return seq, participant.is_facilitator, f'{{"type":"snapshot","seq":{seq},"state":{state}}}'
