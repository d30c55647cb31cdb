"""Reads from a PostgreSQL streaming replica (DATABASE_REPLICA_URL), with read-your-writes
and a fallback to the primary.

Only what is safe to read a moment late goes there: GET and HEAD requests to the views named
in settings.REPLICA_READ_VIEWS (public pages, results, the API's public reads and exports),
outside transaction.atomic; every write, and every read of every other view, goes to the
primary ("default").

Read-your-writes: after a successful POST/PUT/PATCH/DELETE the response carries a signed,
HttpOnly cookie with the primary's WAL position (pg_current_wal_lsn()) for COOKIE_AGE
seconds. While a request carries it, the replica serves it only when it has replayed that
far (pg_last_wal_replay_lsn()); else the primary does. A cookie that is not ours, or not
an LSN, is ignored.

Fallback: each process remembers whether the replica is usable (it answers, is still in
recovery and its WAL receiver runs) and asks again at most once every PROBE_INTERVAL
seconds; meanwhile the primary serves. A view that fails on the replica mid-request is run
again on the primary, so that a replica lost between two probes costs no error page.
"""

import contextlib
import contextvars
import logging
import re
import threading
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, connections

log = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA = "replica"
COOKIE = "primary_lsn"
COOKIE_SALT = "participation.replica"
COOKIE_AGE = 60
PROBE_INTERVAL = 1.0
SAFE_METHODS = frozenset({"GET", "HEAD"})
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_LSN = re.compile(r"([0-9A-F]{1,8})/([0-9A-F]{1,8})")

_reading = contextvars.ContextVar("replica_reading", default=False)


def lsn_value(text):
    """PostgreSQL's 'X/Y' as a number to compare, or None for anything else."""
    match = _LSN.fullmatch(text or "")
    return (int(match.group(1), 16) << 32) + int(match.group(2), 16) if match else None


def reading_from_replica():
    return _reading.get()


class _Health:
    """This process's view of the replica: usable or not, replayed how far, since when."""

    def __init__(self):
        self.lock = threading.Lock()
        self.usable = False
        self.replayed = 0
        self.checked = float("-inf")

    def mark_down(self, reason):
        if self.usable:
            log.warning("replica: reads go to the primary (%s)", reason)
        self.usable, self.checked = False, time.monotonic()

    def current(self):
        """Usable? Probes when the last answer is older than PROBE_INTERVAL; one thread at a
        time, the others take the last answer."""
        if time.monotonic() - self.checked >= PROBE_INTERVAL and self.lock.acquire(blocking=False):
            try:
                if time.monotonic() - self.checked >= PROBE_INTERVAL:
                    self._probe()
            finally:
                self.lock.release()
        return self.usable

    def _probe(self):
        try:
            with connections[REPLICA].cursor() as cursor:
                cursor.execute(
                    "SELECT pg_is_in_recovery(), EXISTS (SELECT 1 FROM pg_stat_wal_receiver),"
                    " pg_last_wal_replay_lsn()::text"
                )
                in_recovery, receiving, replayed = cursor.fetchone()
        except Exception as error:  # noqa: BLE001 - any failure means: not now
            _close_replica()
            self.mark_down(f"not reachable: {error}".strip())
            return
        if not (in_recovery and receiving):
            self.mark_down("not in recovery" if not in_recovery else "its WAL receiver stopped")
            return
        if not self.usable:
            log.warning("replica: usable again, reads go there")
        self.usable, self.replayed, self.checked = True, lsn_value(replayed) or 0, time.monotonic()

    def has_replayed(self, required):
        """Has the replica replayed the primary's WAL up to ``required``? Asks it unless the
        last probe already says so (~0.3 ms)."""
        if self.replayed >= required:
            return True
        try:
            with connections[REPLICA].cursor() as cursor:
                cursor.execute("SELECT pg_last_wal_replay_lsn()::text")
                replayed = lsn_value(cursor.fetchone()[0]) or 0
        except Exception as error:  # noqa: BLE001
            _close_replica()
            self.mark_down(f"not reachable: {error}".strip())
            return False
        self.replayed = max(self.replayed, replayed)
        return replayed >= required


health = _Health()


def _close_replica():
    with contextlib.suppress(Exception):  # a broken connection may fail to close; it is gone either way
        connections[REPLICA].close()


def _required_lsn(request):
    """The WAL position this client wrote up to, from our signed cookie; None without one
    or for anything forged, expired or malformed."""
    raw = request.COOKIES.get(COOKIE)
    if not raw:
        return None
    try:
        value = request.get_signed_cookie(COOKIE, default=None, salt=COOKIE_SALT, max_age=COOKIE_AGE)
    except Exception:  # noqa: BLE001 - nothing a client sends may fail the request
        return None
    return lsn_value(value) if isinstance(value, str) else None


def _primary_lsn():
    try:
        with connections[PRIMARY].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            return cursor.fetchone()[0]
    except Exception as error:  # noqa: BLE001 - the write succeeded; without the cookie reads go by lag only
        log.warning("replica: no WAL position of the primary for read-your-writes (%s)", error)
        return None


class ReplicaRouter:
    """Reads to the replica while a request of an opted-in view reads from it and no
    transaction is open on the primary; everything else to the primary."""

    def db_for_read(self, model, **hints):
        if _reading.get() and not connections[PRIMARY].in_atomic_block:
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows, one a moment later

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db == REPLICA:
            return False  # the replica follows the primary's schema by itself
        return None


class ReplicaMiddleware:
    """Chooses the database for a request's reads and sets the read-your-writes cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _reading.set(False)
        try:
            response = self.get_response(request)
        finally:
            _reading.set(False)
        if request.method in WRITE_METHODS and response.status_code < 400:
            lsn = _primary_lsn()
            if lsn_value(lsn) is not None:
                response.set_signed_cookie(
                    COOKIE,
                    lsn,
                    salt=COOKIE_SALT,
                    max_age=COOKIE_AGE,
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method not in SAFE_METHODS or match is None or match.view_name not in settings.REPLICA_READ_VIEWS:
            return None
        if not health.current():
            return None
        required = _required_lsn(request)
        if required is not None and not health.has_replayed(required):
            return None
        request.replica_view = (view_func, view_args, view_kwargs)
        _reading.set(True)
        return None

    def process_exception(self, request, exception):
        """A database error while reading from the replica: the replica is marked down and
        the view runs again on the primary (only GET and HEAD come here)."""
        if not _reading.get() or not isinstance(exception, DatabaseError | InterfaceError):
            return None
        _reading.set(False)
        _close_replica()
        health.mark_down(f"failed mid-request: {exception}".strip())
        view_func, view_args, view_kwargs = request.replica_view
        try:
            return view_func(request, *view_args, **view_kwargs)
        except Exception:  # noqa: BLE001 - the primary fails too: the original error is answered as usual
            log.exception("replica: the primary failed too")
            return None
