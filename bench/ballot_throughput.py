"""Ballot throughput: ballots accepted per second through the HTTP API, against PostgreSQL.

    .venv/bin/python bench/ballot_throughput.py --voters 20000 --processes 3 --time-limit 60 --db-pool \
        --eligibility access_code,account,open

For each eligibility (``--eligibility``: a consultation with access codes, one for
accounts, one open to anyone with a browser), each count of server processes
(``--processes``: gunicorn workers of the production topology, or Daphne processes
with ``--server daphne``) and each variant (``--variants``):

  plain    every voter casts one ballot (PUT /api/consultations/{id}/ballot with
           the access code from their letter, their account's API token, or the
           browser cookie the first answer sets, from one of many addresses)
  resend   as plain, and after the acknowledgement 10 % of all requests resend a
           voter's ballot unchanged and 10 % change an earlier ballot
           (each must be counted once; the last acknowledged one counts)

a run gets a fresh PostgreSQL database (a copy of one migrated with
``manage.py migrate``, named ``ballot_bench_<random>_*``, dropped at the end, also
after a failure or SIGTERM), a process with ``--options`` measures, a facilitator
from ``manage.py create_facilitator``, and over the REST API (facilitator token)
an open ``--method`` consultation of that eligibility (and one code or one confirmed
account per voter). It starts the servers on 127.0.0.1 (DEBUG=0, a random SECRET_KEY,
ALLOWED_HOSTS=127.0.0.1, SECURE_SSL_REDIRECT=0, TRUSTED_PROXIES=127.0.0.1; Redis only
with ``--redis-url``): by default the production topology of deploy/topology.py (nginx
on ports 8400-8499 in front of gunicorn and one Daphne), with ``--server daphne`` Daphne
processes alone (as ``make demo``),
and sends the ballots from one asyncio client (a minimal keep-alive HTTP/1.1 client,
``RawClient``, or aiohttp with ``--client aiohttp``) with ``--concurrency`` requests in
flight, round-robin over the processes, until all voters have voted
or ``--time-limit`` seconds have passed.

Database connections: as configured (CONN_MAX_AGE=0) every request opens a new
PostgreSQL connection, and under ASGI every request runs in a thread of its own,
so more than about 90 requests in flight exhaust PostgreSQL's default
max_connections=100 (answers 500); use ``--concurrency 64`` then. ``--db-pool``
adds ``?pool=true`` to DATABASE_URL: Django's psycopg pool (needs psycopg-pool),
4 connections per process shared by its request threads.

The servers inherit this environment.

Measured: accepted ballots per second (201 responses over the time from the
first request to the last response), all requests per second, latency
p50/p95/p99 of all requests, errors by status, CPU seconds of the servers,
PostgreSQL (backends alive through the run, i.e. exact with --db-pool), the
client and the whole machine, and the cores busy with other work just before
the run ("background": the machine may be shared).

Then checked (the "integrity" column; every item must hold):
  - Ballot rows == VoterRecord rows == 201 responses, and no request failed
    without an answer (such a ballot might be stored or not);
  - the set of receipts in the box equals the receipts last acknowledged (a change
    gets a new receipt, the same ballot again keeps it), and each
    ballot's content is the voter's last acknowledged ballot (normalised);
  - GET /api/consultations/{id}/results (facilitator token) reports that many
    ballots and voters, and its count equals the count of the acknowledged
    ballots computed apart (voting.counting.count_data on the expected ballots).

``--server netns`` measures several hosts behind a load balancer (deploy/netns_topology.py,
needs root): a topology of its own per run (prefix bm, 10.78.0.0/24, beside the tests' bt
/ 10.77.0.0/24) with HAProxy terminating TLS at https://10.78.0.10 and balancing round
robin over two application hosts with ``--processes`` gunicorn workers each, PostgreSQL
primary and streaming replica, Redis under three Sentinels; the client speaks TLS to
the load balancer, the facilitator comes from ``manage.py create_facilitator`` with
the topology's environment, and CPU is recorded for every host (everything in its
namespace; ``cpu_ms_per_ballot_by_part``) with the requests HAProxy sent to each
application host. Access codes and accounts only: the load balancer gives every open-ballot
voter this machine's one address.

``--server gunicorn`` runs Django over WSGI instead (for comparison only; gunicorn
is not a dependency of the project). With ``--profile-dir`` py-spy records each
server during the measured part (raw format; summarise with bench/ballot_profile.py).
Servers are always stopped. Results: a Markdown table on stdout, JSON with ``--output``.
"""

import argparse
import asyncio
import contextlib
import json
import os
import random
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
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse, urlunparse

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
sys.path.insert(0, str(BASE_DIR))  # deploy.topology
from bench.machine import machine  # noqa: E402

BIN_DIR = Path(sys.executable).parent
FACILITATOR = "bench-facilitator"
FACILITATOR_PASSWORD = "Bench-" + secrets.token_urlsafe(18)
SECRET_KEY = secrets.token_urlsafe(48)
CODES_PER_REQUEST = 5000  # voting.actions.MAX_CODES_PER_REQUEST
# The client context for https:// origins (--server netns: trusts the topology's certificate).
CLIENT_TLS = None
NETNS_PREFIX = "bm"  # not the tests' bt / 10.77.0: a test run may go on beside it
NETNS_SUBNET = "10.78.0"


# --- small helpers ------------------------------------------------------------------


