"""The workshop WebSocket: authenticates, registers the socket with its process's
fan-out hub and hands commands to ``actions``. See docs/protocol.md for the frames
and docs/architecture.md ("Fan-out inside a process") for the design.

How a broadcast reaches the sockets
    Each process subscribes once per workshop to the workshop's channel-layer group
    (a ``Hub``), not once per socket. A broadcast therefore crosses the channel layer
    once per process; the hub encodes each frame once and writes it to every local
    socket that is in step (its next ``seq``, nothing queued, not busy with a
    snapshot or a sync). Any other socket gets the message queued in its own backlog,
    which it works off in order under its ``order`` lock with the usual rules: events
    it already has are skipped, a gap is filled from the database.

Where the database work runs
    Not on Channels' one shared sync thread but on ``DB_THREADS`` threads per process
    (``database``): commands of different sockets run side by side, the order per
    socket is kept because a consumer handles one frame at a time, and the order
    across sockets comes from the workshop row lock in ``actions``. Votes arriving
    within ``VOTE_BATCH_WINDOW`` are written together (``actions.apply_votes``).

The rooms: ``database`` (the threads), ``joining`` (participant, presence row, snapshot),
``coalescing`` (tallies, presence, vote batches), ``loop`` (what one event loop shares),
``hub`` (fan-out) and ``consumer`` (the socket).
"""

from .consumer import WorkshopConsumer
from .database import close_database_threads, database
from .hub import Hub
from .loop import loop_state

__all__ = ["Hub", "WorkshopConsumer", "close_database_threads", "database", "loop_state"]
