"""Who is online in a workshop, exact while server processes start, stop and crash.

Every open workshop socket is a ``SocketPresence`` row naming its server process (a
``PresenceServer`` row, one per event loop). A participant is online while one of its
sockets belongs to a server whose lease (``expires``, database time) lies ahead:

- a socket writes its row when it opens and deletes it when it closes (one statement
  each; nothing per frame);
- each process renews its lease every ``RENEW_INTERVAL`` s (one UPDATE per process) and
  sweeps servers whose lease ran out, with their sockets, then broadcasts presence to the
  workshops that lost someone;
- a process stopped with SIGTERM (Daphne's shutdown) deletes its rows at once and
  broadcasts; one killed with SIGKILL stops counting at most ``LEASE`` s after its last
  renewal, however it died.

A process whose own lease ran out while it was alive (its event loop or the database
stalled longer than ``LEASE``) finds its row gone at the next renewal and writes itself
and its open sockets again.
"""

import asyncio
import logging
import os
import socket
import sys
import uuid
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Now

from .models import Participant, PresenceServer, SocketPresence

log = logging.getLogger(__name__)

# A crashed process's sockets stop counting at most LEASE s after it died; a live process
# renews every RENEW_INTERVAL s, so it may stall for LEASE - RENEW_INTERVAL s unnoticed.
LEASE = 15.0
RENEW_INTERVAL = 5.0
# A stopping process waits at most this long to delete its rows and tell the others.
SHUTDOWN_TIMEOUT = 5.0


def _lease(seconds):
    return Now() + timedelta(seconds=seconds)


def online_q():
    """Participants (an ``Exists`` for ``Participant`` querysets) with a socket on a live server."""
    return Exists(SocketPresence.objects.filter(participant=OuterRef("pk"), server__expires__gt=Now()))


# --- database work, run in a database thread ----------------------------------------------


def register(server_id, name, lease=LEASE):
    """Write (or renew) this server's row."""
    if not PresenceServer.objects.filter(pk=server_id).update(expires=_lease(lease)):
        PresenceServer.objects.create(pk=server_id, name=name[:200], expires=_lease(lease))


def renew(server_id, lease=LEASE):
    """Extend this server's lease; False if its row is gone (swept after it ran out)."""
    return PresenceServer.objects.filter(pk=server_id).update(expires=_lease(lease)) > 0


def check_in(key, server_id, participant_id, workshop_id):
    """Write the row of a socket opened with a ticket and return the participant (None when
    there is no such participant in this workshop): one statement on PostgreSQL."""
    if connection.vendor != "postgresql":
        participant = Participant.objects.filter(pk=participant_id, workshop_id=workshop_id).first()
        if participant is not None:
            add_socket(key, server_id, participant)
        return participant
    columns = ", ".join(connection.ops.quote_name(f.column) for f in Participant._meta.concrete_fields)
    sql = (
        f"WITH p AS (SELECT {columns} FROM {Participant._meta.db_table} WHERE id = %s AND workshop_id = %s), "  # noqa: S608
        f"s AS (INSERT INTO {SocketPresence._meta.db_table} (id, server_id, workshop_id, participant_id) "
        "SELECT %s, %s, workshop_id, id FROM p) SELECT * FROM p"
    )
    return next(iter(Participant.objects.raw(sql, [participant_id, workshop_id, key, server_id])), None)


def add_socket(key, server_id, participant):
    SocketPresence.objects.create(
        pk=key, server_id=server_id, workshop_id=participant.workshop_id, participant_id=participant.pk
    )


def check_out(key):
    """Delete the row of a closed socket."""
    SocketPresence.objects.filter(pk=key).delete()


def restore(server_id, sockets):
    """Write these sockets ({key: (workshop id, participant id)}) again under ``server_id``."""
    SocketPresence.objects.bulk_create(
        [
            SocketPresence(pk=key, server_id=server_id, workshop_id=workshop_id, participant_id=participant_id)
            for key, (workshop_id, participant_id) in sockets.items()
        ],
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=["server"],
        batch_size=500,
    )


def forget(keys):
    SocketPresence.objects.filter(pk__in=list(keys)).delete()


def _delete_returning_workshops(where, params):
    table = SocketPresence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {where} RETURNING workshop_id", params)  # noqa: S608
        return {workshop_id for (workshop_id,) in cursor.fetchall()}


def sweep():
    """Delete servers whose lease ran out and every socket of a server that no longer
    exists; the ids of the workshops that lost a socket."""
    servers = PresenceServer._meta.db_table
    with transaction.atomic():
        PresenceServer.objects.filter(expires__lt=Now()).delete()
        return _delete_returning_workshops(
            f"NOT EXISTS (SELECT 1 FROM {servers} v WHERE v.id = server_id)",  # noqa: S608
            [],
        )


def release(server_id):
    """A stopping server's rows: deleted; the ids of the workshops it had sockets in."""
    with transaction.atomic():
        workshops = _delete_returning_workshops("server_id = %s", [server_id])
        PresenceServer.objects.filter(pk=server_id).delete()
    return workshops


