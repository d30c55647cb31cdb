"""Fan-out benchmark of live workshops: N simulated participants in one workshop.

    .venv/bin/python bench/workshop_fanout.py --sizes 100,500,1000,2000

Targets (``--targets``, default all three), each with the platform's default settings:
  memory  one Daphne process with the in-memory channel layer
  redis   two Daphne processes sharing Redis; the clients alternate between them
  floor   bench/floor_server.py, a broadcast server on the ``websockets`` library alone
  multihost  several hosts behind a load balancer (deploy/netns_topology.py, needs root):
          HAProxy with TLS spreads the sockets (leastconn) over the Daphne servers of two
          application hosts; PostgreSQL primary and replica, Redis under three Sentinels
A ``--database-url`` ending in ``?pool=true`` runs the servers with a connection pool
(the production set-up in README.md).

multihost builds the topology afresh for each size (prefix bm, 10.78.0.0/24, beside the
tests' bt / 10.77.0.0/24), creates the process and a facilitator with ``manage.py``,
then everything else as users do, through https://10.78.0.10: the workshop over the API
(facilitator's token), the N experts' joins over the API (from several addresses of this
machine on the bridge: the API allows 1,000 joins per address and workshop in 10
minutes), the sockets over wss:// with the topology's certificate. Beside the figures
below it records how many sockets HAProxy put on each host (``show stat``), how often it
marked a host down (its health checks; a host marked down has its sockets shut, and
these clients do not reconnect), until the vote burst was done and at the end, after the
clients closed their sockets (``--lb-checks off`` disables the checks of the Daphne
servers for the run, to measure capacity apart from that policy), and CPU
seconds per host and process (everything in each namespace) in each phase: per role
(app hosts, lb, redis, db) µs of CPU per delivered frame (cards: cards × (N − 1)
deliveries; votes: frames received, acks and tallies) and % of one core. The clients
(this process) run on the same cores; their share is ``client_cpu_pct``. The memory and
redis targets record the same per phase for their Daphne processes and for every
redis-server and postgres process of the machine (valid on a quiet machine only).

For each target and size it starts the servers on 127.0.0.1, creates a fresh
workshop with N participants, connects N WebSocket clients from this one asyncio
process (plus a facilitator's socket that steers), and measures:

  card fan-out  one client adds a card; time until every other client has the
                ``card.added`` event (p50/p95/p99 over ``--cards`` cards, sent one
                after the other); also every single delivery
  vote → tally  every participant casts one dot vote at once; for each vote, the
                time until the first tally frame that includes it has reached every
                client (p50/p95/p99 over the N votes); and until the complete tally
  lost          what was acknowledged and then lost: card events a client never
                got, acknowledged votes missing from the database, seq gaps,
                duplicates. Must be 0. Reported beside it: commands never
                acknowledged, refused votes, and clients that never saw the
                complete tally (a visibility failure, not a lost vote)

A tally with ``votes >= r`` includes the r-th stored vote; the order of votes is
read from the database (PollVote ids) for the platform and from the floor
server's acks for the floor.

The database is a fresh one: a new PostgreSQL database next to the one in
``--database-url`` (dropped at the end) or a temporary SQLite file. The servers
run with DEBUG off. Everything is bounded by timeouts and stops by itself;
servers are stopped in ``finally``. Results go to stdout (a Markdown table) and
to ``--output`` as JSON.
"""

import argparse
import asyncio
import contextlib
import json
import os
import random
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
sys.path.insert(0, str(BASE_DIR))  # deploy.topology
from bench.machine import machine  # noqa: E402
from deploy.topology import free_ports  # noqa: E402 (after the path above)

BIN_DIR = Path(sys.executable).parent
CARD_TEXT = "Kostenloses WLAN in allen Stadtbussen und an den Haltestellen der Innenstadt – Karte {n:03d}"
CONNECT_ATTEMPTS = 8


# --- small helpers ------------------------------------------------------------------


PORTS = None  # range of ports for the servers (--ports); None: any free one
_handed_out = []


def free_port():
    """A free port on 127.0.0.1: the next of ``PORTS`` that binds (in turn, so that two
    servers created before either starts get different ones), or any."""
    if not PORTS:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]
    start = PORTS.index(_handed_out[-1]) + 1 if _handed_out else 0
    (port,) = free_ports(1, [*PORTS[start:], *PORTS[:start]])
    _handed_out.append(port)
    return port


def percentile(values, q):
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def summary_ms(values):
    return {
        "n": len(values),
        "p50": _ms(percentile(values, 0.50)),
        "p95": _ms(percentile(values, 0.95)),
        "p99": _ms(percentile(values, 0.99)),
        "max": _ms(max(values) if values else None),
    }


def _ms(seconds):
    return None if seconds is None else round(seconds * 1000, 1)