def connector(**kwargs):
    """aiohttp's connector; for https it trusts ``CLIENT_TLS`` where one is set."""
    import aiohttp

    return aiohttp.TCPConnector(ssl=CLIENT_TLS or True, **kwargs)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values, q):
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def ms(seconds):
    return None if seconds is None else round(seconds * 1000, 1)


def cpu_seconds(pid):
    """User + system CPU time of a process (all its threads), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_cpu():
    """CPU seconds of the PostgreSQL processes alive now, by pid (from /proc)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if (entry / "comm").read_text().strip() == "postgres":
                    found[int(entry.name)] = cpu_seconds(entry.name) or 0.0
    return found


def postgres_cpu_since(before):
    """CPU seconds PostgreSQL spent since ``before``: exact for backends that lived through the run
    (a connection pool); backends that started and ended in between are missed."""
    now = postgres_cpu()
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in now.items())


def machine_busy_seconds():
    """CPU seconds the whole machine spent not idle (all cores), from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def background_load(seconds=3.0):
    """Cores busy with something else before the run (other jobs on a shared machine)."""
    busy0 = machine_busy_seconds()
    time.sleep(seconds)
    return round((machine_busy_seconds() - busy0) / seconds, 2)


# --- database, Django commands and servers ---------------------------------------------


class Databases:
    """A migrated template and one fresh copy per run, all dropped at the end."""

    def __init__(self, url):
        parts = urlparse(url)
        if parts.scheme not in ("postgres", "postgresql", "pgsql"):
            raise SystemExit(f"--database-url must be a PostgreSQL URL, not {url!r}")
        self.parts = parts
        self.prefix = f"ballot_bench_{uuid.uuid4().hex[:10]}"
        self.admin_url = urlunparse(parts._replace(scheme="postgresql", path="/postgres"))
        self.created = []

    def url(self, name, pool=False):
        # ?pool=true: Django's psycopg pool (needs psycopg-pool), shared by the request threads of a process.
        return urlunparse(self.parts._replace(path=f"/{name}", query="pool=true" if pool else ""))

    def _execute(self, sql):
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql)

    def create(self, suffix, template=None):
        name = f"{self.prefix}_{suffix}"
        self.created.append(name)
        self._execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return name

    def drop(self, name):
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        with contextlib.suppress(ValueError):
            self.created.remove(name)

    def drop_all(self):
        for name in list(reversed(self.created)):
            try:
                self.drop(name)
            except Exception as error:  # keep dropping the others
                print(f"could not drop database {name}: {error}", file=sys.stderr)


def django_env(database_url, redis_url=None):
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "DEBUG")}
    env.update(
        DEBUG="0",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="WARNING",
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONUNBUFFERED="1",
        # The proxy of --server topology, and the client that reports open-ballot voters' addresses.
        TRUSTED_PROXIES="127.0.0.1",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def run(argv, env, timeout=600):
    result = subprocess.run(argv, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if result.returncode:
        raise RuntimeError(f"{' '.join(map(str, argv))} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def manage(env, *args, timeout=600):
    return run([sys.executable, str(BASE_DIR / "manage.py"), *args], env, timeout)


def run_here(env, *args, timeout=600):
    """This script in a subprocess with Django set up (see ``django_command``); its last line is JSON."""
    out = run([sys.executable, str(Path(__file__).resolve()), *args], env, timeout)
    return json.loads(out.strip().splitlines()[-1])


class Server:
    """One Daphne process (or gunicorn, ``--server``) on 127.0.0.1, started and stopped by this script."""

    def __init__(self, index, env, workdir, kind="daphne"):
        self.kind = kind
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.env = env
        self.log_path = Path(workdir) / f"daphne-{index}-{self.port}.log"
        self.process = None

    def start(self):
        argv = [str(BIN_DIR / "daphne"), "-b", "127.0.0.1", "-p", str(self.port), "config.asgi:application"]
        if self.kind == "gunicorn":
            # For comparison only (not a dependency of the project): Django over WSGI, one
            # gunicorn worker process with 4 threads, no ASGI layer.
            argv = [
                str(BIN_DIR / "gunicorn"),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--worker-class",
                "gthread",
                "--threads",
                "4",
                "--access-logfile",
                "-",
                "django.core.wsgi:get_wsgi_application()",
            ]
        elif self.kind == "uvicorn":
            # For comparison: the same ASGI application under uvicorn (h11 unless httptools is installed).
            argv = [
                str(BIN_DIR / "uvicorn"),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "config.asgi:application",
            ]
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                argv, cwd=BASE_DIR, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"daphne exited:\n{self.log_tail()}")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{self.origin}/healthz", timeout=2) as response,  # noqa: S310
            ):
                if response.status == 200:
                    return self
            time.sleep(0.1)
        raise TimeoutError(f"daphne not ready within {timeout}s:\n{self.log_tail()}")

    def cpu(self):
        """CPU seconds of the server and its worker processes (gunicorn forks them)."""
        if not self.process:
            return None
        pids = [self.process.pid]
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError, IndexError):
                    if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == self.process.pid:
                        pids.append(int(entry.name))
        return sum(cpu_seconds(pid) or 0.0 for pid in pids)

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


class Profiler:
    """py-spy on the servers for the measured part (``--profile-dir``)."""

    def __init__(self, outdir, tag, pids):
        self.processes = []
        if not outdir:
            return
        binary = shutil.which("py-spy") or shutil.which("py-spy", path=str(BIN_DIR))
        if binary is None:
            raise RuntimeError("--profile-dir needs py-spy (.venv/bin/pip install py-spy)")
        Path(outdir).mkdir(parents=True, exist_ok=True)
        for n, pid in enumerate(pids):
            argv = [
                binary,
                "record",
                "--pid",
                str(pid),
                "--rate",
                "100",
                "--threads",
                "--nonblocking",
                "--format",
                "raw",
            ]
            out = Path(outdir) / f"{tag}-{n}.txt"
            self.processes.append(
                subprocess.Popen([*argv, "--output", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            )

    def stop(self):
        for process in self.processes:
            process.send_signal(signal.SIGINT)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes = []


# --- ballots ---------------------------------------------------------------------------


def make_ballot(method, options, rng):
    """A random valid ballot of ``method`` over the measure ids ``options``."""
    if method == "approval":
        return {"approve": rng.sample(options, rng.randint(1, len(options)))}
    if method == "score":
        return {"scores": {str(o): rng.randint(0, 5) for o in options}}
    if method == "points":
        chosen = rng.sample(options, rng.randint(1, min(5, len(options))))
        return {"points": {str(o): 100 // len(chosen) for o in chosen}}
    order = rng.sample(options, len(options))
    groups, start = [], 0
    while start < len(order):
        size = 2 if rng.random() < 0.2 else 1  # a few ties
        groups.append(order[start : start + size])
        start += size
    return {"ranking": groups}


def changed_ballot(method, options, ballot, rng):
    """Another valid ballot, different from ``ballot`` after normalisation."""
    while True:
        other = make_ballot(method, options, rng)
        if canonical(method, other) != canonical(method, ballot):
            return other


def canonical(method, ballot):
    if method == "approval":
        return sorted(ballot["approve"])
    if method == "ranking":
        return [sorted(g) for g in ballot["ranking"]]
    return sorted(next(iter(ballot.values())).items())


# --- the measured run --------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.latencies = []
        self.statuses = Counter()
        self.kinds = Counter()  # (kind, status)
        self.created = 0
        self.receipts = {}  # voter -> receipt of the last acknowledgement
        self.last = {}  # voter -> last acknowledged ballot
        self.unknown = set()  # voters with a request that got no answer
        self.cookies = {}  # voter -> browser cookie (open consultations)
        self.mismatched = []  # answers that contradict what was sent
        self.first_sent = None
        self.last_done = None


class RawClient:
    """A minimal HTTP/1.1 client for the measured part: keep-alive connections, one per
    origin and worker, requests written and answers read by hand. aiohttp costs about
    0.35 ms of CPU a request, which on 2 cores is taken from the servers under test;
    this costs a fraction of that (``--client aiohttp`` measures with aiohttp)."""

    def __init__(self):
        self.connections = {}  # origin -> (reader, writer)

    async def put_json(self, url, payload, headers=None):
        """(status, body, the value of Set-Cookie or None)."""
        parts = urlparse(url)
        tls = CLIENT_TLS if parts.scheme == "https" else None
        origin = (parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
        body = json.dumps(payload).encode()
        extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
        head = (
            f"PUT {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: application/json\r\n"
            f"Accept: application/json\r\n{extra}Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        connection = self.connections.get(origin)
        if connection is None:
            connection = self.connections[origin] = await asyncio.open_connection(*origin, ssl=tls)
        reader, writer = connection
        try:
            writer.write(head + body)
            status_line = await reader.readuntil(b"\r\n")
            status = int(status_line.split()[1])
            length, close, cookie = None, False, None
            while True:
                line = await reader.readuntil(b"\r\n")
                if line == b"\r\n":
                    break
                name, _, value = line.decode("latin-1").partition(":")
                name = name.strip().lower()
                if name == "content-length":
                    length = int(value)
                elif name == "connection" and value.strip().lower() == "close":
                    close = True
                elif name == "set-cookie":
                    cookie = value.strip().split(";", 1)[0]
                elif name == "transfer-encoding":
                    raise ConnectionError(f"unexpected transfer-encoding {value.strip()}")
            if length is None:
                raise ConnectionError("answer without Content-Length")
            answer = await reader.readexactly(length)
        except BaseException:
            self.close(origin)
            raise
        if close:
            self.close(origin)
        return status, answer, cookie

    def close(self, origin=None):
        for key in [origin] if origin is not None else list(self.connections):
            connection = self.connections.pop(key, None)
            if connection is not None:
                connection[1].close()


def voter_request(eligibility, credential, voter, stats):
    """The payload's extra keys and the headers that make ``voter`` eligible."""
    if eligibility == "access_code":
        return {"access_code": credential}, {}
    if eligibility == "account":
        return {}, {"Authorization": f"Token {credential}"}
    # Open: one browser (its cookie, once set) behind one of many addresses of a city, as a
    # trusted proxy in front of the servers reports it (X-Forwarded-For).
    headers = {"X-Forwarded-For": f"10.{voter // 65536 % 256}.{voter // 256 % 256}.{voter % 256}"}
    if voter in stats.cookies:
        headers["Cookie"] = stats.cookies[voter]
    return {}, headers