# --- one per event loop (server process) ----------------------------------------------------


class ServerPresence:
    """This event loop's lease and open sockets.

    ``run`` wraps a database function for awaiting (the workshop database threads),
    ``changed(workshop_id)`` asks for a coalesced presence broadcast, ``broadcast`` is a
    coroutine function sending one at once (used while stopping)."""

    def __init__(self, run, changed, broadcast):
        self.run = run
        self.changed = changed
        self.broadcast = broadcast
        self.server_id = uuid.uuid4().hex
        self.name = f"{socket.gethostname()}:{os.getpid()}"
        self.sockets = {}  # key -> (workshop id, participant id), written and not yet closed
        self.epoch = 0  # moves on when this server wrote itself again after a sweep
        self.rewriting = False  # writing itself again began and has not finished
        self.ready = None  # future: the server row is written
        self.task = None
        self.closing = False
        self.background = set()
        self.unreleased = {}  # key -> workshop id of rows not deleted yet (retried at each renewal)

    @staticmethod
    def new_key():
        return uuid.uuid4()

    async def ensure(self):
        """Wait until this server's row exists (written once, by the first socket)."""
        if self.ready is None:
            self.ready = asyncio.get_running_loop().create_future()
            try:
                await self.run(register)(self.server_id, self.name)
            except BaseException as error:
                ready, self.ready = self.ready, None
                ready.set_exception(error)
                ready.exception()  # retrieved: the next socket tries again
                raise
            self.ready.set_result(True)
            self.task = asyncio.ensure_future(self.heartbeat())
            self._stop_with_daphne()
        await asyncio.shield(self.ready)

    def opened(self, key, workshop_id, participant_id, epoch):
        """A socket's row was written (under the lease of ``epoch``)."""
        self.sockets[key] = (workshop_id, participant_id)
        if epoch != self.epoch:  # written while this server was being written again
            task = asyncio.ensure_future(self._write_again({key: (workshop_id, participant_id)}))
            self.background.add(task)
            task.add_done_callback(self.background.discard)

    async def check_out(self, key):
        """A socket closed: delete its row, or retry at each renewal if the database is away."""
        workshop_id, _participant = self.sockets.pop(key, (None, None))
        try:
            await self.run(check_out)(key)
        except Exception:
            log.exception("presence row of a closed socket not deleted; retried in %s s", RENEW_INTERVAL)
            self.unreleased[key] = workshop_id

    async def heartbeat(self):
        from .redis_layer import raise_if_cancelling

        while not self.closing:
            await asyncio.sleep(RENEW_INTERVAL)
            raise_if_cancelling()
            try:
                if not await self.run(renew)(self.server_id) or self.rewriting:
                    await self.write_again()
                if self.unreleased:
                    unreleased = dict(self.unreleased)
                    await self.run(forget)(unreleased)
                    for key, workshop_id in unreleased.items():
                        self.unreleased.pop(key, None)
                        if workshop_id is not None:
                            self.changed(workshop_id)
                for workshop_id in await self.run(sweep)():
                    self.changed(workshop_id)
            except Exception as error:
                raise_if_cancelling(error)
                log.exception("presence lease of %s could not be renewed", self.name)

    async def write_again(self):
        """This server's row was swept while it lived: write it and its open sockets again."""
        log.warning("presence lease of %s had run out; writing its %d sockets again", self.name, len(self.sockets))
        self.epoch += 1
        self.rewriting = True  # until all is written: a failure halfway is taken up next round
        await self.run(register)(self.server_id, self.name)
        await self._write_again(dict(self.sockets))
        self.rewriting = False

    async def _write_again(self, sockets):
        await self.run(restore)(self.server_id, sockets)
        gone = [key for key in sockets if key not in self.sockets]  # closed meanwhile
        if gone:
            await self.run(forget)(gone)
        for workshop_id in {workshop_id for workshop_id, _p in sockets.values()}:
            self.changed(workshop_id)

    async def shut_down(self):
        """Delete this server's rows and tell the workshops (bounded; the lease covers a failure)."""
        if self.closing or self.ready is None:
            return
        self.closing = True
        if self.task is not None:
            self.task.cancel()
        try:
            async with asyncio.timeout(SHUTDOWN_TIMEOUT):
                workshops = await self.run(release)(self.server_id)
                self.sockets.clear()
                await asyncio.gather(*(self.broadcast(w) for w in workshops), return_exceptions=True)
        except Exception:
            log.exception("presence of %s not released on shutdown; its lease runs out within %s s", self.name, LEASE)

    def _stop_with_daphne(self):
        """Under Daphne, release the rows when the server shuts down (SIGTERM, SIGINT):
        Daphne cancels every socket's application then, so no ``disconnect`` runs."""
        if "twisted.internet.reactor" not in sys.modules:
            return
        from twisted.internet import defer, reactor

        if getattr(reactor, "_asyncioEventloop", None) is not asyncio.get_running_loop():
            return
        reactor.addSystemEventTrigger(
            "before", "shutdown", lambda: defer.Deferred.fromFuture(asyncio.ensure_future(self.shut_down()))
        )
