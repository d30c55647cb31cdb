"""The one door out of a live workshop: its channel-layer group and every message sent to it.

Each workshop has one group, ``workshop-<id>``; each server process's hub
(``consumers.hub.Hub``) is its one member there and hands the messages to its local
sockets. Nothing else names the group or sends to it. The messages, all sent after the
commit of what they report:

- ``workshop.events``: committed events (``{"events": [frame, ...]}``, in ``seq`` order);
- ``workshop.tally``: a poll's live count (``{"tally": {...}, "generation": n}``);
- ``workshop.presence``: who is online (``{"online": [...], "count": n}``);
- ``workshop.revoke``: close the sockets of these participants (``{"participants": [id, ...]}``);
- ``workshop.moving``: cards being dragged right now (``{"cards": [{id, x, y, by}, ...]}``), a
  process's drags of the last ~50 ms; never logged, the drop's ``card.moved`` event is what counts.

Losing any of them is safe: the database is the truth, sockets fill gaps from it and the
hub checks ``last_seq`` when it hears nothing (docs/architecture.md, "Live workshops").
The ``send_*`` functions are for synchronous code after a commit and log a failure;
the ``asend_*`` coroutines are for the event loop and raise it.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

log = logging.getLogger(__name__)

GROUP_PREFIX = "workshop-"

EVENTS = "workshop.events"
TALLY = "workshop.tally"
PRESENCE = "workshop.presence"
REVOKE = "workshop.revoke"
MOVING = "workshop.moving"


def group_name(workshop_id):
    return f"{GROUP_PREFIX}{workshop_id}"


# --- from synchronous code, after the commit -----------------------------------------------


def send_events(workshop_id, events):
    """Committed events to everyone in the workshop. Losing this is safe: clients resync."""
    try:
        async_to_sync(asend_events)(workshop_id, events)
    except Exception:
        log.exception("broadcast of workshop %s events failed; clients will resync", workshop_id)


def send_revoke(workshop_id, participant_ids):
    """Every process closes its open sockets of these participants (4401). If the message is
    lost, their next command is refused (``revoked``) and closes the socket then."""
    try:
        async_to_sync(get_channel_layer().group_send)(
            group_name(workshop_id), {"type": REVOKE, "participants": list(participant_ids)}
        )
    except Exception:
        log.exception("could not close the sockets of participants of workshop %s", workshop_id)


# --- from the event loop ----------------------------------------------------------------


async def asend_events(workshop_id, events):
    await get_channel_layer().group_send(group_name(workshop_id), {"type": EVENTS, "events": events})


async def asend_tally(workshop_id, tally, generation):
    await get_channel_layer().group_send(
        group_name(workshop_id), {"type": TALLY, "tally": tally, "generation": generation}
    )


async def asend_presence(workshop_id, presence):
    await get_channel_layer().group_send(group_name(workshop_id), {"type": PRESENCE, **presence})


async def asend_moving(workshop_id, cards):
    """Drags of this process's sockets (``consumers.dragging``); losing them loses nothing."""
    await get_channel_layer().group_send(group_name(workshop_id), {"type": MOVING, "cards": cards})
