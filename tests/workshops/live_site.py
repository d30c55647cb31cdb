"""Real servers for multi-process tests: a throwaway database, Daphne processes
sharing it (and Redis), the REST calls to set up a workshop, and a WebSocket
client built on the ``websockets`` library.

Nothing here touches the test process's own database: every read and write goes
through the servers, as a browser's would.
"""

import asyncio
import contextlib
import itertools
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed

BASE_DIR = Path(__file__).resolve().parents[2]
BIN_DIR = Path(sys.executable).parent
DAPHNE = str(BIN_DIR / "daphne") if (BIN_DIR / "daphne").exists() else "daphne"
BOOT_TIMEOUT = 20


def free_port():
    """A free port; from the range LIVE_PORTS ("8400-8499") when set, so that parallel runs
    on one machine keep to their own ports."""
    low, _, high = os.environ.get("LIVE_PORTS", "").partition("-")
    candidates = [0]
    if low.isdigit() and high.isdigit():
        # In random order: two servers started one after the other do not pick the same one.
        candidates = random.sample(range(int(low), int(high) + 1), int(high) - int(low) + 1)
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise OSError(f"no free port in {os.environ.get('LIVE_PORTS')}")


class LiveDatabase:
    """A fresh database for the servers: a new PostgreSQL database when DATABASE_URL
    points to PostgreSQL (dropped again on close), else a temporary SQLite file."""

    def __init__(self, workdir):
        self.workdir = Path(workdir)
        self.admin_url = None
        self.name = None
        configured = os.environ.get("DATABASE_URL", "")
        if urlparse(configured).scheme in ("postgres", "postgresql", "pgsql"):
            parts = urlparse(configured)
            self.name = f"participation_live_{uuid.uuid4().hex[:10]}"
            self.admin_url = urlunparse(parts._replace(scheme="postgresql", path="/postgres"))
            self.url = urlunparse(parts._replace(path=f"/{self.name}"))
        else:
            self.url = f"sqlite:///{self.sqlite_path}"

    @property
    def sqlite_path(self):
        return self.workdir / "live.sqlite3"

    def create(self, template=None):
        """An empty database, or a copy of ``template`` (another ``LiveDatabase``)."""
        if self.admin_url:
            import psycopg

            clause = f' TEMPLATE "{template.name}"' if template else ""
            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.name}"{clause}')
        elif template:
            shutil.copyfile(template.sqlite_path, self.sqlite_path)

    def drop(self):
        if self.admin_url:
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def server_env(database_url):
    env = dict(os.environ)
    # Mail to followers is queued due at once: tests run the worker when they want it sent.
    # Maps without tiles: no request leaves 127.0.0.1 (tests/e2e/test_map_browser.py starts a tile server).
    env.update(DEBUG="1", DATABASE_URL=database_url, PYTHONUNBUFFERED="1", NOTIFICATION_DELAY="0", MAP_TILES_URL="")
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    return env


def manage(env, *args, timeout=60):
    """Run manage.py in a subprocess; its stdout, or an error with its output."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


class Server:
    """One Daphne process on 127.0.0.1, with extra command-line ``options`` (e.g. shorter
    keepalive pings). Always stopped by whoever started it."""

    def __init__(self, name, env, logdir, options=()):
        self.name = name
        self.env = env
        self.options = list(options)
        self.port = free_port()
        self.log_path = Path(logdir) / f"daphne-{name}-{self.port}.log"
        self.process = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def origin(self):
        return self.base

    def ws_url(self, code, ticket):
        return f"ws://127.0.0.1:{self.port}/ws/workshops/{code}/?ticket={ticket}"

    def start(self):
        log = open(self.log_path, "wb")  # noqa: SIM115 - the child keeps writing to it
        self.process = subprocess.Popen(
            [DAPHNE, "-b", "127.0.0.1", "-p", str(self.port), *self.options, "config.asgi:application"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        return self

    def wait_ready(self, timeout=BOOT_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Daphne {self.name} exited with {self.process.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return self
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.1)
        raise TimeoutError(f"Daphne {self.name} not healthy within {timeout}s:\n{self.log()}")

    def kill(self):
        """A crash: SIGKILL, no chance to say goodbye to anyone."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()

    def log(self):
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""