def cpu_seconds(pid):
    """User + system CPU time of a process, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def process_cpu_table():
    """{pid: (command name, CPU seconds)} of every process on the machine."""
    ticks = os.sysconf("SC_CLK_TCK")
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            raw = (entry / "stat").read_text()
            name = raw[raw.index("(") + 1 : raw.rindex(")")]
            fields = raw.rsplit(")", 1)[1].split()
            table[int(entry.name)] = (name, (int(fields[11]) + int(fields[12])) / ticks)
    return table


def cpu_by_kind(before, after, ours, wall):
    """CPU % (of one core) in the window: ours, PostgreSQL, Redis, everything else; only
    processes alive at both ends are seen (short-lived ones hide in machine_busy_pct)."""
    shares = {"ours": 0.0, "postgres": 0.0, "redis": 0.0, "other": 0.0}
    for pid, (name, seconds) in after.items():
        if pid not in before or before[pid][0] != name:
            continue
        delta = seconds - before[pid][1]
        if pid in ours:
            kind = "ours"
        elif name.startswith("postgres"):
            kind = "postgres"
        elif name.startswith("redis"):
            kind = "redis"
        else:
            kind = "other"
        shares[kind] += delta
    return {kind: round(100 * seconds / wall) for kind, seconds in shares.items()}


def system_cpu():
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def busy_share(before, after):
    busy, total = after[0] - before[0], after[1] - before[1]
    return busy / total if total else 0.0


async def wait_until_quiet(limit, timeout):
    """Wait (at most ``timeout`` s) until the machine is less than ``limit`` busy for 1 s."""
    deadline = time.monotonic() + timeout
    while True:
        before = system_cpu()
        await asyncio.sleep(1)
        share = busy_share(before, system_cpu())
        if share < limit or time.monotonic() > deadline:
            return round(100 * share)


# --- database and servers -------------------------------------------------------------


class Database:
    """A fresh database for one benchmark run, removed at the end."""

    def __init__(self, url, workdir):
        self.admin_url = None
        self.name = None
        if urlparse(url or "").scheme in ("postgres", "postgresql", "pgsql"):
            parts = urlparse(url)
            self.name = f"participation_bench_{uuid.uuid4().hex[:10]}"
            self.admin_url = urlunparse(parts._replace(scheme="postgresql", path="/postgres", query=""))
            self.url = urlunparse(parts._replace(path=f"/{self.name}"))
            self.kind = "postgresql"
        else:
            self.url = f"sqlite:///{Path(workdir) / 'bench.sqlite3'}"
            self.kind = "sqlite"

    def create(self):
        if self.admin_url:
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self):
        if self.admin_url:
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def django_env(database_url, redis_url=None, settings="config.settings"):
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update(
        DEBUG="0",
        SECRET_KEY=BENCH_SECRET,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="INFO",
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE=settings,
        PYTHONUNBUFFERED="1",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


BENCH_SECRET = secrets.token_urlsafe(48)


def run_here(env, *args, timeout=300):
    """This script in a subprocess with Django set up (see ``django_command``)."""
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


class Server:
    """A server process on 127.0.0.1, started and stopped by this script."""

    def __init__(self, name, argv, env, workdir, health_path=None):
        self.name = name
        self.port = free_port()
        self.argv = [a.format(port=self.port) for a in argv]
        self.env = env
        self.health_path = health_path
        self.log_path = Path(workdir) / f"{name}-{self.port}.log"
        self.origin = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                self.argv, cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    def wait_ready(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log_tail()}")
            try:
                if self.health_path:
                    url = f"http://127.0.0.1:{self.port}{self.health_path}"
                    with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own server
                        if response.status == 200:
                            return self
                else:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                        return self
            except OSError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"{self.name} not ready within {timeout}s:\n{self.log_tail()}")

    def cpu(self):
        return cpu_seconds(self.process.pid) if self.process else None

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def log_tail(self):
        with contextlib.suppress(OSError):
            return self.log_path.read_text(errors="replace")[-3000:]
        return ""


def daphne(name, env, workdir, app="config.asgi:application", server="daphne"):
    if server == "uvicorn":
        # An experiment (--server uvicorn): the same application on uvicorn's
        # websockets-based protocol instead of Daphne's Twisted/autobahn one.
        argv = [str(BIN_DIR / "uvicorn"), "--host", "127.0.0.1", "--port", "{port}", "--ws", "websockets"]
        argv += ["--no-access-log", "--log-level", "warning", app]
    else:
        argv = [str(BIN_DIR / "daphne"), "-b", "127.0.0.1", "-p", "{port}", app]
    return Server(name, argv, env, workdir, health_path="/healthz")


def floor(workdir):
    argv = [sys.executable, str(BENCH_DIR / "floor_server.py"), "--port", "{port}"]
    return Server("floor", argv, dict(os.environ), workdir)


# --- the simulated participants ---------------------------------------------------------


class Sim:
    """One participant's socket. Keeps arrival times, not frames."""

    __slots__ = (
        "index",
        "participant_id",
        "url",
        "origin",
        "ws",
        "reader",
        "snapshot_seq",
        "seqs",
        "dups",
        "cards",
        "tallies",
        "acks",
        "ssl",
    )

    def __init__(self, index, participant_id, url, origin, ssl=None):
        self.index = index
        self.participant_id = participant_id
        self.url = url
        self.origin = origin
        self.ssl = ssl  # a client context for wss:// (multihost), else None
        self.ws = None
        self.reader = None
        self.snapshot_seq = None
        self.seqs = []  # event seqs in arrival order
        self.dups = 0
        self.cards = {}  # card number -> arrival time
        self.tallies = []  # (arrival time, votes)
        self.acks = {}  # command id -> (arrival time, frame)


class Run:
    """Counters shared by all sims of one measurement."""

    def __init__(self, size):
        self.size = size
        self.card_counts = {}
        self.card_done = {}
        self.complete_tallies = 0
        self.all_tallied = asyncio.Event()
        self.snapshots = 0
        self.poll = None
        self.poll_events = 0
        self.poll_ready = asyncio.Event()
        self.facilitator_frames = []
        self.frames = 0  # every frame any client received

    def on_frame(self, sim, raw, now):
        self.frames += 1
        frame = json.loads(raw)
        kind = frame.get("type")
        if kind == "event":
            seq = frame["seq"]
            if sim.seqs and seq <= sim.seqs[-1]:
                sim.dups += 1
                return
            sim.seqs.append(seq)
            name = frame["name"]
            if name == "card.added":
                number = int(frame["data"]["text"].rsplit(" ", 1)[1])
                sim.cards[number] = now
                count = self.card_counts.get(number, 0) + 1
                self.card_counts[number] = count
                if count == self.size:
                    self.card_done[number].set()
            elif name == "poll.opened":
                self.poll_events += 1
                if self.poll_events == self.size:
                    self.poll_ready.set()
        elif kind == "tally":
            votes = frame["votes"]
            previous = max((v for _t, v in sim.tallies), default=-1)
            sim.tallies.append((now, votes))
            if votes >= self.size > previous:
                self.complete_tallies += 1
                if self.complete_tallies == self.size:
                    self.all_tallied.set()
        elif kind == "ack" or kind == "error":
            sim.acks[frame.get("id")] = (now, frame)
        elif kind == "snapshot":
            sim.snapshot_seq = frame["seq"]
            self.snapshots += 1


async def read_loop(run, sim):
    from websockets.exceptions import ConnectionClosed

    clock = time.perf_counter
    try:
        async for raw in sim.ws:
            run.on_frame(sim, raw, clock())
    except ConnectionClosed:
        pass


async def open_socket(url, origin, timeout, ssl=None):
    from websockets.asyncio.client import connect

    return await connect(
        url,
        origin=origin,
        open_timeout=timeout,
        close_timeout=2,
        ping_interval=None,
        compression=None,
        max_size=2**24,
        max_queue=None,
        **({"ssl": ssl} if ssl is not None else {}),
    )