async def put_ballot(session, url, credential, ballot, stats, kind, voter, timeout, eligibility="access_code"):
    import aiohttp

    began = time.perf_counter()
    if stats.first_sent is None:
        stats.first_sent = began
    extra, headers = voter_request(eligibility, credential, voter, stats)
    payload = {**extra, "ballot": ballot}
    cookie = None
    try:
        if isinstance(session, RawClient):
            status, body, cookie = await asyncio.wait_for(session.put_json(url, payload, headers), timeout.total)
        else:
            async with session.put(url, json=payload, headers=headers, timeout=timeout) as response:
                body = await response.read()
                status = response.status
                raw_cookie = response.headers.get("Set-Cookie")
                cookie = raw_cookie.split(";", 1)[0] if raw_cookie else None
    except (TimeoutError, OSError, ValueError, asyncio.IncompleteReadError, aiohttp.ClientError) as error:
        status = type(error).__name__
        body = b""
    done = time.perf_counter()
    stats.last_done = done
    stats.latencies.append(done - began)
    stats.statuses[status] += 1
    stats.kinds[(kind, status)] += 1
    if not isinstance(status, int):
        stats.unknown.add(voter)
        return False
    if cookie and eligibility == "open":
        stats.cookies[voter] = cookie
    if status not in (200, 201):
        return False
    data = json.loads(body)
    expect_created = kind == "first"
    expect_changed = kind != "resend"
    if data.get("created") != expect_created or data.get("changed") != expect_changed:
        stats.mismatched.append((voter, kind, status, data))
    if status == 201:
        stats.created += 1
    # The same ballot again keeps its receipt; a changed ballot gets a new one, which the box
    # must then hold.
    if voter in stats.receipts and kind == "resend" and stats.receipts[voter] != data.get("receipt"):
        stats.mismatched.append((voter, kind, "receipt changed", data))
    elif voter in stats.receipts and kind == "change" and stats.receipts[voter] == data.get("receipt"):
        stats.mismatched.append((voter, kind, "receipt kept", data))
    else:
        stats.receipts[voter] = data.get("receipt")
    stats.last[voter] = ballot
    return True


