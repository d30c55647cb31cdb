"""Redis blinks for one set of workers: the link between two Daphne processes and Redis is
cut for 4 seconds (a TCP proxy that this test starts and stops; the shared Redis server
itself is never touched), while citizens cast access-code ballots (through both servers),
ballots in an open consultation, join a workshop and sign in.

Every request either succeeds or gets a 503 with Retry-After (JSON for the API, HTML for
pages); none gets a 500. Rate limits and lockouts are skipped while the cache is away
(participation.security.cached), so in fact every request succeeds. Each acknowledged
ballot is in the box exactly once.
"""

import asyncio
import contextlib
import json
import os
import socket
import threading
import time
from urllib.parse import urlparse

import aiohttp
import pytest

from tests.workshops.live_site import Server, free_port, manage

from .faults import close_site, new_site, query, require_postgres, require_redis

pytestmark = pytest.mark.slow

BEFORE, OUTAGE, AFTER = 1.5, 4.0, 2.0
LOOPS_PER_KIND = 3
MAX_ATTEMPTS = 20
CODES = 400


class BlinkingProxy:
    """A TCP proxy on 127.0.0.1 to an upstream host and port. ``cut()`` closes its listening
    socket and every connection through it (clients see their connections drop and new ones
    refused, as when Redis or the network is gone); ``restore()`` listens again on the same port."""

    def __init__(self, upstream):
        self.upstream = upstream
        self.port = free_port()
        self.listener = None
        self.links = set()
        self.lock = threading.Lock()
        self.accepted = 0

    def restore(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(256)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                server = socket.create_connection(self.upstream, timeout=2)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.links.update((client, server))
                self.accepted += 1
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source, target):
        try:
            while chunk := source.recv(65536):
                target.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                self._close(sock)

    def _close(self, sock):
        with self.lock:
            self.links.discard(sock)
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()

    def cut(self):
        self.listener.close()
        with self.lock:
            links = list(self.links)
        for sock in links:
            self._close(sock)

    def stop(self):
        self.cut()


OPEN_SCRIPT = """
import json, uuid
from participation.models import Measure, Process, User
from voting import actions
process = Process.objects.get(slug='live-test')
facilitator = User.objects.get(username='moderation')
measures = [Measure.objects.create(process=process, title=f'Offen {n}', slug=f'offen-{n}-{uuid.uuid4().hex[:8]}')
            for n in range(3)]
data = {'title': 'Offen für alle', 'method': 'approval', 'eligibility': 'open',
        'options': [m.pk for m in measures], 'settings': {}}
c = actions.create_consultation(facilitator, process, data)
actions.open_consultation(facilitator, c)
User.objects.create_user(username='buergerin', password='Wabe-Kessel-4711', email_verified=True)
print(json.dumps({'id': c.pk, 'options': [m.pk for m in measures]}))
"""


@pytest.fixture(scope="module")
def blinking_site():
    require_postgres()
    require_redis()
    shared = urlparse(os.environ["REDIS_URL"])
    proxy = BlinkingProxy((shared.hostname or "127.0.0.1", shared.port or 6379)).restore()
    database = shared.path or "/0"
    try:
        site = new_site(names=("lane",), redis_url=f"redis://127.0.0.1:{proxy.port}{database}")
    except BaseException:
        proxy.stop()
        raise
    try:
        django_path = Server("django", site.env, site.workdir)
        site.servers.append(django_path)
        django_path.start().wait_ready()
        from .faults import open_consultation

        site.codes = open_consultation(site, method="approval", options=3, codes=CODES)
        site.open = json.loads(manage(site.env, "shell", "-c", OPEN_SCRIPT).strip().splitlines()[-1])
        site.workshop = site.create_workshop(site.servers[0])
    except BaseException:
        close_site(site)
        proxy.stop()
        raise
    site.proxy = proxy
    yield site
    close_site(site)
    proxy.stop()