async def connect_one(run, sim, timeout, stats):
    """Open one socket; like the page's client, retry a failed handshake with backoff."""
    for attempt in range(CONNECT_ATTEMPTS):
        try:
            sim.ws = await open_socket(sim.url, sim.origin, timeout, sim.ssl)
        except Exception as error:  # refused, timed out, or closed during the handshake
            stats["retries"] += 1
            stats["last_error"] = f"{type(error).__name__}: {error}"
            await asyncio.sleep(min(8.0, 0.5 * 2**attempt) * random.uniform(0.5, 1.0))
            continue
        sim.reader = asyncio.ensure_future(read_loop(run, sim))
        return
    raise ConnectionError(f"client {sim.index}: no connection after {CONNECT_ATTEMPTS} attempts")


async def connect_all(run, sims, timeout, batch_size):
    """Connect in batches so that the servers are not flooded with handshakes."""
    started = time.perf_counter()
    stats = {"retries": 0, "last_error": None}
    for start in range(0, len(sims), batch_size):
        batch = sims[start : start + batch_size]
        await asyncio.gather(*(connect_one(run, s, timeout, stats) for s in batch))
    deadline = time.monotonic() + timeout
    while run.snapshots < len(sims) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    if run.snapshots < len(sims):
        raise TimeoutError(f"only {run.snapshots} of {len(sims)} snapshots within {timeout}s")
    return time.perf_counter() - started, stats


async def close_all(sims):
    async def close(sim):
        if sim.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(sim.ws.close(), 5)
        if sim.reader is not None:
            sim.reader.cancel()

    for start in range(0, len(sims), 200):
        await asyncio.gather(*(close(s) for s in sims[start : start + 200]))


class Profiler:
    """py-spy on the server processes for the measured part (``--profile-dir``)."""

    def __init__(self, outdir, tag, pids):
        self.processes = []
        if not outdir:
            return
        binary = shutil.which("py-spy")
        if binary is None:
            raise RuntimeError("--profile-dir needs py-spy on the PATH (pip install py-spy)")
        Path(outdir).mkdir(parents=True, exist_ok=True)
        for n, pid in enumerate(pids):
            out = Path(outdir) / f"{tag}-{n}.txt"
            argv = [binary, "record", "--pid", str(pid), "--rate", "250", "--threads", "--format", "raw"]
            self.processes.append(
                subprocess.Popen(
                    [*argv, "--output", str(out)],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )

    def stop(self):
        for process in self.processes:
            process.send_signal(signal.SIGINT)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes = []


class Facilitator:
    """The steering socket (platform only): creates and opens the poll."""

    def __init__(self, url, origin, ssl=None):
        self.url = url
        self.origin = origin
        self.ssl = ssl
        self.ws = None
        self.frames = []
        self.changed = asyncio.Event()
        self.reader = None

    async def start(self):
        self.ws = await open_socket(self.url, self.origin, 30, self.ssl)
        self.reader = asyncio.ensure_future(self._read())

    async def _read(self):
        from websockets.exceptions import ConnectionClosed

        with contextlib.suppress(ConnectionClosed):
            async for raw in self.ws:
                self.frames.append(json.loads(raw))
                self.changed.set()

    async def wait_for(self, predicate, timeout=30):
        deadline = time.monotonic() + timeout
        index = 0
        while True:
            while index < len(self.frames):
                index += 1
                if predicate(self.frames[index - 1]):
                    return self.frames[index - 1]
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("facilitator: no matching frame")
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), remaining)

    async def command(self, type_, **fields):
        command_id = f"f-{uuid.uuid4().hex[:8]}"
        await self.ws.send(json.dumps({"type": type_, "id": command_id, **fields}))
        reply = await self.wait_for(lambda f: f.get("type") in ("ack", "error") and f.get("id") == command_id)
        if reply["type"] != "ack":
            raise RuntimeError(f"{type_} refused: {reply}")
        return reply

    async def close(self):
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.ws.close(), 5)
        if self.reader:
            self.reader.cancel()


# --- one measurement ------------------------------------------------------------------


class Marks:
    """At the boundaries of a measurement's phases: the time, the frames the clients had
    received and ``probe(label)`` (CPU seconds by host and process, multihost); nothing
    without a probe."""

    def __init__(self, probe, run):
        self.probe = probe
        self.run = run
        self.taken = {}

    async def take(self, label):
        if self.probe is not None:
            cpu = await asyncio.to_thread(self.probe, label)
            self.taken[label] = (time.perf_counter(), self.run.frames, cpu)

    def phase(self, first, last):
        """Wall time, frames received and CPU seconds per host and process between two marks
        (a process started in between counts from its start; one that ended is missed)."""
        (t0, f0, c0), (t1, f1, c1) = self.taken[first], self.taken[last]
        cpu = {key: round(seconds - c0.get(key, 0.0), 3) for key, seconds in sorted(c1.items())}
        return {"wall_s": round(t1 - t0, 3), "frames": f1 - f0, "cpu_s": cpu}

    def phases(self):
        if not self.taken:
            return None
        spans = {"connect": ("start", "connected"), "idle": ("settled", "measure")}
        spans.update(cards=("measure", "cards"), votes=("burst", "end"))
        return {name: self.phase(*span) for name, span in spans.items()}