async def fire(origins, consultation_id, credentials, ballots, followups, args, eligibility="access_code"):
    """Send every voter's ballot (and follow-ups) with ``args.concurrency`` in flight."""
    import aiohttp

    stats = Stats()
    paths = [f"{origin}/api/consultations/{consultation_id}/ballot" for origin in origins]
    timeout = aiohttp.ClientTimeout(total=args.request_timeout)
    pool = connector(limit=args.concurrency, limit_per_host=0, force_close=False)
    next_voter = iter(range(len(credentials)))
    turn = [0]
    deadline = time.monotonic() + args.time_limit

    def url():
        turn[0] += 1
        return paths[turn[0] % len(paths)]

    async def worker(session):
        try:
            for voter in next_voter:
                if time.monotonic() > deadline:
                    return
                ok = await put_ballot(
                    session, url(), credentials[voter], ballots[voter], stats, "first", voter, timeout, eligibility
                )
                if ok and voter in followups:
                    kind, ballot = followups[voter]
                    await put_ballot(
                        session, url(), credentials[voter], ballot, stats, kind, voter, timeout, eligibility
                    )
        finally:
            if isinstance(session, RawClient):
                session.close()

    if args.client == "raw":
        await asyncio.gather(*(worker(RawClient()) for _ in range(args.concurrency)))
        return stats
    async with aiohttp.ClientSession(connector=pool, cookie_jar=aiohttp.DummyCookieJar()) as session:
        await asyncio.gather(*(worker(session) for _ in range(args.concurrency)))
    return stats


async def api(session, method, url, token, payload=None, expect=(200, 201)):
    headers = {"Authorization": f"Token {token}"}
    async with session.request(method, url, json=payload, headers=headers) as response:
        body = await response.text()
        if response.status not in expect:
            raise RuntimeError(f"{method} {url}: {response.status} {body[:500]}")
        return json.loads(body) if body else None


async def create_consultation(origin, setup, token, args, eligibility="access_code"):
    """The consultation's id and one credential per voter: an access code, an account's
    token (made by ``_setup``) or nothing (open: the browser cookie comes with the first answer)."""
    import aiohttp

    async with aiohttp.ClientSession(connector=connector()) as session:
        consultation = await api(
            session,
            "POST",
            f"{origin}/api/consultations/",
            token,
            {
                "process": setup["process"],
                "title": "Welche Smart-City-Maßnahmen zuerst? (Lasttest)",
                "method": args.method,
                "eligibility": eligibility,
                "options": setup["measures"],
            },
        )
        cid = consultation["id"]
        await api(session, "POST", f"{origin}/api/consultations/{cid}/open", token)
        if eligibility == "account":
            return cid, setup["tokens"]
        if eligibility == "open":
            return cid, [None] * args.voters
        codes = []
        while len(codes) < args.voters:
            count = min(CODES_PER_REQUEST, args.voters - len(codes))
            batch = await api(
                session, "POST", f"{origin}/api/consultations/{cid}/access-codes", token, {"count": count}
            )
            codes.extend(batch["codes"])
    return cid, codes


async def warm_up(origins, cid):
    """A few reads per server so that imports and URL resolution are done before timing."""
    import aiohttp

    async with aiohttp.ClientSession(connector=connector()) as session:
        for origin in origins:
            for _ in range(5):
                async with session.get(f"{origin}/api/consultations/{cid}/") as response:
                    await response.read()