def http(method, url, body=None, token=None, timeout=10):
    """(status, parsed JSON or bytes) of one REST call."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Token {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status, raw, kind = response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        status, raw, kind = error.code, error.read(), error.headers.get("Content-Type", "")
    return status, json.loads(raw) if "json" in kind else raw


class LiveSite:
    """A database, a facilitator with a token, a process, and Daphne processes on them."""

    def __init__(self):
        self.workdir = tempfile.mkdtemp(prefix="live-workshops-")
        self.database = LiveDatabase(self.workdir)
        self.env = server_env(self.database.url)
        self.servers = []
        self.token = None
        self.process_id = None

    def setup(self, names=("A", "B")):
        """A copy of the template database, and the Daphne processes ``names`` started on it."""
        template = Template.get()
        self.database.create(template=template.database)
        self.process_id, self.token = template.process_id, template.token
        started = [self._spawn(name) for name in names]
        return [server.wait_ready() for server in started]

    def _spawn(self, name):
        server = Server(name, self.env, self.workdir)
        self.servers.append(server)
        return server.start()

    def start(self, name):
        return self._spawn(name).wait_ready()

    def close(self):
        try:
            for server in self.servers:
                server.stop()
        finally:
            self.database.drop()
            shutil.rmtree(self.workdir, ignore_errors=True)

    def create_workshop(self, server, title="Zukunft der Mobilität", **settings):
        status, body = http(
            "POST",
            f"{server.base}/api/workshops/",
            {"process": self.process_id, "title": title, **settings},
            self.token,
        )
        assert status == 201, body
        return body["code"]

    def join(self, server, code, name, role=None, token=None):
        payload = {"display_name": name, **({"role": role} if role else {})}
        status, body = http("POST", f"{server.base}/api/workshops/{code}/join", payload, token)
        assert status == 201, body
        return body

    def export(self, server, code):
        status, body = http("GET", f"{server.base}/api/workshops/{code}/export?format=json", token=self.token)
        assert status == 200, body
        return body if isinstance(body, dict) else json.loads(body)


class Template:
    """One migrated database with the live-test process and its facilitator, made once per
    test session; every ``LiveSite`` clones it (CREATE DATABASE ... TEMPLATE, a fraction of a
    second, or a file copy for SQLite) instead of migrating anew (15 s and more on a busy
    machine)."""

    workdir = database = process_id = token = None

    @classmethod
    def get(cls):
        if cls.database is None:
            workdir = tempfile.mkdtemp(prefix="live-template-")
            database = LiveDatabase(workdir)
            if database.name:
                database.name = database.name.replace("live_", "live_template_")
                database.url = urlunparse(urlparse(database.url)._replace(path=f"/{database.name}"))
            try:
                database.create()
                env = server_env(database.url)
                manage(env, "migrate", "--noinput", "-v0", timeout=300)
                code = (
                    "from participation.models import Process;"
                    "p = Process.objects.create(title='Digitalisierung', slug='live-test', published=True);"
                    "print(p.pk)"
                )
                process_id = int(manage(env, "shell", "-c", code).strip().splitlines()[-1])
                out = manage(
                    env, "create_facilitator", "moderation", "--password", "Wabe-Kessel-4711", "--process", "live-test"
                )
            except BaseException:
                database.drop()
                shutil.rmtree(workdir, ignore_errors=True)
                raise
            cls.workdir, cls.database, cls.process_id = workdir, database, process_id
            cls.token = out.strip().splitlines()[-1].strip()
        return cls

    @classmethod
    def drop(cls):
        if cls.database is not None:
            cls.database.drop()
            shutil.rmtree(cls.workdir, ignore_errors=True)
            cls.workdir = cls.database = None


_ids = itertools.count(1)


class LiveClient:
    """One participant's socket over a real TCP connection; every frame is kept in order."""

    def __init__(self, name, ticket, participant=None, bundle=False):
        self.name = name
        self.ticket = ticket
        self.participant = participant
        self.bundle = bundle  # asks for ``events`` frames (bundle=1), as the browser does
        self.frames = []  # an ``events`` frame is kept as the event frames it carries
        self.arrived = []  # time.monotonic() when frames[i] arrived
        self.bundles = 0  # ``events`` frames received
        self.ws = None
        self.reader = None
        self.changed = asyncio.Event()

    async def connect(self, server, code, timeout=10):
        self.ws = await ws_connect(
            server.ws_url(code, self.ticket) + ("&bundle=1" if self.bundle else ""),
            origin=server.origin,
            open_timeout=timeout,
            ping_interval=None,
            max_size=2**24,
            compression=None,
            **({"ssl": server.ssl} if getattr(server, "ssl", None) else {}),  # wss:// to a private CA
        )
        self.reader = asyncio.ensure_future(self._read())
        return self

    async def _read(self):
        try:
            async for message in self.ws:
                frame = json.loads(message)
                if frame.get("type") == "events" and self.bundle:
                    self.frames.extend(frame["events"])
                    self.arrived.extend([time.monotonic()] * len(frame["events"]))
                    self.bundles += 1
                else:
                    self.frames.append(frame)
                    self.arrived.append(time.monotonic())
                self.changed.set()
        except ConnectionClosed:
            pass
        finally:
            self.changed.set()

    async def wait_for(self, predicate, timeout=10, start=0):
        """The first frame from index ``start`` on that matches; TimeoutError after ``timeout``."""
        deadline = asyncio.get_running_loop().time() + timeout
        index = start
        while True:
            while index < len(self.frames):
                frame = self.frames[index]
                index += 1
                if predicate(frame):
                    return frame
            if self.reader.done():
                raise ConnectionError(f"{self.name}: socket closed while waiting")
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise TimeoutError(f"{self.name}: no matching frame within {timeout}s")
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), remaining)

    async def send(self, type_, command_id=None, **fields):
        command_id = command_id or f"{self.name}-{next(_ids)}"
        await self.ws.send(json.dumps({"type": type_, "id": command_id, **fields}))
        return command_id

    async def reply(self, command_id, timeout=10):
        return await self.wait_for(lambda f: f.get("type") in ("ack", "error") and f.get("id") == command_id, timeout)

    async def command(self, type_, timeout=10, **fields):
        return await self.reply(await self.send(type_, **fields), timeout)

    def events(self):
        return [f for f in self.frames if f.get("type") == "event"]

    def last_seq(self):
        seqs = [f["seq"] for f in self.frames if f.get("type") in ("event", "snapshot")]
        return max(seqs, default=0)

    async def close(self):
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            try:
                await asyncio.wait_for(self.reader, 5)
            except (TimeoutError, asyncio.CancelledError):
                self.reader.cancel()
