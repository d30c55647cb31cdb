"""Reads on a PostgreSQL streaming replica (participation/replica.py), on real servers: a
private primary and replica (initdb, pg_basebackup -R -X stream) on free ports, and Daphne
with DATABASE_URL=primary and DATABASE_REPLICA_URL=replica.

Proof that a read came from the replica: its WAL replay is paused (pg_wal_replay_pause())
and the measure's title changed on the primary; a reader who sees the old title read the
replica, one who sees the new title read the primary.
"""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg
import pytest

from tests.workshops.live_site import Server, free_port, manage, server_env

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _as_postgres():
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


class Replication:
    """A PostgreSQL primary and its streaming replica in a temp dir, on 127.0.0.1."""

    def __init__(self):
        if not (PG_BIN / "initdb").exists() or not (PG_BIN / "pg_basebackup").exists():
            pytest.skip(f"needs PostgreSQL 15 server binaries in {PG_BIN}")
        self.root = Path(tempfile.mkdtemp(prefix="pg-replication-"))
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self.sockets = self.root / "sockets"  # outside the data dirs: pg_basebackup must not copy the lock
        self.primary_dir, self.replica_dir = self.root / "primary", self.root / "replica"
        self.primary_port, self.replica_port = free_port(), free_port()

    def _run(self, *args, timeout=60):
        subprocess.run([*_as_postgres(), *map(str, args)], check=True, capture_output=True, timeout=timeout)

    def _start(self, data, port):
        options = f"-p {port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        self._run(PG_BIN / "pg_ctl", "-D", data, "-l", self.root / f"{data.name}.log", "-w", "-o", options, "start")

    def start(self):
        self._run("mkdir", "-p", self.sockets)
        self._run(PG_BIN / "initdb", "-D", self.primary_dir, "-U", "postgres", "--auth=trust", "--no-sync")
        self._start(self.primary_dir, self.primary_port)
        self.admin("CREATE DATABASE participation")
        self._run(
            PG_BIN / "pg_basebackup",
            *("-h", "127.0.0.1", "-p", self.primary_port, "-U", "postgres"),
            *("-D", self.replica_dir, "-R", "-X", "stream", "-c", "fast", "--no-sync"),
        )
        self._start(self.replica_dir, self.replica_port)
        return self

    def url(self, port):
        return f"postgres://postgres@127.0.0.1:{port}/participation"

    def admin(self, sql):
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{self.primary_port}/postgres", autocommit=True) as c:
            c.execute(sql)

    def on_replica(self, sql):
        with psycopg.connect(self.url(self.replica_port).replace("postgres:", "postgresql:"), autocommit=True) as c:
            return c.execute(sql).fetchone()

    def kill_replica(self):
        """A crash: SIGKILL to the replica's postmaster."""
        pid = int((self.replica_dir / "postmaster.pid").read_text().split()[0])
        os.kill(pid, signal.SIGKILL)

    def restart_replica(self, timeout=20):
        deadline = time.monotonic() + timeout
        while True:  # its orphaned children hold the shared memory for a moment
            try:
                return self._start(self.replica_dir, self.replica_port)
            except subprocess.CalledProcessError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def stop(self):
        for data in (self.replica_dir, self.primary_dir):
            if (data / "postmaster.pid").exists():
                subprocess.run(
                    [*_as_postgres(), str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                    capture_output=True,
                    timeout=30,
                    check=False,
                )
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module")
def replicated_site():
    replication = Replication()
    workdir = tempfile.mkdtemp(prefix="live-replica-")
    server = None
    try:
        replication.start()
        env = server_env(replication.url(replication.primary_port))
        manage(env, "migrate", "--noinput", "-v0", timeout=300)
        code = (
            "from participation.models import Process, Measure;"
            "p = Process.objects.create(title='Klima', slug='klima', published=True);"
            "m = Measure.objects.create(process=p, title='Titel 0', slug='radweg');"
            "print(m.pk)"
        )
        measure = int(manage(env, "shell", "-c", code).strip().splitlines()[-1])
        out = manage(env, "create_facilitator", "moderation", "--password", "Wabe-Kessel-4711", "--process", "klima")
        token = out.strip().splitlines()[-1].strip()
        env["DATABASE_REPLICA_URL"] = replication.url(replication.replica_port)
        server = Server("replica", env, workdir).start().wait_ready()
        yield replication, server, measure, token
    finally:
        if server is not None:
            server.stop()
        replication.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def get(url, cookie=None):
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    if cookie:
        request.add_header("Cookie", cookie)
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status, response.read().decode()


def patch_title(server, measure, token, title):
    """The facilitator's write; the read-your-writes cookie it brings back."""
    request = urllib.request.Request(  # noqa: S310
        f"{server.base}/api/measures/{measure}/",
        data=f'{{"title": "{title}"}}'.encode(),
        method="PATCH",
        headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 200
        cookies = [value for name, value in response.headers.items() if name.lower() == "set-cookie"]
    cookie = next(c for c in cookies if c.startswith("primary_lsn="))
    assert "HttpOnly" in cookie and "Max-Age=60" in cookie
    return cookie.split(";")[0]


def title_seen(server, measure, cookie=None):
    status, body = get(f"{server.base}/api/measures/{measure}/", cookie)
    assert status == 200
    return json.loads(body)["title"]


def wait_for_title(server, measure, title, timeout=15):
    deadline = time.monotonic() + timeout
    while (seen := title_seen(server, measure)) != title:
        assert time.monotonic() < deadline, f"still {seen!r}, not {title!r}"
        time.sleep(0.1)


def test_reads_come_from_the_replica_and_the_writer_sees_the_write(replicated_site):
    replication, server, measure, token = replicated_site
    wait_for_title(server, measure, "Titel 0")
    replication.on_replica("SELECT pg_wal_replay_pause()")
    try:
        cookie = patch_title(server, measure, token, "Titel 1")
        # Anyone else reads the paused replica: the old title, on the API and the public page.
        assert title_seen(server, measure) == "Titel 0"
        status, page = get(f"{server.base}/prozesse/klima/massnahmen/radweg/")
        assert status == 200 and "Titel 0" in page and "Titel 1" not in page
        # The writer sees the write at once, from the primary (read-your-writes).
        assert title_seen(server, measure, cookie) == "Titel 1"
        # A forged or garbage cookie is ignored: the replica still answers, no error.
        forged = "primary_lsn=FFFFFFFF/FFFFFFFF:1abc:forgedsignature"
        for bad in (forged, "primary_lsn=%%%\x7f", "primary_lsn=" + "A" * 5000, cookie + "x"):
            assert title_seen(server, measure, bad) == "Titel 0"
    finally:
        replication.on_replica("SELECT pg_wal_replay_resume()")
    wait_for_title(server, measure, "Titel 1")
    # Caught up: the writer's cookie now lets the replica serve them too.
    assert title_seen(server, measure, cookie) == "Titel 1"


def test_a_lost_replica_falls_back_to_the_primary_and_is_used_again_when_back(replicated_site):
    replication, server, measure, token = replicated_site
    replication.kill_replica()
    statuses = []
    for index in range(20):  # over ~2 s: several re-probes, answered by the primary
        statuses.append(get(f"{server.base}/prozesse/klima/massnahmen/radweg/")[0])
        statuses.append(get(f"{server.base}/api/measures/{measure}/")[0])
        if index == 5:
            patch_title(server, measure, token, "Titel 2")
        time.sleep(0.1)
    assert statuses == [200] * 40
    assert title_seen(server, measure) == "Titel 2"  # the primary answers everyone
    assert get(f"{server.base}/healthz")[0] == 200

    replication.restart_replica()
    wait_for_title(server, measure, "Titel 2")
    replication.on_replica("SELECT pg_wal_replay_pause()")
    try:
        patch_title(server, measure, token, "Titel 3")
        # Within a re-probe the replica serves reads again: the paused, older title.
        deadline = time.monotonic() + 10
        while title_seen(server, measure) != "Titel 2":
            assert time.monotonic() < deadline, "reads did not go back to the replica"
            time.sleep(0.2)
    finally:
        replication.on_replica("SELECT pg_wal_replay_resume()")