async def fetch_results(origin, cid, token):
    """The live result as the facilitator sees it: (status, JSON or the start of the body)."""
    import aiohttp

    timeout = aiohttp.ClientTimeout(total=600)
    headers = {"Authorization": f"Token {token}"}
    async with (
        aiohttp.ClientSession(timeout=timeout, connector=connector()) as session,
        session.get(f"{origin}/api/consultations/{cid}/results", headers=headers) as response,
    ):
        body = await response.text()
        if response.status != 200:
            return response.status, body[:300]
        return 200, json.loads(body)


class TopologyServer:
    """The production topology (deploy/topology.py) as one server of this script:
    nginx, gunicorn with ``--processes`` workers, one Daphne."""

    def __init__(self, n_processes, env, workdir, threads=1, ports=range(8400, 8500)):
        from deploy.topology import Topology

        self.topology = Topology(env, workdir, ports=ports, workers=n_processes, threads=threads)
        self.origin = self.topology.origin
        self.process = None

    def start(self):
        self.topology.start()
        self.process = self.topology.processes["gunicorn"]
        return self

    def wait_ready(self):
        return self

    def cpu(self):
        return sum(self.topology.cpu().values())

    def cpu_by_part(self):
        return self.topology.cpu()

    def stop(self):
        self.topology.stop()


class NetnsServer:
    """Several hosts behind a load balancer (deploy/netns_topology.py, root) as one server of
    this script: HAProxy with TLS at https://10.78.0.10 in front of app1 and app2, each
    with ``workers`` gunicorn workers, PostgreSQL primary db1 (replica db2), Redis under
    three Sentinels. Its database and environment are its own."""

    def __init__(self, workers, workdir):
        from deploy.netns_topology import NetnsTopology

        self.site = NetnsTopology(workdir, prefix=NETNS_PREFIX, subnet=NETNS_SUBNET, web_workers=workers)
        self.origin = self.site.origin
        self.env = None
        self.process = None

    def start(self):
        global CLIENT_TLS
        self.site.up()
        self.env = self.site.env
        self.process = self.site.processes[("app1", "gunicorn")]
        CLIENT_TLS = self.site.ssl_context()
        return self

    def wait_ready(self):
        return self

    def cpu(self):
        """The load balancer and the application hosts (everything in their namespaces)."""
        parts = self.cpu_by_part()
        return parts["lb"] + parts["app1"] + parts["app2"]

    def cpu_by_part(self):
        return self.site.cpu()

    def requests_by_host(self):
        """Requests (sessions) HAProxy sent to each application host's gunicorn so far."""
        return {host: int(row["stot"]) for (backend, host), row in self.site.server_stats().items() if backend == "web"}

    def stop(self):
        self.site.down()


