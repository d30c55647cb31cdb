"""Faults for the reliability tests: a private Redis that can be restarted, PostgreSQL
backends that can be terminated, and a consultation to vote in, all on real processes.

Nothing here touches the shared Redis or the test process's own database: the servers
get a throwaway database (``LiveSite``) and, where Redis is to fail, a redis-server of
their own on a free port.
"""

import asyncio
import json
import os
import shutil
import subprocess
import time
from urllib.parse import urlparse

import pytest

from tests.workshops.live_site import LiveSite, Server, free_port, manage

REDIS_SERVER = shutil.which("redis-server")


def require_postgres():
    if urlparse(os.environ.get("DATABASE_URL", "")).scheme not in ("postgres", "postgresql", "pgsql"):
        pytest.skip("needs DATABASE_URL pointing to PostgreSQL")


def require_redis():
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL (the servers share their channel layer over Redis)")


class PrivateRedis:
    """A redis-server of this test's own, without persistence: a restart loses every key,
    as a crashed or redeployed Redis without a disk would."""

    def __init__(self):
        if REDIS_SERVER is None:
            pytest.skip("needs redis-server on PATH")
        self.port = free_port()
        self.process = None
        self.restarts = 0

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout=10):
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.ping():
                return self
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server on port {self.port} exited with {self.process.returncode}")
            time.sleep(0.05)
        raise TimeoutError(f"redis-server on port {self.port} did not answer within {timeout}s")

    def ping(self):
        import redis

        try:
            return redis.Redis(port=self.port, socket_timeout=0.5, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False

    def kill(self):
        """SIGKILL: the data in memory is gone, clients see their connections drop."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def restart(self, down_for=0.0):
        self.kill()
        time.sleep(down_for)
        self.restarts += 1
        return self.start()

    def keys(self, pattern="*"):
        import redis

        return redis.Redis(port=self.port).keys(pattern)

    def stop(self):
        self.kill()


def terminate_backends(admin_url, database):
    """pg_terminate_backend on every connection to ``database``; how many were ended."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        ).fetchall()
    return sum(1 for (ended,) in rows if ended)


def query(site, sql, params=()):
    """Rows straight from the servers' database, as the auditor would count them."""
    import psycopg

    if site.database.admin_url is None:
        raise RuntimeError("counting rows needs PostgreSQL")
    with psycopg.connect(site.database.url.replace("postgres://", "postgresql://", 1)) as conn:
        return conn.execute(sql, params).fetchall()


CONSULTATION_SCRIPT = """
import json
import uuid
from decimal import Decimal
from participation.models import Measure, Process, User
from voting import actions
process = Process.objects.get(slug='live-test')
facilitator = User.objects.get(username='moderation')
measures = [
    Measure.objects.create(process=process, title=f'Maßnahme {n}', slug=f'massnahme-{n}-{uuid.uuid4().hex[:8]}',
                           summary='Kurz', estimated_cost=Decimal(1000))
    for n in range(OPTIONS)
]
data = {'title': 'Was zuerst?', 'method': METHOD, 'eligibility': 'access_code',
        'options': [m.pk for m in measures], 'settings': {}}
consultation = actions.create_consultation(facilitator, process, data)
actions.open_consultation(facilitator, consultation)
codes, _batch = actions.generate_access_codes(facilitator, consultation, CODES)
print(json.dumps({'id': consultation.pk, 'options': [m.pk for m in measures], 'codes': codes}))
"""


def open_consultation(site, method="approval", options=4, codes=100):
    """An open consultation with access codes on the site's database: {id, options, codes}."""
    script = (
        CONSULTATION_SCRIPT.replace("OPTIONS", str(options))
        .replace("METHOD", repr(method))
        .replace("CODES", str(codes))
    )
    out = manage(site.env, "shell", "-c", script, timeout=120)
    return json.loads(out.strip().splitlines()[-1])


def new_site(names=("A",), redis_url=None, pool=True, env=None):
    """A ``LiveSite`` (a fresh copy of the template database) with Daphne processes ``names``;
    with ``pool`` each server keeps a psycopg connection pool, as README advises for production
    (without it every request in flight holds its own connection)."""
    require_postgres()
    site = LiveSite()
    if redis_url is not None:
        site.env["REDIS_URL"] = redis_url
    if pool:
        site.env["DATABASE_URL"] = site.database.url + "?pool=true"
    for name, value in (env or {}).items():  # None: not set for the servers
        if value is None:
            site.env.pop(name, None)
        else:
            site.env[name] = value
    try:
        site.setup(names)
    except BaseException:
        site.close()
        raise
    return site


def close_site(site):
    """Stop every server at once (not one after the other), then drop the database."""
    running = [s for s in site.servers if s.process is not None and s.process.poll() is None]
    for server in running:
        server.process.terminate()
    for server in running:
        try:
            server.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
    site.close()


def start_tuned_server(site, name, *options):
    server = Server(name, site.env, site.workdir, options)
    site.servers.append(server)
    return server.start().wait_ready()


def rss_bytes(pid):
    """Resident memory of a process, from /proc."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def stalled_websocket(server, code, ticket, receive_buffer=4096):
    """A WebSocket client that completes the handshake and then never reads again: its
    small receive buffer fills, then the server's. Returns the raw socket (close it)."""
    import base64
    import socket

    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    sock.connect(("127.0.0.1", server.port))
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET /ws/workshops/{code}/?ticket={ticket} HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nOrigin: {server.origin}\r\n\r\n"
    )
    sock.sendall(request.encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(1)
        if not chunk:
            raise ConnectionError("closed during the handshake")
        head += chunk
    if not head.startswith(b"HTTP/1.1 101"):
        raise ConnectionError(head.decode(errors="replace"))
    return sock


class SentinelRedis:
    """Redis as a city would run it without a single point of failure: a primary, a
    replica and three Sentinels (quorum 2), each a real redis-server on a free port of
    127.0.0.1. ``kill_primary`` kills whichever server is the primary now."""

    MASTER = "participation"

    def __init__(self, workdir):
        if REDIS_SERVER is None:
            pytest.skip("needs redis-server on PATH")
        self.workdir = workdir
        self.servers = {}  # port: process
        self.sentinels = {}

    def _spawn(self, *args):
        return subprocess.Popen(
            [REDIS_SERVER, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )

    def _server(self, port, primary=None):
        args = ["--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
        args += ["--repl-diskless-sync-delay", "0", "--dir", str(self.workdir)]
        if primary is not None:
            args += ["--replicaof", "127.0.0.1", str(primary)]
        self.servers[port] = self._spawn(*args)

    def start(self, timeout=20):
        import redis

        primary, replica = free_port(), free_port()
        self._server(primary)
        self._server(replica, primary=primary)
        for _ in range(3):
            port = free_port()
            conf = os.path.join(self.workdir, f"sentinel-{port}.conf")
            with open(conf, "w") as handle:
                handle.write(
                    f"bind 127.0.0.1\nport {port}\ndir {self.workdir}\n"
                    f"sentinel monitor {self.MASTER} 127.0.0.1 {primary} 2\n"
                    f"sentinel down-after-milliseconds {self.MASTER} 1000\n"
                    f"sentinel failover-timeout {self.MASTER} 5000\n"
                )
            self.sentinels[port] = self._spawn(conf, "--sentinel")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                info = redis.Redis(port=replica, socket_timeout=0.5).info("replication")
                known = [self.ask(port) for port in self.sentinels]
                if info.get("master_link_status") == "up" and all(k == primary for k in known) and self.settled():
                    return self
            except redis.RedisError:
                pass
            time.sleep(0.1)
        self.stop()
        raise TimeoutError("the Sentinel set did not come up")

    def settled(self):
        """Every Sentinel knows the replica and the two other Sentinels. They learn of each
        other from hello messages every 2 s: killed before that, no Sentinel can gather a
        quorum, and the primary stays dead."""
        import redis

        for port in self.sentinels:
            client = redis.Redis(port=port, socket_timeout=0.5)
            replicas = client.execute_command("SENTINEL", "replicas", self.MASTER)
            others = client.execute_command("SENTINEL", "sentinels", self.MASTER)
            if len(replicas) < 1 or len(others) < len(self.sentinels) - 1:
                return False
        return True

    @property
    def addresses(self):
        return ",".join(f"127.0.0.1:{port}" for port in self.sentinels)

    def ask(self, sentinel_port):
        """The primary's port as this Sentinel names it, or None."""
        import redis

        try:
            answer = redis.Redis(port=sentinel_port, socket_timeout=0.5).execute_command(
                "SENTINEL", "get-master-addr-by-name", self.MASTER
            )
        except redis.RedisError:
            return None
        return int(answer[1]) if answer else None

    def primary(self):
        return self.ask(next(iter(self.sentinels)))

    def kill_primary(self):
        port = self.primary()
        process = self.servers.pop(port)
        process.kill()
        process.wait(timeout=10)
        return port

    def stop(self):
        for process in [*self.servers.values(), *self.sentinels.values()]:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)


async def add_cards(clients, label, wanted, timeout=20):
    """One card from each client at once; every one must be acknowledged. Returns the last seq."""
    sent = await asyncio.gather(*(c.send("card.add", text=f"{c.name}: {label}") for c in clients))
    replies = await asyncio.gather(*(c.reply(i, timeout=timeout) for c, i in zip(clients, sent, strict=True)))
    assert all(r["type"] == "ack" for r in replies), [r for r in replies if r["type"] != "ack"]
    wanted.extend(f"{c.name}: {label}" for c in clients)
    return max(r["seq"] for r in replies)


async def assert_nothing_lost(site, clients, code, wanted, fault):
    """After ``fault``: no socket closed, every client's board holds every acknowledged card
    once (no gap, nothing twice), and the database holds exactly those cards."""
    from .board import Board

    dropped = [c.name for c in clients if c.reader.done()]
    assert not dropped, f"sockets closed by the {fault}: {dropped}"
    for client in clients:
        board = Board.of(client.frames)
        assert board.gaps == 0 and board.repeated == 0, (client.name, board.gaps, board.repeated)
        assert board.texts() == sorted(wanted), client.name
    rows = await asyncio.to_thread(
        query,
        site,
        "SELECT c.text FROM workshops_card c JOIN workshops_workshop w ON w.id = c.workshop_id WHERE w.code = %s",
        [code],
    )
    assert sorted(text for (text,) in rows) == sorted(wanted)
