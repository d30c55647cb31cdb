"""Where the sockets' database work runs: not on Channels' one shared sync thread but on
``DB_THREADS`` threads per process, so that commands of different sockets run side by side.
The order per socket is kept because a consumer handles one frame at a time; the order
across sockets comes from the workshop row lock in ``actions``. ``database(func)`` is
asgiref's ``sync_to_async`` on these threads."""

import concurrent.futures
import queue
import threading

from asgiref.sync import sync_to_async
from django.db import connections

DB_THREADS = 4
DB_IDLE_CLOSE = 1.0


class DatabaseThreads(concurrent.futures.Executor):
    """A few threads for the sockets' database work. A thread keeps its database
    connection while work keeps coming (opening one costs ~10 ms on a busy machine,
    more than most commands) and closes it after ``idle`` seconds without work, so
    idle processes hold no connections. With ``?pool=true`` the connection goes back
    to the pool instead."""

    def __init__(self, size, idle):
        self.size = size
        self.idle = idle
        self.jobs = queue.SimpleQueue()
        self.threads = []
        self.lock = threading.Lock()

    def submit(self, fn, /, *args, **kwargs):
        future = concurrent.futures.Future()
        self.jobs.put((future, fn, args, kwargs))
        with self.lock:
            if len(self.threads) < self.size:
                thread = threading.Thread(target=self._work, name=f"workshop-db-{len(self.threads)}", daemon=True)
                self.threads.append(thread)
                thread.start()
        return future

    def _work(self):
        while True:
            try:
                job = self.jobs.get(timeout=self.idle)
            except queue.Empty:
                connections.close_all()
                job = self.jobs.get()
            future, fn, args, kwargs = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                replace_broken_connections()
                result = fn(*args, **kwargs)
            except BaseException as error:  # handed to the awaiting coroutine
                future.set_exception(error)
            else:
                future.set_result(result)

    def close_connections(self):
        """Close every thread's connection now (for test teardown)."""
        with self.lock:
            count = len(self.threads)
        if not count:
            return
        barrier = threading.Barrier(count)

        def close():
            connections.close_all()
            barrier.wait(timeout=10)

        for future in [self.submit(close) for _ in range(count)]:
            future.result(timeout=20)


_threads = DatabaseThreads(DB_THREADS, DB_IDLE_CLOSE)


def close_database_threads():
    _threads.close_connections()


def replace_broken_connections():
    """Before each job: a connection that saw an error and no longer works, or was left
    outside autocommit, is closed (the job opens a new one); a healthy one is kept.
    Django's ``close_old_connections`` would also close every connection after each job
    (``CONN_MAX_AGE`` is 0), which the threads avoid on purpose."""
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None and (
            conn.get_autocommit() != conn.settings_dict["AUTOCOMMIT"] or (conn.errors_occurred and not conn.is_usable())
        ):
            conn.close()
        conn.errors_occurred = False


def database(func):
    return sync_to_async(func, thread_sensitive=False, executor=_threads)