def one_run(databases, template, n_processes, variant, args, workdir, eligibility="access_code"):
    """One measurement: fresh database, servers, ballots, checks. Always cleans up."""
    netns = args.server == "netns"
    name = env = None
    servers = []
    profiler = None
    try:
        if netns:
            # A topology of its own for each run: its own database, reached as users reach it.
            servers = [NetnsServer(n_processes, Path(workdir) / f"p{n_processes}-{variant}-{eligibility}").start()]
            env = servers[0].env
        else:
            name = databases.create(f"p{n_processes}_{variant}_{eligibility}", template=template)
            env = django_env(databases.url(name, pool=args.db_pool), args.redis_url or None)
        accounts = args.voters if eligibility == "account" else 0
        setup = run_here(env, "_setup", str(args.options), str(accounts))
        token = manage(env, "create_facilitator", FACILITATOR, "--password", FACILITATOR_PASSWORD,
                       "--process", setup["slug"]).strip().splitlines()[-1]  # fmt: skip
        if args.server == "topology":
            run_dir = Path(workdir) / f"p{n_processes}-{variant}-{eligibility}"
            run_dir.mkdir(parents=True, exist_ok=True)
            first, last = (int(port) for port in args.ports.split("-"))
            servers = [TopologyServer(n_processes, env, run_dir, args.threads, range(first, last + 1)).start()]
        elif not netns:
            servers = [Server(n, env, workdir, args.server).start() for n in range(n_processes)]
        for server in servers:
            server.wait_ready()
        origins = [s.origin for s in servers]
        cid, codes = asyncio.run(create_consultation(origins[0], setup, token, args, eligibility))

        rng = random.Random(args.seed)
        options = setup["measures"]
        ballots = [make_ballot(args.method, options, rng) for _ in codes]
        followups = {}
        if variant == "resend":
            # Of 10 requests: 8 first ballots, 1 resend, 1 change (voters 3 and 5 of every 8).
            for voter in range(len(codes)):
                if voter % 8 == 3:
                    followups[voter] = ("resend", ballots[voter])
                elif voter % 8 == 5:
                    followups[voter] = ("change", changed_ballot(args.method, options, ballots[voter], rng))
        asyncio.run(warm_up(origins, cid))

        background = background_load()
        tag = f"p{n_processes}-{variant}-{eligibility}"
        profiler = Profiler(args.profile_dir, tag, [s.process.pid for s in servers])
        server_cpu0 = [s.cpu() for s in servers]
        client_cpu0 = time.process_time()
        postgres0 = postgres_cpu()
        busy0 = machine_busy_seconds()
        wall0 = time.perf_counter()
        parts0 = servers[0].cpu_by_part() if args.server in ("topology", "netns") else {}
        spread0 = servers[0].requests_by_host() if netns else {}
        stats = asyncio.run(fire(origins, cid, codes, ballots, followups, args, eligibility))
        wall = time.perf_counter() - wall0
        busy = machine_busy_seconds() - busy0
        client_cpu = time.process_time() - client_cpu0
        server_cpu = sum(s.cpu() - c for s, c in zip(servers, server_cpu0, strict=True))
        part_seconds = {k: v - parts0.get(k, 0.0) for k, v in servers[0].cpu_by_part().items()} if parts0 else {}
        parts = {k: round(v, 1) for k, v in part_seconds.items()}
        postgres = postgres_cpu_since(postgres0)
        if netns:  # the topology's own servers, not every PostgreSQL on this machine
            postgres = part_seconds["db1"] + part_seconds["db2"]
        spread = {k: v - spread0[k] for k, v in servers[0].requests_by_host().items()} if netns else {}
        profiler.stop()

        results_began = time.perf_counter()
        results_status, results = asyncio.run(fetch_results(origins[0], cid, token))
        results_seconds = time.perf_counter() - results_began
        check_file = Path(workdir) / f"check-{tag}.json"
        check_file.write_text(
            json.dumps(
                {
                    "consultation": cid,
                    "created": stats.created,
                    "receipts": {str(v): r for v, r in stats.receipts.items()},
                    "last": {str(v): b for v, b in stats.last.items()},
                    "unknown": sorted(stats.unknown),
                    "results_status": results_status,
                    "results": results,
                }
            )
        )
        check = run_here(env, "_check", str(check_file))
        if stats.mismatched:
            check["problems"].append(
                f"{len(stats.mismatched)} answers contradict the request, e.g. {stats.mismatched[:3]}"
            )
        span = (stats.last_done - stats.first_sent) if stats.first_sent else wall
        requests = sum(stats.statuses.values())
        return {
            "processes": n_processes,
            "variant": variant,
            "eligibility": eligibility,
            "server": args.server,
            "voters": len(codes),
            "requests": requests,
            "accepted": stats.created,
            "seconds": round(span, 2),
            "accepted_per_s": round(stats.created / span, 1) if span else None,
            "requests_per_s": round(requests / span, 1) if span else None,
            "p50_ms": ms(percentile(stats.latencies, 0.50)),
            "p95_ms": ms(percentile(stats.latencies, 0.95)),
            "p99_ms": ms(percentile(stats.latencies, 0.99)),
            "max_ms": ms(max(stats.latencies) if stats.latencies else None),
            "statuses": {str(k): v for k, v in sorted(stats.statuses.items(), key=str)},
            "by_kind": {f"{k}:{s}": v for (k, s), v in sorted(stats.kinds.items(), key=str)},
            "errors": sum(v for k, v in stats.statuses.items() if k not in (200, 201)),
            "background_cores": background,
            # CPU of the servers (and of PostgreSQL, the client, the machine) per accepted ballot.
            "cpu_ms_per_ballot": {
                "servers": round(server_cpu * 1000 / stats.created, 2) if stats.created else None,
                "postgres": round(postgres * 1000 / stats.created, 2) if stats.created else None,
                "machine": round(busy * 1000 / stats.created, 2) if stats.created else None,
            },
            "cpu_s_by_part": parts,
            "cpu_ms_per_ballot_by_part": {
                k: round(v * 1000 / stats.created, 3) if stats.created else None for k, v in part_seconds.items()
            },
            "requests_by_host": spread,
            "cpu_s": {
                "servers": round(server_cpu, 1),
                "client": round(client_cpu, 1),
                "machine": round(busy, 1),
                "postgres_long_lived": round(postgres, 1),
                "rest": round(busy - server_cpu - client_cpu - postgres, 1),
                "available": round(wall * os.cpu_count(), 1),
            },
            "results_s": round(results_seconds, 1),
            "check": check,
        }
    finally:
        if profiler is not None:
            profiler.stop()
        for server in servers:
            server.stop()
        if name:
            databases.drop(name)


# --- inside Django (subprocesses) ----------------------------------------------------------


def django_command(argv):
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    if argv[0] == "_setup":
        print(json.dumps(_setup(int(argv[1]), int(argv[2]) if len(argv) > 2 else 0)))
    elif argv[0] == "_check":
        print(json.dumps(_check(json.loads(Path(argv[1]).read_text()))))


def _setup(n_options, accounts=0):
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from participation.models import Measure, Process

    process = Process.objects.create(title="Lasttest Befragung", slug="lasttest-befragung", published=True)
    measures = [
        Measure.objects.create(
            process=process,
            title=f"Maßnahme {n + 1:02d}",
            slug=f"massnahme-{n + 1:02d}",
            summary=f"Kurzbeschreibung der Maßnahme {n + 1}",
            published=True,
        )
        for n in range(n_options)
    ]
    # Voters with an account: confirmed e-mail addresses, signed in by API token.
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"voter{n}", email=f"voter{n}@example.org", email_verified=True)
        for n in range(accounts)
    )
    tokens = Token.objects.bulk_create(Token(key=secrets.token_hex(20), user=user) for user in users)
    return {
        "process": process.pk,
        "slug": process.slug,
        "measures": [m.pk for m in measures],
        "tokens": [t.key for t in tokens],
    }