async def measure(target, size, urls, args, participant_ids, facilitator_url=None, ranks_for=None, pids=(), probe=None):
    """Connect ``size`` clients to ``urls`` (round robin), send cards, then a vote burst.
    ``probe``: CPU seconds by host and process, taken at each phase's start and end."""
    run = Run(size)
    sims = [Sim(i, participant_ids[i], *urls[i % len(urls)](i)) for i in range(size)]
    result = {"target": target, "size": size, "errors": []}
    facilitator = None
    profiler = None
    marks = Marks(probe, run)
    try:
        await marks.take("start")
        connect_s, connect_stats = await connect_all(run, sims, args.timeout, args.connect_batch)
        result["connect_s"] = round(connect_s, 2)
        result["connect_retries"] = connect_stats["retries"]
        result["connect_last_error"] = connect_stats["last_error"]
        if facilitator_url:
            facilitator = Facilitator(*facilitator_url)
            await facilitator.start()
            await facilitator.wait_for(lambda f: f["type"] == "snapshot")
        await marks.take("connected")
        # Let connection bookkeeping (presence frames) settle before measuring, and wait
        # for a quiet machine: it has only 2 cores and other work may be running.
        await asyncio.sleep(args.settle)
        await marks.take("settled")
        result["machine_busy_before_pct"] = await wait_until_quiet(args.quiet, args.quiet_timeout)
        await marks.take("measure")
        system_mark = system_cpu()
        table_mark = process_cpu_table()
        cpu_mark = {pid: cpu_seconds(pid) for pid in pids}
        client_cpu_mark = time.process_time()
        frames_mark = run.frames
        wall_mark = time.perf_counter()
        profiler = Profiler(args.profile_dir, f"{target}-{size}", pids)

        # Cards, one at a time, from senders spread over the clients (and servers).
        sent_at = {}
        senders = {}
        for number in range(1, args.cards + 1):
            sender = sims[(number * 7919) % size]
            run.card_done[number] = asyncio.Event()
            payload = json.dumps({"type": "card.add", "id": f"c{number}", "text": CARD_TEXT.format(n=number)})
            sent_at[number] = time.perf_counter()
            senders[number] = sender
            await sender.ws.send(payload)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(run.card_done[number].wait(), args.timeout)
            await asyncio.sleep(args.card_pause)
        await marks.take("cards")
        per_card, deliveries, missing = [], [], 0
        for number, started in sent_at.items():
            arrivals = [s.cards[number] - started for s in sims if s is not senders[number] and number in s.cards]
            missing += sum(1 for s in sims if number not in s.cards)
            deliveries.extend(arrivals)
            if len(arrivals) == size - 1:
                per_card.append(max(arrivals))
        result["card_all_clients_ms"] = summary_ms(per_card)
        result["card_each_delivery_ms"] = summary_ms(deliveries)
        result["cards_missing"] = missing
        result["card_acks_missing"] = sum(1 for n, s in senders.items() if f"c{n}" not in s.acks)
        if args.profile_phase == "cards":
            profiler.stop()

        # The poll, then every participant votes at once.
        if facilitator:
            created = await facilitator.command(
                "poll.create", question="Was zuerst?", kind="dots", options=["Ampeln", "Parken", "WLAN", "Radwege"]
            )
            poll_frame = await facilitator.wait_for(lambda f: f["type"] == "event" and f["seq"] == created["seq"])
            poll = poll_frame["data"]
            await facilitator.command("poll.open", poll=poll["id"])
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(run.poll_ready.wait(), args.timeout)
            poll_id, option_ids = poll["id"], [o["id"] for o in poll["options"]]
        else:
            poll_id, option_ids = 1, [1, 2, 3, 4]
        votes_sent = {}
        await marks.take("burst")
        burst_start = time.perf_counter()
        for sim in sims:
            choice = {str(option_ids[sim.index % 4]): 2, str(option_ids[(sim.index + 1) % 4]): 1}
            payload = json.dumps({"type": "poll.vote", "id": f"v{sim.index}", "poll": poll_id, "choice": choice})
            votes_sent[sim.index] = time.perf_counter()
            await sim.ws.send(payload)
        result["burst_send_ms"] = _ms(time.perf_counter() - burst_start)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(run.all_tallied.wait(), args.timeout)
        # Acks may trail the tally.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(f"v{s.index}" not in s.acks for s in sims):
            await asyncio.sleep(0.05)
        await marks.take("end")
        wall = time.perf_counter() - wall_mark
        profiler.stop()
        result["phases"] = marks.phases()
        result["measure_wall_s"] = round(wall, 2)
        result["server_cpu_pct"] = {
            str(pid): round(100 * (cpu_seconds(pid) - cpu_mark[pid]) / wall, 0) for pid in pids if cpu_mark[pid]
        }
        result["client_cpu_pct"] = round(100 * (time.process_time() - client_cpu_mark) / wall, 0)
        # CPU the servers spent per frame the clients received: less at the mercy of
        # other load on the machine than the latencies are.
        server_cpu = sum(cpu_seconds(pid) - cpu_mark[pid] for pid in pids if cpu_mark[pid])
        result["frames_received"] = run.frames - frames_mark
        result["server_cpu_us_per_frame"] = round(1e6 * server_cpu / max(1, result["frames_received"]), 1)
        # Of both cores together (200% = the whole machine): includes PostgreSQL and Redis.
        result["machine_busy_pct"] = round(200 * busy_share(system_mark, system_cpu()))
        result["cpu_pct_by_kind"] = cpu_by_kind(table_mark, process_cpu_table(), {*pids, os.getpid()}, wall)
        answers = [s.acks.get(f"v{s.index}", (0, {}))[1] for s in sims]
        refused = [answer for answer in answers if answer.get("type") == "error"]
        result["votes_refused"] = len(refused)
        if refused:
            result["errors"].append(refused[:3])
        complete_at = [
            next((t for t, v in s.tallies if v >= size), None) for s in sims
        ]  # first complete tally per client
        result["clients_without_complete_tally"] = sum(1 for t in complete_at if t is None)
        result["incomplete_tally_clients"] = [
            {
                "client": sim.index,
                "server": sim.index % len(urls),
                "tally_frames": len(sim.tallies),
                "max_votes": max((v for _t, v in sim.tallies), default=None),
                "last_tally_s": round(sim.tallies[-1][0] - burst_start, 2) if sim.tallies else None,
            }
            for sim, t in zip(sims, complete_at, strict=True)
            if t is None
        ][:10]
        if all(t is not None for t in complete_at):
            result["burst_to_complete_tally_ms"] = _ms(max(complete_at) - burst_start)

        # Rank of each vote among the stored votes: a tally with votes >= rank includes it.
        acked_votes = {s.participant_id for s in sims if s.acks.get(f"v{s.index}", (0, {}))[1].get("type") == "ack"}
        result["votes_without_ack"] = sum(1 for s in sims if f"v{s.index}" not in s.acks)
        result["votes_acked_not_stored"] = 0
        if ranks_for:
            order = await asyncio.to_thread(ranks_for, poll_id)
            result["votes_acked_not_stored"] = len(acked_votes - set(order))
            participant_rank = {participant: r for r, participant in enumerate(order, start=1)}
            rank = {s.index: participant_rank.get(s.participant_id) for s in sims}
        else:
            rank = {s.index: s.acks.get(f"v{s.index}", (0, {}))[1].get("rank") for s in sims}
        # For each client: the first arrival of a tally with votes >= r, for every r.
        first_at = []
        for sim in sims:
            times = [None] * (size + 1)
            covered = 0
            for t, votes in sim.tallies:
                while covered < min(votes, size):
                    covered += 1
                    times[covered] = t
            first_at.append(times)
        per_vote = []
        for sim in sims:
            r = rank.get(sim.index)
            if r is None:
                continue
            visible = [times[r] for times in first_at]
            if all(t is not None for t in visible):
                per_vote.append(max(visible) - votes_sent[sim.index])
        result["vote_to_tally_ms"] = summary_ms(per_vote)
        result["tally_frames_per_client"] = round(sum(len(s.tallies) for s in sims) / size, 1)

        # Order and completeness of events at every client.
        gaps = dups = 0
        for sim in sims:
            dups += sim.dups
            expected = sim.snapshot_seq + 1
            for seq in sim.seqs:
                if seq != expected:
                    gaps += 1
                expected = seq + 1
        result["seq_gaps"] = gaps
        result["duplicates"] = dups
        result["lost"] = result["cards_missing"] + result["votes_acked_not_stored"] + gaps + dups
        result["not_acknowledged"] = result["card_acks_missing"] + result["votes_without_ack"]
    finally:
        if profiler:
            profiler.stop()
        if facilitator:
            await facilitator.close()
        await close_all(sims)
    return result