class Traffic:
    """Requests of every kind in loops until told to stop; every answer is kept."""

    def __init__(self, site, clock):
        self.site = site
        self.clock = clock
        self.answers = []  # (kind, phase, status, content type, retry-after)
        self.acknowledged = {"lane": set(), "django": set(), "open": 0, "join": 0, "login": 0}
        self.codes = list(site.codes["codes"])
        self.stopping = False
        self.failed = []

    def phase(self):
        return self.clock()

    async def _send(self, session, kind, method, url, **kwargs):
        """The request again while it gets a retryable 503, as a client should."""
        for _ in range(MAX_ATTEMPTS):
            phase = self.phase()
            async with session.request(method, url, allow_redirects=False, **kwargs) as response:
                body = await response.read()
                kind_of = response.headers.get("Content-Type", "")
                self.answers.append((kind, phase, response.status, kind_of, response.headers.get("Retry-After")))
                if response.status != 503:
                    return response.status, body
            await asyncio.sleep(float(response.headers.get("Retry-After") or 1) / 5)
        self.failed.append((kind, "still 503"))
        return 503, body

    async def ballots(self, server, kind):
        c = self.site.codes
        url = f"{server.base}/api/consultations/{c['id']}/ballot"
        async with aiohttp.ClientSession() as session:
            while not self.stopping and self.codes:
                code = self.codes.pop()
                status, body = await self._send(
                    session, kind, "PUT", url, json={"access_code": code, "ballot": {"approve": [c["options"][0]]}}
                )
                if status in (200, 201):
                    self.acknowledged[kind].add(code)
                else:
                    self.failed.append((kind, status, body[:200]))

    async def open_ballots(self, server):
        o = self.site.open
        url = f"{server.base}/api/consultations/{o['id']}/ballot"
        while not self.stopping:
            async with aiohttp.ClientSession() as session:  # a new browser each time
                status, body = await self._send(
                    session, "open", "PUT", url, json={"ballot": {"approve": o["options"][:1]}}
                )
            if status == 201:
                self.acknowledged["open"] += 1
            else:
                self.failed.append(("open", status, body[:200]))

    async def joins(self, server):
        url = f"{server.base}/api/workshops/{self.site.workshop}/join"
        async with aiohttp.ClientSession() as session:
            while not self.stopping:
                status, body = await self._send(session, "join", "POST", url, json={"display_name": "Ada"})
                if status == 201:
                    self.acknowledged["join"] += 1
                else:
                    self.failed.append(("join", status, body[:200]))

    async def logins(self, server):
        url = f"{server.base}/konto/anmelden/"
        while not self.stopping:
            async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
                status, body = await self._send(session, "login page", "GET", url)
                token = next((c.value for c in session.cookie_jar if c.key == "csrftoken"), None)
                if status != 200 or token is None:
                    self.failed.append(("login page", status, body[:200]))
                    continue
                form = {"username": "buergerin", "password": "Wabe-Kessel-4711", "csrfmiddlewaretoken": token}
                status, body = await self._send(session, "login", "POST", url, data=form)
            if status == 302:
                self.acknowledged["login"] += 1
            else:
                self.failed.append(("login", status, body[:200]))


async def test_one_worker_pair_loses_redis_for_four_seconds_and_nobody_notices(blinking_site):
    site = blinking_site
    lane, django_path = site.servers
    started = time.monotonic()
    cut_at = started + BEFORE
    restored_at = cut_at + OUTAGE

    def clock():
        now = time.monotonic()
        return "before" if now < cut_at else "outage" if now < restored_at else "after"

    traffic = Traffic(site, clock)
    loops = []
    for _ in range(LOOPS_PER_KIND):
        loops += [
            traffic.ballots(lane, "lane"),
            traffic.ballots(django_path, "django"),
            traffic.open_ballots(lane),
            traffic.joins(django_path),
            traffic.logins(lane),
        ]
    tasks = [asyncio.ensure_future(loop) for loop in loops]
    try:
        await asyncio.sleep(BEFORE)
        await asyncio.to_thread(site.proxy.cut)
        await asyncio.sleep(OUTAGE)
        await asyncio.to_thread(site.proxy.restore)
        await asyncio.sleep(AFTER)
    finally:
        traffic.stopping = True
        await asyncio.wait_for(asyncio.gather(*tasks), 60)

    answers = traffic.answers
    statuses = {}
    for kind, phase, status, _type, _retry in answers:
        statuses.setdefault((kind, phase), {}).setdefault(status, 0)
        statuses[(kind, phase)][status] += 1
    print(
        f"\nFIGURES redis_blink outage_s={OUTAGE} requests={len(answers)} "
        f"lane={len(traffic.acknowledged['lane'])} django={len(traffic.acknowledged['django'])} "
        f"open={traffic.acknowledged['open']} joins={traffic.acknowledged['join']} "
        f"logins={traffic.acknowledged['login']} "
        f"status_503={sum(1 for a in answers if a[2] == 503)} "
        f"during_outage={sum(1 for a in answers if a[1] == 'outage')} "
        f"by_kind_and_phase={json.dumps({f'{k}/{p}': v for (k, p), v in sorted(statuses.items())})}"
    )
    errors = [a for a in answers if a[2] >= 500 and a[2] != 503]
    assert not errors, errors[:5]
    for kind, _phase, status, content_type, retry_after in answers:
        if status == 503:
            assert retry_after and int(retry_after) > 0, kind
            wanted = "text/html" if kind.startswith("login") else "application/json"
            assert content_type.startswith(wanted), (kind, content_type)
    assert not traffic.failed, traffic.failed[:5]
    # Every kind was really tried while Redis was away, and the servers noticed.
    for kind, least in (("lane", 3), ("django", 3), ("open", 3), ("join", 3), ("login", 1)):  # a login hashes
        assert sum(statuses.get((kind, "outage"), {}).values()) >= least, (kind, statuses)
    logs = [server.log_path.read_text(errors="replace") for server in site.servers]
    assert all("cache unreachable" in log for log in logs), "a server did not see the outage"

    # Every acknowledged ballot is in the box, once.
    c, o = site.codes, site.open
    acknowledged = traffic.acknowledged["lane"] | traffic.acknowledged["django"]
    assert not traffic.acknowledged["lane"] & traffic.acknowledged["django"]
    ((box,),) = await asyncio.to_thread(
        query, site, "SELECT count(*) FROM voting_ballot WHERE consultation_id = %s", [c["id"]]
    )
    ((register,),) = await asyncio.to_thread(
        query, site, "SELECT count(*) FROM voting_voterrecord WHERE consultation_id = %s", [c["id"]]
    )
    assert box == register == len(acknowledged)
    ((open_box,),) = await asyncio.to_thread(
        query, site, "SELECT count(*) FROM voting_ballot WHERE consultation_id = %s", [o["id"]]
    )
    assert open_box == traffic.acknowledged["open"]
