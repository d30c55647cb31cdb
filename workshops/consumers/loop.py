"""What the sockets of one event loop (one server process) share: the hubs, the coalesced
tallies and presence, the vote batcher and the process's presence lease."""

import asyncio
import weakref

from channels.layers import get_channel_layer

from .. import broadcast, presence, selectors
from ..models import Poll
from .coalescing import Coalescer, VoteBatcher
from .database import database

TALLY_INTERVAL = 0.1
# A tally goes to every socket of the workshop; in big rooms it comes at most every
# online/TALLY_SOCKETS_PER_SECOND seconds per process, so that tallies leave the event
# loop time for the votes' acks (0.1 s up to 1,000 people online, 0.2 s at 2,000).
TALLY_SOCKETS_PER_SECOND = 10_000
# A second tally this long after the last vote: if the channel layer dropped the
# last coalesced one, the final count still arrives.
TALLY_SETTLE = 1.0
PRESENCE_INTERVAL = 1.0
# Every presence frame goes to every socket; in a big room (and above all while it
# fills up) it comes at most this many times a second per local socket, i.e. every
# PRESENCE_INTERVAL s up to PRESENCE_SOCKETS_PER_SECOND sockets, every 4 s at 4x that.
PRESENCE_SOCKETS_PER_SECOND = 250


def _poll_tally(poll_id):
    poll = Poll.objects.filter(pk=poll_id).prefetch_related("options").first()
    if poll is None:
        return None
    return {"poll": poll.pk, "public": poll.results_public, **selectors.poll_tally(poll)}


def _presence(workshop_id):
    online, count = selectors.online_participants(workshop_id)
    return {"online": online, "count": count}


async def _flush_tally(key):
    workshop_id, poll_id = key
    layer = get_channel_layer()
    generation = None
    claim = getattr(layer, "claim_tally", None)  # several processes (Redis): one tally stream
    if claim is not None:
        state = loop_state()
        generation = await claim(
            poll_id, state.tally_interval(key), lambda mine: state.tally_seen(workshop_id, poll_id) >= mine
        )
        if generation is None:
            return  # another process's tally, counted after these votes, reached this process
    tally = await database(_poll_tally)(poll_id)
    if tally is not None:
        await broadcast.asend_tally(workshop_id, tally, generation)


async def _flush_presence(workshop_id):
    presence = await database(_presence)(workshop_id)
    await broadcast.asend_presence(workshop_id, presence)


class LoopState:
    """What the sockets of one event loop (one server process) share."""

    def __init__(self):
        self.tallies = Coalescer(self.tally_interval, _flush_tally, settle=TALLY_SETTLE)
        self.presence = Coalescer(self.presence_interval, _flush_presence)
        self.votes = VoteBatcher()
        self.hubs = {}  # workshop code -> Hub
        # This process's presence lease and open sockets (see ``presence``).
        self.server = presence.ServerPresence(database, self.presence.mark, _flush_presence)

    def tally_seen(self, workshop_id, poll_id):
        """The highest generation of a tally of this poll that this process received."""
        return max(
            (hub.tallies_seen.get(poll_id, 0) for hub in self.hubs.values() if hub.workshop_id == workshop_id),
            default=0,
        )

    def tally_interval(self, key):
        workshop_id, _poll = key
        online = max((hub.online for hub in self.hubs.values() if hub.workshop_id == workshop_id), default=0)
        return max(TALLY_INTERVAL, online / TALLY_SOCKETS_PER_SECOND)

    def presence_interval(self, workshop_id):
        sockets = sum(len(hub.members) for hub in self.hubs.values() if hub.workshop_id == workshop_id)
        return max(PRESENCE_INTERVAL, sockets / PRESENCE_SOCKETS_PER_SECOND)


# Tests run several event loops in one process.
_loop_states = weakref.WeakKeyDictionary()


def loop_state():
    loop = asyncio.get_running_loop()
    state = _loop_states.get(loop)
    if state is None:
        state = _loop_states[loop] = LoopState()
    return state