# --- targets ----------------------------------------------------------------------------


def setup_workshop(env, size):
    return run_here(env, "_setup", str(size))


def vote_order(env, poll_id):
    return run_here(env, "_ranks", str(poll_id))


def platform_urls(servers, setup, bundle=False):
    """Per server, a maker of (url, origin) by participant index; ``bundle``: the sockets
    take ``events`` frames (as the browser's do)."""
    code = setup["code"]
    tickets = setup["tickets"]
    extra = "&bundle=1" if bundle else ""

    def url_for(server):
        def make(index):
            url = f"ws://127.0.0.1:{server.port}/ws/workshops/{code}/?ticket={tickets[index][1]}{extra}"
            return (url, server.origin)

        return make

    return [url_for(s) for s in servers]


async def run_platform(target, size, args, workdir, database):
    redis_url = args.redis_url if target.startswith("redis") else None
    env = django_env(database.url, redis_url)
    app = "config.asgi:application"
    count = 2 if target.startswith("redis") else 1
    servers = [daphne(f"{target}-{n}", env, workdir, app, args.server) for n in range(count)]
    try:
        for server in servers:
            server.start()
        setup = await asyncio.to_thread(setup_workshop, env, size)
        for server in servers:
            await asyncio.to_thread(server.wait_ready)
        makers = platform_urls(servers, setup)
        participant_ids = [pid for pid, _ticket in setup["tickets"]]
        first = servers[0]
        facilitator_url = (
            f"ws://127.0.0.1:{first.port}/ws/workshops/{setup['code']}/?ticket={setup['facilitator']}",
            first.origin,
        )
        result = await measure(
            target,
            size,
            [lambda i, m=m: m(i) for m in makers],
            args,
            facilitator_url=facilitator_url,
            ranks_for=lambda poll: vote_order(env, poll),
            pids=[s.process.pid for s in servers],
            participant_ids=participant_ids,
            probe=local_probe([s.process.pid for s in servers]),
        )
        result["database"] = database.kind
        add_cpu_per_frame(result, size, args.cards)
        return result
    finally:
        for server in servers:
            server.stop()


async def run_floor(size, args, workdir):
    server = floor(workdir)
    try:
        server.start()
        await asyncio.to_thread(server.wait_ready)
        origin = f"http://127.0.0.1:{server.port}"

        def make(index):
            return (f"ws://127.0.0.1:{server.port}/?p={index + 1}", origin)

        return await measure(
            "floor", size, [make], args, pids=[server.process.pid], participant_ids=list(range(1, size + 1))
        )
    finally:
        server.stop()


# --- several hosts behind a load balancer (target multihost) ------------------------------

MULTIHOST_PREFIX = "bm"  # not the tests' bt / 10.77.0: a test run may go on beside it
MULTIHOST_SUBNET = "10.78.0"
# workshops/api.py lets 1,000 joins per network address into a workshop in 10 minutes (the
# load balancer sets X-Forwarded-For to the client's address): the joins come from several
# addresses of this machine on the bridge, at most this many from each.
JOINS_PER_SOURCE = 800
JOIN_THREADS = 8
ROLES = {"app": ("app1", "app2"), "lb": ("lb",), "redis": ("redis1", "redis2"), "db": ("db1", "db2")}
BENCH_PASSWORD = "Bench-" + secrets.token_urlsafe(18)