def _same_count(own, published):
    """The count of the acknowledged ballots, made plain JSON the way the endpoint does, equals the published one."""
    from voting import counting

    candidates = [counting.jsonable(own)]
    with contextlib.suppress(ImportError, AttributeError):
        from results.compute import plain

        candidates.append(plain(own))
    return any(json.loads(json.dumps(c)) == published for c in candidates)


def _check(data):
    """Compare the box, the register and the published count with what was acknowledged."""
    from voting import ballots as ballot_rules
    from voting import counting
    from voting.models import Ballot, Consultation, VoterRecord

    consultation = Consultation.objects.get(pk=data["consultation"])
    options = counting.options_of(consultation)
    problems = []
    box = dict(Ballot.objects.filter(consultation=consultation).values_list("receipt", "content"))
    n_ballots = Ballot.objects.filter(consultation=consultation).count()
    n_voters = VoterRecord.objects.filter(consultation=consultation).count()
    created = data["created"]
    if data["unknown"]:
        problems.append(f"{len(data['unknown'])} voters have a request without an answer")
    if n_ballots != created:
        problems.append(f"{n_ballots} ballots in the box, {created} acknowledged with 201")
    if n_voters != created:
        problems.append(f"{n_voters} voters in the register, {created} acknowledged with 201")
    if len(box) != n_ballots:
        problems.append("receipts are not unique")
    expected = {}
    for voter, receipt in data["receipts"].items():
        raw = data["last"][voter]
        expected[receipt] = ballot_rules.normalise(consultation.method, consultation.settings, options, raw)
    missing = set(expected) - set(box)
    extra = set(box) - set(expected)
    wrong = [r for r in set(expected) & set(box) if box[r] != expected[r]]
    if missing:
        problems.append(f"{len(missing)} acknowledged receipts are not in the box")
    if extra:
        problems.append(f"{len(extra)} ballots in the box were never acknowledged")
    if wrong:
        problems.append(f"{len(wrong)} ballots differ from the last acknowledged one")
    results = data["results"]
    same_count = None
    results_ballots = None
    if data["results_status"] != 200:
        problems.append(f"GET /results answered {data['results_status']}: {results}")
    else:
        # The live result: {"result": {...}} (results app) or the count itself (voting.counting.count).
        result = results.get("result", results)
        turnout = result.get("turnout", {})
        results_ballots = turnout.get("ballots")
        if results_ballots != created or turnout.get("voters") != created:
            problems.append(
                f"results turnout ballots={results_ballots} voters={turnout.get('voters')}, {created} acknowledged"
            )
        own = counting.count_data(
            consultation.method,
            consultation.settings,
            options,
            [ballot_rules.content_for_count(consultation.method, c) for c in expected.values()],
        )
        same_count = _same_count(own, result.get("count"))
        if not same_count:
            problems.append("the published count differs from the count of the acknowledged ballots")
    return {
        "ballots": n_ballots,
        "voters": n_voters,
        "acknowledged_201": created,
        "receipts_matching": len(set(expected) & set(box)) - len(wrong),
        "results_ballots": results_ballots,
        "count_equal": same_count,
        "problems": problems,
        "ok": not problems,
    }


# --- main ----------------------------------------------------------------------------------


def table(results):
    lines = [
        "| eligibility | processes | variant | requests | accepted/s | requests/s | p50 ms | p95 ms | p99 ms "
        "| errors | CPU ms/ballot servers / PostgreSQL / machine "
        "| CPU s servers / PostgreSQL / client / machine | background cores | integrity |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | ---: | --- |",
    ]
    for r in results:
        if "failure" in r:
            lines.append(
                f"| {r.get('eligibility')} | {r['processes']} | {r['variant']} | failed: {r['failure'][:120]} |"
            )
            continue
        errors = {k: v for k, v in r["statuses"].items() if k not in ("200", "201")}
        error_text = ", ".join(f"{k}: {v}" for k, v in errors.items()) or "0"
        cpu = r["cpu_s"]
        check = r["check"]
        integrity = (
            f"ok ({check['ballots']} ballots = {check['voters']} voters = 201s = results)"
            if check["ok"]
            else "FAILED: " + "; ".join(check["problems"])
        )
        per = r["cpu_ms_per_ballot"]
        lines.append(
            f"| {r['eligibility']} | {r['processes']} | {r['variant']} | {r['requests']} | {r['accepted_per_s']} "
            f"| {r['requests_per_s']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {error_text} "
            f"| {per['servers']} / {per['postgres']} / {per['machine']} "
            f"| {cpu['servers']} / {cpu['postgres_long_lived']} / {cpu['client']} / {cpu['machine']} "
            f"of {cpu['available']} "
            f"| {r['background_cores']} | {integrity} |"
        )
    return "\n".join(lines)


def parts_table(results):
    """CPU per accepted ballot by part: each host of --server netns (everything in its
    namespace), or nginx, gunicorn and Daphne of --server topology."""
    rows = [r for r in results if r.get("cpu_ms_per_ballot_by_part")]
    if not rows:
        return ""
    names = sorted({k for r in rows for k in r["cpu_ms_per_ballot_by_part"]})
    lines = [
        "| eligibility | processes | variant | accepted/s | requests by host | "
        + " | ".join(f"{n} ms/ballot" for n in names)
        + " |",
        "| --- | ---: | --- | ---: | --- | " + " | ".join("---:" for _ in names) + " |",
    ]
    for r in rows:
        spread = " / ".join(f"{k} {v}" for k, v in r.get("requests_by_host", {}).items()) or "–"
        cells = " | ".join(str(r["cpu_ms_per_ballot_by_part"].get(n, "–")) for n in names)
        lines.append(
            f"| {r['eligibility']} | {r['processes']} | {r['variant']} | {r['accepted_per_s']} | {spread} | {cells} |"
        )
    return "\n".join(lines)


