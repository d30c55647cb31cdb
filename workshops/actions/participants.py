"""Who takes part: closing the sockets of those who lost their rights, and renaming the
participants of deleted accounts wherever workshops keep their names."""

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_noop

from .. import broadcast
from ..models import (
    Participant,
    ParticipantRole,
    SocketPresence,
    Workshop,
    WorkshopEvent,
)
from .base import (
    rights_revoked,
)


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


# The name a deleted account's participation shows from then on: stored in German, the source
# language, and translated where it is shown to people (the spreadsheet exports).
DELETED_ACCOUNT_NAME = gettext_noop("Gelöschtes Konto")

# Stored events that carry a display name: card and question events name the author
# (``author``), a comment's event its writer, who sent it (the event's actor).
CARD_NAME_EVENTS = ("card.added", "card.updated", "question.added", "question.updated")
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
        # snapshot (consumers.hub.Hub) is read again, as after any event.
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
        for event in events.only("pk", "workshop_id", "name", "data", "actor_id", "public").iterator(chunk_size=500):
            author = event.data.get("author") if event.name in CARD_NAME_EVENTS else event.actor_id
            if author in names and event.data.get("author_name") not in (None, names[author]):
                event.data["author_name"] = names[author]
                # A hidden question shown again: the others' form of the event names the author too.
                public = (event.public or {}).get("data")
                if isinstance(public, dict) and public.get("author") == author and public.get("author_name"):
                    public["author_name"] = names[author]
                renamed.append(event)
                if event.name in ACTOR_NAME_EVENTS:
                    comments.setdefault(event.workshop_id, {})[event.data.get("id")] = names[author]
        WorkshopEvent.objects.bulk_update(renamed, ["data", "public"], batch_size=500)
    # The comments whose shown name changed, by workshop (still on the board or not): id -> name.
    return comments