class LbClient:
    """HTTPS to the load balancer from one source address, on one keep-alive connection."""

    def __init__(self, site, source=None):
        self.address = site.address("lb")
        self.context = site.ssl_context()
        self.source = source
        self.connection = None

    def call(self, method, path, body=None, token=None, attempts=3):
        """(status, JSON) of one API call."""
        import http.client

        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Token {token}"
        for attempt in range(attempts):
            if self.connection is None:
                self.connection = http.client.HTTPSConnection(
                    self.address,
                    443,
                    timeout=60,
                    context=self.context,
                    source_address=(self.source, 0) if self.source else None,
                )
            try:
                self.connection.request(method, path, None if body is None else json.dumps(body), headers)
                response = self.connection.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException):
                self.close()
                if attempt == attempts - 1:
                    raise
                continue
            if response.will_close:
                self.close()
            return response.status, json.loads(data) if data else None
        raise AssertionError("unreachable")

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def join_all(site, code, size):
    """N experts join through the load balancer's API (``JOIN_THREADS`` at a time, from
    extra addresses of this machine on the bridge): [(participant id, ticket)]."""
    from concurrent.futures import ThreadPoolExecutor

    from deploy.netns_topology import run as run_command

    n_sources = -(-size // JOINS_PER_SOURCE)
    sources = [f"{site.subnet}.{100 + k}" for k in range(n_sources)]
    for source in sources:
        run_command("ip", "addr", "add", f"{source}/24", "dev", f"{site.prefix}-br")
    chunks = []  # (source, indices): each source's share in two or more chunks
    for k, source in enumerate(sources):
        share = list(range(k * JOINS_PER_SOURCE, min(size, (k + 1) * JOINS_PER_SOURCE)))
        parts = max(2, JOIN_THREADS // n_sources)
        chunks.extend((source, share[j::parts]) for j in range(parts) if share[j::parts])
    joined = [None] * size

    def join_chunk(chunk):
        source, indices = chunk
        client = LbClient(site, source)
        try:
            for index in indices:
                body = {"display_name": f"Expertin {index:04d}"}
                status, answer = client.call("POST", f"/api/workshops/{code}/join", body)
                if status != 201:
                    raise RuntimeError(f"join {index} from {source}: {status} {answer}")
                joined[index] = (answer["participant"], answer["ticket"])
        finally:
            client.close()

    with ThreadPoolExecutor(JOIN_THREADS) as pool:
        list(pool.map(join_chunk, chunks))
    return joined


def multihost_setup(site, size):
    """A process and a facilitator with an API token (manage.py, as an operator does), then
    over the load balancer's API: the workshop, the facilitator's ticket, N experts' tickets."""
    from deploy.netns_topology import run as run_command

    process = run_here(site.env, "_process")
    out = run_command(
        *(sys.executable, BASE_DIR / "manage.py", "create_facilitator", "bench-moderation"),
        *("--password", BENCH_PASSWORD, "--process", "bench"),
        env=site.env,
    )
    token = out.strip().splitlines()[-1].strip()
    lb = LbClient(site)
    try:
        body = {"process": process["process"], "title": f"Fan-out mit {size}", "dots_per_participant": 3}
        status, workshop = lb.call("POST", "/api/workshops/", body, token)
        if status != 201:
            raise RuntimeError(f"POST /api/workshops/: {status} {workshop}")
        code = workshop["code"]
        status, facilitator = lb.call("POST", f"/api/workshops/{code}/join", {"display_name": "Moderation"}, token)
        if status != 201 or facilitator["role"] != "facilitator":
            raise RuntimeError(f"facilitator's join: {status} {facilitator}")
    finally:
        lb.close()
    began = time.monotonic()
    joined = join_all(site, code, size)
    return {"code": code, "facilitator": facilitator["ticket"], "joined": joined, "join_s": time.monotonic() - began}


def host_cpu(site):
    """CPU seconds so far by ``host/process name`` of everything in the topology's
    namespaces (the Sentinels, redis-server processes outside the Redis hosts, apart)."""
    from deploy.netns_topology import HOSTS

    table = {}
    for host in HOSTS:
        for pid in site.pids(host):
            try:
                name = Path(f"/proc/{pid}/comm").read_text().strip()
            except OSError:
                continue
            if name == "redis-server" and host not in ROLES["redis"]:
                name = "sentinel"
            seconds = cpu_seconds(pid)
            if seconds is not None:
                table[f"{host}/{name}"] = table.get(f"{host}/{name}", 0.0) + seconds
    return table


def websocket_sessions(site):
    """{app host: (open sockets, sockets since start)} as HAProxy counts them."""
    return {
        host: (int(row["scur"]), int(row["stot"]))
        for (backend, host), row in site.server_stats().items()
        if backend == "websockets"
    }


def marked_down(site):
    """{"backend/host": times HAProxy marked it down} (its health checks failed), where any."""
    with contextlib.suppress(OSError):
        stats = site.server_stats().items()
        return {f"{backend}/{host}": int(row["chkdown"]) for (backend, host), row in stats if int(row["chkdown"] or 0)}
    return None


def local_probe(pids):
    """The single-host targets' ``probe``: CPU seconds of the Daphne processes, and of every
    redis-server and postgres process on this machine (shared with whatever else runs on
    it: valid on a quiet machine only), keyed as ``role/process`` or, for the shared
    servers, ``role/process:pid`` (a backend that exits between two marks then drops out
    of that phase instead of making its sum negative)."""

    def probe(label):
        table = {f"app/daphne-{n}": cpu_seconds(pid) or 0.0 for n, pid in enumerate(pids)}
        for pid, (name, seconds) in process_cpu_table().items():
            if name.startswith("redis"):
                table[f"redis/redis-server:{pid}"] = seconds
            elif name.startswith("postgres"):
                table[f"db/postgres:{pid}"] = seconds
        return table

    return probe


def add_cpu_per_frame(result, size, cards):
    """Per phase and role: CPU seconds, % of one core, µs per delivered frame (cards: cards ×
    (N − 1) deliveries; votes: frames received, acks and tallies; connect: per socket)."""
    phases = result.get("phases")
    if phases:
        result["cpu_per_frame"] = {
            "cards": per_role(phases["cards"], cards * (size - 1)),
            "votes": per_role(phases["votes"], phases["votes"]["frames"]),
            "connect": per_role(phases["connect"], size + 1),
            "idle": per_role(phases["idle"], 0),
        }


def per_role(phase, deliveries):
    """CPU seconds, % of one core and µs per delivered frame, by role, host and process."""
    wall = phase["wall_s"] or 1e-9
    by_role = {}
    for role, hosts in ROLES.items():
        seconds = sum(v for k, v in phase["cpu_s"].items() if k.split("/")[0] in (role, *hosts))
        by_role[role] = {
            "cpu_s": round(seconds, 3),
            "core_pct": round(100 * seconds / wall, 1),
            "us_per_frame": round(1e6 * seconds / deliveries, 2) if deliveries else None,
        }
    by_process = {}
    for key, seconds in phase["cpu_s"].items():
        name = key.split(":")[0]  # the processes of one shared server together
        by_process[name] = by_process.get(name, 0.0) + seconds
    busiest = {k: round(100 * v / wall, 1) for k, v in by_process.items() if v > 0.01 * wall}
    return {"deliveries": deliveries, "wall_s": phase["wall_s"], "roles": by_role, "core_pct_by_process": busiest}


async def run_multihost(size, args, workdir):
    """The platform on deploy/netns_topology.py: N clients over wss:// to HAProxy, which
    spreads them (leastconn) over the Daphne servers of app1 and app2."""
    from deploy.netns_topology import APP_HOSTS, NetnsTopology

    Path(workdir).chmod(0o755)  # PostgreSQL runs as postgres and must reach its directory below
    site = NetnsTopology(
        # its logs stay in the benchmark's directory, kept after a failure
        Path(workdir) / f"multihost-{size}",
        prefix=MULTIHOST_PREFIX,
        subnet=MULTIHOST_SUBNET,
        web_workers=args.web_workers,
    )
    try:
        # Not in a thread: a cancelled run must not leave a half-built topology behind.
        began = time.monotonic()
        site.up()
        up_s = time.monotonic() - began
        if args.lb_checks == "off":
            # Capacity apart from the check policy: HAProxy stops checking the Daphne servers
            # (and so never marks one down and shuts its sockets); the web backend keeps its checks.
            for host in APP_HOSTS:
                site.admin(f"disable health websockets/{host}")
        setup = await asyncio.to_thread(multihost_setup, site, size)
        context = site.ssl_context()
        lb = site.address("lb")
        code, joined = setup["code"], setup["joined"]

        def make(index):
            return (f"wss://{lb}/ws/workshops/{code}/?ticket={joined[index][1]}", site.origin, context)

        sessions = {}

        downs = {}

        def probe(label):
            if label in ("connected", "end"):
                sessions[label] = websocket_sessions(site)
                downs[label] = marked_down(site)
            return host_cpu(site)

        try:
            result = await measure(
                "multihost",
                size,
                [make],
                args,
                facilitator_url=(
                    f"wss://{lb}/ws/workshops/{code}/?ticket={setup['facilitator']}",
                    site.origin,
                    context,
                ),
                ranks_for=lambda poll: vote_order(site.env, poll),
                pids=[site.processes[(host, "daphne")].pid for host in APP_HOSTS],
                participant_ids=[participant for participant, _ticket in joined],
                probe=probe,
            )
        except Exception as error:
            # What the load balancer did meanwhile: a host marked down has had its sockets shut.
            raise RuntimeError(
                f"{type(error).__name__}: {error} (HAProxy marked down: {marked_down(site)}, "
                f"sockets per host {sessions.get('connected')})"
            ) from error
        result["lb_websocket_checks"] = args.lb_checks
        # Until the end of the vote burst, and at the end (the clients' sockets closed, too).
        result["lb_marked_down_until_votes_done"] = downs.get("end")
        result["lb_marked_down"] = marked_down(site)
        result["database"] = "postgresql (db1, replica db2)"
        result["topology_up_s"] = round(up_s, 1)
        result["join_s"] = round(setup["join_s"], 1)
        result["web_workers_per_host"] = args.web_workers
        # Sockets per host after connecting (the facilitator's included) and at the end; a
        # socket opened since is a reconnect.
        result["sockets_per_host"] = {h: scur for h, (scur, _stot) in sessions.get("connected", {}).items()}
        result["sockets_per_host_at_end"] = {h: scur for h, (scur, _stot) in sessions.get("end", {}).items()}
        if "connected" in sessions and "end" in sessions:
            result["sockets_opened_during_measure"] = sum(
                stot - sessions["connected"][h][1] for h, (_scur, stot) in sessions["end"].items()
            )
        add_cpu_per_frame(result, size, args.cards)
        return result
    finally:
        site.down()


# --- Django side (run in a subprocess with the servers' environment) ----------------------


def django_command(argv):
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    if argv[0] == "_migrate":
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        print(json.dumps({"ok": True}))
    elif argv[0] == "_setup":
        print(json.dumps(_create_workshop(int(argv[1]))))
    elif argv[0] == "_process":
        from participation.models import Process

        process, _ = Process.objects.get_or_create(slug="bench", defaults={"title": "Benchmark", "published": True})
        print(json.dumps({"process": process.pk}))
    elif argv[0] == "_ranks":
        from workshops.models import PollVote

        order = list(
            PollVote.objects.filter(poll_id=int(argv[1])).order_by("id").values_list("participant_id", flat=True)
        )
        print(json.dumps(order))


def _create_workshop(size):
    from participation.models import Process, Role, User
    from workshops.actions import create_workshop, join_workshop
    from workshops.models import Participant, ParticipantRole
    from workshops.tickets import issue_ticket

    process, _ = Process.objects.get_or_create(slug="bench", defaults={"title": "Benchmark", "published": True})
    user, _ = User.objects.get_or_create(username="bench-moderation", defaults={"role": Role.FACILITATOR})
    process.facilitators.add(user)
    workshop = create_workshop(user, process, f"Fan-out mit {size}", dots_per_participant=3)
    facilitator = join_workshop(workshop, user, "Moderation", ParticipantRole.FACILITATOR)
    experts = Participant.objects.bulk_create(
        Participant(workshop=workshop, display_name=f"Expertin {n:04d}", role=ParticipantRole.EXPERT)
        for n in range(size)
    )
    return {
        "code": workshop.code,
        "facilitator": issue_ticket(facilitator),
        "tickets": [(p.pk, issue_ticket(p)) for p in experts],
    }


# --- main -------------------------------------------------------------------------------


def table(results):
    """A Markdown table; card and vote p99 also as a multiple of the floor's at the same N."""
    floor_of = {r["size"]: r for r in results if r["target"] == "floor" and "card_all_clients_ms" in r}

    def times(value, size, key):
        floor_value = floor_of.get(size, {}).get(key, {}).get("p99")
        return f"{value / floor_value:.1f}×" if value is not None and floor_value else "–"

    lines = [
        "| target | N | connect s (retries) | card p50 / p95 / p99 ms | card p99 vs floor "
        "| vote→tally p50 / p95 / p99 ms | vote p99 vs floor | all votes visible ms | lost "
        "| not acked / refused / tally incomplete | server CPU µs/frame | machine busy % |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        if "card_all_clients_ms" not in r:
            reason = r.get("failure", "").strip().splitlines()[0][:90]
            lines.append(f"| {r['target']} | {r['size']} | failed: {reason} | | | | | | | | | |")
            continue
        c, v = r["card_all_clients_ms"], r["vote_to_tally_ms"]
        complete = r.get("burst_to_complete_tally_ms")
        lines.append(
            f"| {r['target']} | {r['size']} | {r['connect_s']} ({r.get('connect_retries', 0)}) "
            f"| {c['p50']} / {c['p95']} / {c['p99']} | {times(c['p99'], r['size'], 'card_all_clients_ms')} "
            f"| {v['p50']} / {v['p95']} / {v['p99']} | {times(v['p99'], r['size'], 'vote_to_tally_ms')} "
            f"| {complete if complete is not None else 'never'} | {r['lost']} "
            f"| {r.get('not_acknowledged')} / {r.get('votes_refused')} / {r.get('clients_without_complete_tally')} "
            f"| {r.get('server_cpu_us_per_frame')} "
            f"| {r.get('machine_busy_before_pct')} → {r.get('machine_busy_pct')} |"
        )
    return "\n".join(lines)


def multihost_table(results):
    """Where the CPU went, per role: % of one core in each phase and µs per delivered frame
    (cards: cards × (N − 1) deliveries; votes: frames received, acks and tallies)."""
    rows = [r for r in results if r.get("cpu_per_frame")]
    if not rows:
        return ""
    lines = [
        "| target | N | sockets app1 / app2 | LB checks (hosts marked down) | phase | wall s | deliveries "
        "| app µs/frame (% core) | lb µs/frame (% core) | redis µs/frame (% core) | db µs/frame (% core) "
        "| client % core | busiest processes (% core) |",
        "| --- | ---: | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        spread = " / ".join(str(r.get("sockets_per_host", {}).get(h, "–")) for h in ("app1", "app2"))
        checks = f"{r['lb_websocket_checks']} ({r.get('lb_marked_down') or 0})" if "lb_websocket_checks" in r else "–"
        for phase in ("cards", "votes"):
            figures = r["cpu_per_frame"][phase]
            roles = figures["roles"]
            cells = " | ".join(f"{roles[k]['us_per_frame']} ({roles[k]['core_pct']})" for k in ROLES)
            busiest = sorted(figures["core_pct_by_process"].items(), key=lambda kv: -kv[1])[:4]
            lines.append(
                f"| {r['target']} | {r['size']} | {spread} | {checks} | {phase} | {figures['wall_s']} "
                f"| {figures['deliveries']} | {cells} "
                f"| {r.get('client_cpu_pct')} | {', '.join(f'{k} {v}' for k, v in busiest)} |"
            )
    return "\n".join(lines)


async def main(args):
    global PORTS
    # Thousands of sockets here, and as many in the servers started from here (they inherit it).
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and (hard == resource.RLIM_INFINITY or soft < hard):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    # SIGTERM (e.g. from timeout(1)) ends the run through the finally blocks: servers stopped,
    # the multihost topology taken down, the database dropped.
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, asyncio.current_task().cancel)
    if args.ports:
        first, _, last = args.ports.partition("-")
        PORTS = range(int(first), int(last or first) + 1)
    sizes = [int(s) for s in args.sizes.split(",")]
    targets = args.targets.split(",")
    workdir = tempfile.mkdtemp(prefix="bench-fanout-")
    database = Database(args.database_url, workdir)
    results = []
    info = {
        "machine": machine(nofile=resource.getrlimit(resource.RLIMIT_NOFILE)[0]),
        "command": " ".join(sys.argv),
        "database": database.kind,
    }
    print(json.dumps(info), flush=True)
    try:
        if any(target not in ("floor", "multihost") for target in targets):
            database.create()
            await asyncio.to_thread(run_here, django_env(database.url), "_migrate")
        for size in sizes:
            for target in targets:
                began = time.monotonic()
                try:
                    if target == "floor":
                        coro = run_floor(size, args, workdir)
                    elif target == "multihost":
                        coro = run_multihost(size, args, workdir)
                    else:
                        coro = run_platform(target, size, args, workdir, database)
                    result = await asyncio.wait_for(coro, args.run_timeout)
                except Exception as error:  # a failed run is a result too
                    result = {"target": target, "size": size, "failure": f"{type(error).__name__}: {error}"}
                result["run_s"] = round(time.monotonic() - began, 1)
                results.append(result)
                print(json.dumps(result), flush=True)
    finally:
        database.drop()
        if any(r.get("lost") or r.get("failure") for r in results):
            print(f"server logs kept in {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(table(results))
    if any(r.get("cpu_per_frame") for r in results):
        print()
        print(multihost_table(results))
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(json.dumps({**info, "results": results}, indent=2))
    return results


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,500,1000,2000", help="participant counts, comma-separated")
    parser.add_argument(
        "--targets", default="memory,redis,floor", help="any of memory, redis, floor, multihost (root: ip netns)"
    )
    parser.add_argument("--cards", type=int, default=20, help="cards sent one after the other (default 20)")
    parser.add_argument("--card-pause", type=float, default=0.1, help="seconds between two cards")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds to wait after connecting")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for any one step")
    parser.add_argument("--run-timeout", type=float, default=900.0, help="seconds for one target and size")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="a PostgreSQL URL (a fresh database is created beside it) or empty for SQLite",
    )
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/6")
    parser.add_argument("--connect-batch", type=int, default=25, help="handshakes in flight at once")
    parser.add_argument("--quiet", type=float, default=0.35, help="wait until the machine is less busy than this")
    parser.add_argument("--quiet-timeout", type=float, default=120.0, help="but at most this many seconds")
    parser.add_argument("--profile-dir", default="", help="record py-spy profiles of the servers here")
    parser.add_argument("--profile-phase", choices=["all", "cards"], default="all", help="what to profile")
    parser.add_argument(
        "--server", choices=["daphne", "uvicorn"], default="daphne", help="ASGI server (the platform runs Daphne)"
    )
    parser.add_argument("--ports", default="", help="servers' ports, e.g. 8600-8699 (default: any free port)")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers per application host (multihost)")
    parser.add_argument(
        "--lb-checks",
        choices=["on", "off"],
        default="on",
        help="multihost: HAProxy's health checks of the Daphne servers as deployed (on), or disabled through its"
        " admin socket for the run (off: a host it would mark down keeps its sockets)",
    )
    parser.add_argument("--output", default=str(BENCH_DIR / "results" / "workshop_fanout.json"))
    return parser.parse_args(argv)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].startswith("_"):
        django_command(sys.argv[1:])
    elif len(sys.argv) == 3 and sys.argv[1] == "--table":
        saved = json.loads(Path(sys.argv[2]).read_text())["results"]
        print(table(saved))
        print()
        print(multihost_table(saved))
    else:
        asyncio.run(main(parse_args()))