def main(args):
    if args.db_pool:
        try:
            import psycopg_pool  # noqa: F401
        except ImportError:
            raise SystemExit("--db-pool needs psycopg-pool: .venv/bin/pip install psycopg-pool==3.3.3") from None
    if args.server in ("gunicorn", "topology") and not (BIN_DIR / "gunicorn").exists():
        raise SystemExit("--server gunicorn needs gunicorn: make install (requirements.txt)")
    if args.server == "netns":
        from deploy.netns_topology import missing_tools

        if missing_tools():
            raise SystemExit(f"--server netns needs {', '.join(missing_tools())}")
        if "open" in args.eligibility.split(","):
            # The load balancer sets X-Forwarded-For to this machine's one address: every
            # open-ballot voter would come from it and meet the limit per address.
            raise SystemExit("--server netns: --eligibility access_code and/or account")
    workdir = tempfile.mkdtemp(prefix="bench-ballots-")
    if args.server == "netns":
        Path(workdir).chmod(0o755)  # PostgreSQL runs as postgres and must reach its directory below
    databases = Databases(args.database_url)
    info = {
        "machine": machine(),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "settings": vars(args),
    }
    print(json.dumps(info), flush=True)
    results = []
    try:
        template = None  # --server netns: each topology migrates its own database
        if args.server != "netns":
            template = databases.create("template")
            manage(django_env(databases.url(template)), "migrate", "--noinput")
        for eligibility in args.eligibility.split(","):
            for n_processes in [int(p) for p in args.processes.split(",")]:
                for variant in args.variants.split(","):
                    try:
                        result = one_run(databases, template, n_processes, variant, args, workdir, eligibility)
                    except Exception as error:  # a failed run is a result too
                        result = {
                            "eligibility": eligibility,
                            "processes": n_processes,
                            "variant": variant,
                            "failure": f"{type(error).__name__}: {error}",
                        }
                    results.append(result)
                    print(json.dumps(result), flush=True)
    finally:
        databases.drop_all()
        if any("failure" in r or r["errors"] or not r["check"]["ok"] for r in results):
            print(f"server logs kept in {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(table(results))
    if any(r.get("cpu_ms_per_ballot_by_part") for r in results):
        print()
        print(parts_table(results))
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(json.dumps({**info, "results": results}, indent=2))
    ok = results and all("failure" not in r and r["check"]["ok"] for r in results)
    return 0 if ok else 1


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--voters", type=int, default=20000, help="voters (access codes) per run")
    parser.add_argument(
        "--eligibility",
        default="access_code,account,open",
        help="who may vote, comma-separated: access_code (a code per voter), account (a confirmed account per"
        " voter, API token), open (one ballot per browser cookie, voters behind many addresses)",
    )
    parser.add_argument(
        "--processes",
        "--workers",
        default="3",
        help="gunicorn workers of the topology (Daphne processes with --server daphne) to measure, comma-separated",
    )
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (--server topology)")
    parser.add_argument("--variants", default="plain,resend", help="plain and/or resend (10%% resent, 10%% changed)")
    parser.add_argument("--concurrency", type=int, default=128, help="requests in flight")
    parser.add_argument(
        "--client", default="raw", choices=["raw", "aiohttp"], help="load generator (raw: a minimal HTTP/1.1 client)"
    )
    parser.add_argument("--method", default="ranking", choices=["ranking", "approval", "score", "points"])
    parser.add_argument("--options", type=int, default=10, help="measures on the ballot")
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds after which no new voter starts")
    parser.add_argument("--request-timeout", type=float, default=60.0, help="seconds for one request")
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="PostgreSQL server to use; fresh databases are created beside the one named",
    )
    parser.add_argument(
        "--db-pool", action="store_true", help="DATABASE_URL with ?pool=true (Django's psycopg pool, 4 per process)"
    )
    parser.add_argument(
        "--server",
        default="topology",
        choices=["topology", "netns", "daphne", "gunicorn", "uvicorn"],
        help="topology (production: nginx, gunicorn workers, Daphne; deploy/topology.py), netns (several hosts"
        " behind HAProxy with TLS, deploy/netns_topology.py, root; --processes: gunicorn workers per application"
        " host), daphne (one or more Daphne processes, as make demo), or gunicorn alone (WSGI, 4 threads) or"
        " uvicorn, for comparison",
    )
    parser.add_argument(
        "--ports",
        default="8400-8499",
        help="ports the topology may listen on (first-last)",
    )
    parser.add_argument("--redis-url", default="", help="share the cache through Redis (default: locmem per process)")
    parser.add_argument("--profile-dir", default="", help="record py-spy profiles of the servers here")
    parser.add_argument("--output", default="", help="write all figures as JSON here")
    return parser.parse_args(argv)


def stop_on_sigterm(signum, frame):
    # Leave through the ``finally`` blocks: servers stopped, databases dropped.
    raise KeyboardInterrupt(f"signal {signum}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].startswith("_"):
        django_command(sys.argv[1:])
    else:
        signal.signal(signal.SIGTERM, stop_on_sigterm)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        sys.exit(main(parse_args()))
