"""Several hosts behind a load balancer (deploy/netns_topology.py: HAProxy, two application
hosts, PostgreSQL primary and replica, Redis under three Sentinels, each in its own network
namespace), and what a participant notices when one part is lost.

Every participant talks only to the load balancer, over TLS, and behaves as the browser
does (frontend/static/js/workshop-client.js): when the socket drops it reconnects, takes
the fresh snapshot and sends again, under the same ids, what had no ack. Every
acknowledged card, live vote and ballot is then counted: on every participant's board, in
the tally everyone sees, and in the database, each exactly once.

    sudo .venv/bin/python -m pytest tests/reliability/test_multi_host.py -s   # root: ip netns
"""

import asyncio
import itertools
import json
import os
import signal
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from websockets.exceptions import ConnectionClosed, InvalidHandshake

from deploy.netns_topology import APP_HOSTS, NetnsTopology, free_subnet, missing_tools, run
from tests.readme_walk import inside_walk
from tests.workshops.live_site import LiveClient

from .board import Board, latest_tally, wait_until

pytestmark = pytest.mark.slow

PARTICIPANTS = 24
ROUNDS = 4  # at least; the burst goes on until the fault has passed
ROUND_PAUSE = 0.2
VOTERS = 400
BALLOT_THREADS = 6
BUSY_SECONDS = 3.0  # under the check's 5 s for an answer (deploy/haproxy.cfg)

SETUP_SCRIPT = """
import json
from decimal import Decimal
from participation.models import Measure, Process
process = Process.objects.create(title='Digitalisierung', slug='viele-hosts', published=True)
options = [Measure.objects.create(process=process, title=f'Maßnahme {n}', slug=f'massnahme-{n}', summary='Kurz',
                                  estimated_cost=Decimal(1000)).pk for n in range(3)]
print(json.dumps({'process': process.pk, 'options': options}))
"""

CONSULTATION_SCRIPT = """
import json
from participation.models import Process, User
from voting import actions
process = Process.objects.get(slug='viele-hosts')
facilitator = User.objects.get(username='moderation')
data = {'title': TITLE, 'method': 'approval', 'eligibility': 'access_code', 'options': OPTIONS}
consultation = actions.open_consultation(facilitator, actions.create_consultation(facilitator, process, data))
codes, _batch = actions.generate_access_codes(facilitator, consultation, VOTERS)
print(json.dumps({'id': consultation.pk, 'codes': codes}))
"""


PUT_FROM_ELSEWHERE = """
import ssl, sys, urllib.error, urllib.request
url, cafile, body = sys.argv[1:]
request = urllib.request.Request(url, data=body.encode(), method="PUT", headers={"Content-Type": "application/json"})
try:
    print(urllib.request.urlopen(request, timeout=15, context=ssl.create_default_context(cafile=cafile)).status)
except urllib.error.HTTPError as error:
    print(error.code)
"""


def manage(topology, *args):
    from tests.workshops.live_site import BASE_DIR

    return run(sys.executable, BASE_DIR / "manage.py", *args, env=topology.env, timeout=120)


def last_json(output):
    return json.loads(output.strip().splitlines()[-1])


class Lb:
    """The site as its users reach it: https://<load balancer>, with the topology's CA."""

    def __init__(self, topology):
        self.topology = topology
        self.base = self.origin = topology.origin
        self.ssl = topology.ssl_context()

    def ws_url(self, code, ticket):
        return f"wss://{self.topology.address('lb')}/ws/workshops/{code}/?ticket={ticket}"

    def call(self, method, path, body=None, token=None, timeout=15):
        """(status, JSON) of one REST call; status 0 when no answer came."""
        request = urllib.request.Request(  # noqa: S310 (https to our load balancer)
            self.base + path, data=None if body is None else json.dumps(body).encode(), method=method
        )
        request.add_header("Accept", "application/json")
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Token {token}")
        try:
            with urllib.request.urlopen(request, timeout=timeout, context=self.ssl) as response:  # noqa: S310
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            raw = error.read()
            try:
                return error.code, json.loads(raw)
            except ValueError:
                return error.code, raw[:200]
        except OSError as error:  # cut off, reset, timed out
            return 0, str(error)

    def page(self, path, timeout=10):
        request = urllib.request.Request(self.base + path)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=timeout, context=self.ssl) as response:  # noqa: S310
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return 0


@pytest.fixture(scope="module")
def topology():
    missing = missing_tools()
    if missing:
        pytest.skip(f"the multi-host topology needs {', '.join(missing)} (.ci/run runs as root and installs haproxy)")
    if inside_walk():
        pytest.skip("the README walk's own `make test` runs beside the suite, which builds this topology already")
    # Names and addresses of this run's own: another run on the machine keeps its own.
    site = NetnsTopology(prefix=f"t{os.getpid() % 10000}", subnet=free_subnet())
    site.up()
    try:
        site.setup = last_json(manage(site, "shell", "-c", SETUP_SCRIPT))
        out = manage(
            site, "create_facilitator", "moderation", "--password", "Wabe-Kessel-4711", "--process", "viele-hosts"
        )
        site.token = out.strip().splitlines()[-1].strip()
        yield site
    finally:
        site.down()


def query(topology, sql, params=()):
    """Rows from the primary, as the auditor counts them."""
    import psycopg

    with psycopg.connect(topology.database_url.replace("postgres://", "postgresql://", 1)) as conn:
        return conn.execute(sql, params).fetchall()


_ids = itertools.count(1)


class Participant:
    """An expert's screen: acts, waits for the ack, and on a dropped socket reconnects
    through the load balancer and sends the same command again."""

    def __init__(self, lb, code, name, joined):
        self.lb, self.code = lb, code
        self.client = LiveClient(name, joined["ticket"], joined["participant"], bundle=True)
        self.keeper = None
        self.longest_silence = 0.0  # seconds without a live event while the fault lasted
        self.reconnects = 0
        self.longest_wait = 0.0  # seconds from sending to the ack, the worst one
        self.cards = []  # texts acknowledged
        self.vote = None  # the last acknowledged choice

    @property
    def name(self):
        return self.client.name

    async def connect(self, deadline=60):
        give_up = time.monotonic() + deadline
        while True:
            start = len(self.client.frames)
            try:
                await self.client.connect(self.lb, self.code, timeout=5)
                await self.client.wait_for(lambda f: f["type"] == "snapshot", timeout=10, start=start)
                return
            except (OSError, TimeoutError, ConnectionError, ConnectionClosed, InvalidHandshake):
                if time.monotonic() > give_up:
                    raise
                await asyncio.sleep(0.2)

    async def join(self):
        """Connect, and from then on reconnect whenever the socket drops, as the browser does."""
        await self.connect()
        self.keeper = asyncio.ensure_future(self._keep())
        return self

    async def _keep(self):
        while True:
            await asyncio.wait([self.client.reader])
            self.reconnects += 1
            await self.connect()

    async def leave(self):
        if self.keeper is not None:
            self.keeper.cancel()
        await self.client.close()

    async def online(self, timeout=60):
        deadline = time.monotonic() + timeout
        while self.client.reader.done():
            assert time.monotonic() < deadline, f"{self.name} stayed offline"
            await asyncio.sleep(0.05)

    async def act(self, type_, **fields):
        command_id = f"{self.name}-{next(_ids)}"
        sent = time.monotonic()
        while True:
            await self.online()
            try:
                await self.client.send(type_, command_id=command_id, **fields)
                reply = await self.client.reply(command_id, timeout=45)
            except (ConnectionClosed, ConnectionError):
                continue  # the same id again on the next socket: applied once at most
            except TimeoutError:
                # What holds it up: a lock a vanished host took, a stuck server?
                activity = await asyncio.to_thread(
                    query,
                    self.lb.topology,
                    "SELECT client_addr, state, wait_event, left(query, 60), now() - xact_start"
                    " FROM pg_stat_activity WHERE datname = 'participation'",
                )
                raise AssertionError(
                    f"{self.name}: no ack for {type_} {command_id} (reconnects {self.reconnects}, "
                    f"last frames {self.client.frames[-3:]})\n{activity}\n"
                    f"{self.lb.topology.log_tails(['daphne', 'haproxy'])}"
                ) from None
            assert reply["type"] == "ack", reply
            self.longest_wait = max(self.longest_wait, time.monotonic() - sent)
            return reply


class Ballots:
    """Voters with access codes putting their ballots through the load balancer from
    threads, as fast as they get answers; a voter without an answer tries again (the same
    ballot again is answered with the same receipt, never counted twice)."""

    def __init__(self, lb, consultation, options, codes, pause=0.1):
        self.lb, self.consultation, self.options = lb, consultation, options
        self.pause = pause  # between one voter's answer and the next voter, per thread
        self.codes = list(codes)
        self.receipts = {}  # code: acknowledged receipt
        self.retries = 0
        self.failures = []
        self.lock = threading.Lock()
        self.threads = []

    def _vote(self, codes):
        for n, code in enumerate(codes):
            body = {"access_code": code, "ballot": {"approve": self.options[: 1 + n % len(self.options)]}}
            deadline = time.monotonic() + 60
            while True:
                status, answer = self.lb.call("PUT", f"/api/consultations/{self.consultation}/ballot", body)
                if status in (200, 201):
                    with self.lock:
                        self.receipts[code] = answer["receipt"]
                    time.sleep(self.pause)
                    break
                with self.lock:
                    self.retries += 1
                if status not in (0, 502, 503, 504) or time.monotonic() > deadline:
                    with self.lock:
                        self.failures.append((code, status, answer))
                    break
                time.sleep(0.2)

    def start(self):
        for k in range(BALLOT_THREADS):
            thread = threading.Thread(target=self._vote, args=(self.codes[k::BALLOT_THREADS],), daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def acknowledged(self):
        with self.lock:
            return len(self.receipts)

    def join(self, timeout=120):
        for thread in self.threads:
            thread.join(timeout)
        assert not any(t.is_alive() for t in self.threads), "ballots still hanging"
        assert not self.failures, self.failures[:5]

    def assert_counted_once(self, topology):
        stored = query(topology, "SELECT receipt FROM voting_ballot WHERE consultation_id = %s", [self.consultation])
        assert sorted(r for (r,) in stored) == sorted(self.receipts.values())
        voters = query(
            topology, "SELECT count(*) FROM voting_voterrecord WHERE consultation_id = %s", [self.consultation]
        )
        assert voters == [(len(self.codes),)]


async def open_workshop(topology, lb, label):
    status, workshop = await asyncio.to_thread(
        lb.call, "POST", "/api/workshops/", {"process": topology.setup["process"], "title": label}, topology.token
    )
    assert status == 201, workshop
    code = workshop["code"]
    status, joined = await asyncio.to_thread(
        lb.call, "POST", f"/api/workshops/{code}/join", {"display_name": "Moderation"}, topology.token
    )
    assert status == 201, joined
    facilitator = await Participant(lb, code, "Moderation", joined).join()
    await facilitator.act("poll.create", question="Was zuerst?", kind="single", options=["Radwege", "WLAN", "Ämter"])
    poll = (await facilitator.client.wait_for(lambda f: f.get("name") == "poll.created"))["data"]
    await facilitator.act("poll.open", poll=poll["id"])

    async def join(n):
        status, body = await asyncio.to_thread(
            lb.call, "POST", f"/api/workshops/{code}/join", {"display_name": f"Expertin {n}"}
        )
        assert status == 201, body
        return await Participant(lb, code, f"Expertin {n}", body).join()

    experts = await asyncio.gather(*(join(n) for n in range(PARTICIPANTS)))
    return code, facilitator, poll, experts


def sessions_per_host(topology):
    """Open WebSockets per application host, as HAProxy counts them."""
    stats = topology.server_stats().items()
    return {host: int(row["scur"]) for (backend, host), row in stats if backend == "websockets"}


async def burst(experts, poll, label, done):
    """Every expert at once, round after round until ``done`` is set (ROUNDS at least): a
    card and a changed live vote, each acknowledged."""
    options = [o["id"] for o in poll["options"]]

    async def one(n, expert):
        k = 0
        while k < ROUNDS or not done.is_set():
            text = f"{expert.name}: {label} {k}"
            await expert.act("card.add", text=text)
            expert.cards.append(text)
            choice = options[(n + k) % len(options)]
            await expert.act("poll.vote", poll=poll["id"], choice=choice)
            expert.vote = choice
            k += 1
            await asyncio.sleep(ROUND_PAUSE)

    await asyncio.gather(*(one(n, e) for n, e in enumerate(experts)))


def acked(experts):
    return sum(sum(1 for f in e.client.frames if f.get("type") == "ack") for e in experts)


async def assert_every_board_agrees(topology, code, poll, facilitator, experts):
    """Each acknowledged card once on every board and in the database; every expert's last
    vote once in the database and in the tally every screen shows."""
    everyone = [facilitator, *experts]
    wanted = sorted(text for e in experts for text in e.cards)
    rows = await asyncio.to_thread(
        query,
        topology,
        "SELECT c.text FROM workshops_card c JOIN workshops_workshop w ON w.id = c.workshop_id WHERE w.code = %s",
        [code],
    )
    assert sorted(t for (t,) in rows) == wanted
    sql = "SELECT last_seq FROM workshops_workshop WHERE code = %s"
    [(last,)] = await asyncio.to_thread(query, topology, sql, [code])
    assert await wait_until(lambda: all(Board.of(p.client.frames).seq == last for p in everyone), 30), {
        p.name: Board.of(p.client.frames).seq for p in everyone if Board.of(p.client.frames).seq != last
    }
    for participant in everyone:
        board = Board.of(participant.client.frames)
        assert board.texts() == wanted, participant.name
        assert board.repeated == 0 and board.gaps == 0, (participant.name, board.repeated, board.gaps)

    stored = await asyncio.to_thread(
        query, topology, "SELECT participant_id, choice FROM workshops_pollvote WHERE poll_id = %s", [poll["id"]]
    )
    assert {p: json.loads(c) if isinstance(c, str) else c for p, c in stored} == {
        e.client.participant: e.vote for e in experts
    }
    options = [o["id"] for o in poll["options"]]
    expected = (len(experts), [sum(1 for e in experts if e.vote == o) for o in options])
    assert await wait_until(lambda: all(latest_tally(p.client.frames, poll["id"]) == expected for p in everyone), 20), [
        latest_tally(p.client.frames, poll["id"]) for p in everyone
    ][:4]


def open_ballots(topology, lb, title, pause):
    script = (
        CONSULTATION_SCRIPT.replace("TITLE", repr(title))
        .replace("OPTIONS", repr(topology.setup["options"]))
        .replace("VOTERS", str(VOTERS))
    )
    made = last_json(manage(topology, "shell", "-c", script))
    return Ballots(lb, made["id"], topology.setup["options"], made["codes"], pause)


async def under_fault(topology, label, fault, ballot_pause=0.05):
    """A live workshop with participants on both hosts and a consultation taking ballots,
    both busy when ``fault`` (run in a thread) strikes and until it has passed; then every
    acknowledged action is counted. Returns what ``fault`` returned, the experts, the
    ballots and the seconds from the fault until the last expert was done."""
    lb = Lb(topology)
    code, facilitator, poll, experts = await open_workshop(topology, lb, label)
    everyone = [facilitator, *experts]
    try:
        spread = await asyncio.to_thread(sessions_per_host, topology)
        assert all(spread[h] > 0 for h in APP_HOSTS), spread  # participants on both hosts
        ballots = await asyncio.to_thread(open_ballots, topology, lb, label, ballot_pause)
        done = asyncio.Event()
        working = asyncio.ensure_future(burst(experts, poll, "Idee", done))
        assert await wait_until(lambda: acked(experts) >= PARTICIPANTS * 4, 60, 0.005)
        ballots.start()
        assert await wait_until(lambda: ballots.acknowledged() >= VOTERS // 10, 60, 0.005)
        started = time.monotonic()
        outcome = await asyncio.to_thread(fault)
        done.set()
        await working
        finished = time.monotonic() - started
        for expert in experts:
            expert.longest_silence = longest_silence(expert.client, started - 1, started + finished)
        await asyncio.to_thread(ballots.join)
        await assert_every_board_agrees(topology, code, poll, facilitator, experts)
        await asyncio.to_thread(ballots.assert_counted_once, topology)
        return outcome, experts, ballots, finished
    finally:
        await asyncio.gather(*(p.leave() for p in everyone), return_exceptions=True)


def longest_silence(client, start, end):
    """The longest time between ``start`` and ``end`` in which no live event arrived."""
    arrivals = zip(client.frames, client.arrived, strict=True)
    times = [t for f, t in arrivals if f["type"] == "event" and start <= t <= end]
    edges = [start, *times, end]
    return max(later - earlier for earlier, later in itertools.pairwise(edges))


def figures(name, experts, ballots, **measured):
    cards = sum(len(e.cards) for e in experts)
    shown = " ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in measured.items())
    print(
        f"\nFIGURES {name} participants={PARTICIPANTS} cards={cards} votes={cards} ballots={len(ballots.receipts)} "
        f"ballot_retries={ballots.retries} reconnected={sum(1 for e in experts if e.reconnects)} "
        f"longest_ack_wait_s={max(e.longest_wait for e in experts):.2f} "
        f"longest_silence_s={max(e.longest_silence for e in experts):.2f} {shown}"
    )


def watch_down(topology, host, since, limit=20):
    """Seconds from ``since`` until HAProxy marks ``host`` down in each backend."""
    marked = {}
    while time.monotonic() - since < limit and len(marked) < 2:
        for (backend, server), state in topology.server_states().items():
            if server == host and state.startswith("DOWN") and backend not in marked:
                marked[backend] = time.monotonic() - since
        time.sleep(0.02)
    return marked


async def test_an_application_host_cut_off_mid_burst_loses_nothing(topology):
    def cut():
        at = time.monotonic()
        topology.cut("app1")
        return watch_down(topology, "app1", at)

    try:
        marked_down, experts, ballots, finished = await under_fault(topology, "Host weg", cut)
    finally:
        await asyncio.to_thread(topology.heal, "app1")
        await asyncio.to_thread(topology.wait_balanced, 60)
    assert set(marked_down) == {"web", "websockets"}, marked_down
    assert max(marked_down.values()) < 5, marked_down  # the balancer stops sending there within seconds
    victims = [e for e in experts if e.reconnects]
    assert victims and len(victims) < PARTICIPANTS  # the cut host's participants came back through app2
    assert ballots.retries > 0  # ballots in flight to the cut host had no answer and were sent again
    figures("multi_host_cut", experts, ballots, marked_down_s=max(marked_down.values()), burst_done_s=finished)


async def test_a_host_too_busy_to_answer_its_checks_at_once_keeps_its_participants(topology):
    """A Daphne fanning a big vote burst out answers the load balancer's checks late, but it
    has not failed: its participants must not be cut off. Stopped for 3 s (SIGSTOP: the
    kernel still accepts the check's connection, the answer comes when it runs again), app1
    is not marked down, no participant reconnects, and everything is counted."""
    daphne = topology.processes[("app1", "daphne")]

    def busy():
        at = time.monotonic()
        os.kill(daphne.pid, signal.SIGSTOP)
        try:
            time.sleep(BUSY_SECONDS)
        finally:
            os.kill(daphne.pid, signal.SIGCONT)
        # Checks that waited for the paused process are answered now; look on for a while.
        marked = watch_down(topology, "app1", at, limit=BUSY_SECONDS + 3)
        return marked, topology.server_states()

    (marked_down, states), experts, ballots, finished = await under_fault(topology, "Viel los", busy)
    assert marked_down == {}, marked_down
    assert all(state.startswith("UP") for state in states.values()), states
    assert [e.name for e in experts if e.reconnects] == []
    # The pause was felt (acks from app1 waited for it), and nothing was lost.
    assert max(e.longest_wait for e in experts) >= BUSY_SECONDS - 0.5
    figures("multi_host_busy", experts, ballots, paused_s=BUSY_SECONDS, burst_done_s=finished)


async def test_the_redis_primary_lost_pauses_the_workshop_and_loses_nothing(topology):
    old = topology.redis_primary()

    def kill_primary():
        at = time.monotonic()
        topology.kill_redis(old)
        while topology.redis_primary() in (None, old):
            assert time.monotonic() - at < 30, topology.sentinel_views()
            time.sleep(0.05)
        return time.monotonic() - at

    try:
        promoted, experts, ballots, finished = await under_fault(topology, "Redis weg", kill_primary)
    finally:
        await asyncio.to_thread(topology.restart_redis, old)
    figures("multi_host_redis", experts, ballots, promoted_s=promoted, burst_done_s=finished)


async def test_pages_keep_answering_while_the_replica_is_lost_and_back(topology):
    from django.urls import reverse

    lb = Lb(topology)
    pages = [reverse(n) for n in ("pages:home", "pages:measures", "results:list", "api:measure-list")]
    answers = []  # (status, seconds)

    def read_for(seconds):
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            for page in pages:
                started = time.monotonic()
                answers.append((lb.page(page), time.monotonic() - started))

    def replica_reads():
        sql = "SELECT xact_commit FROM pg_stat_database WHERE datname = 'participation'"
        import psycopg

        with psycopg.connect(topology.replica_url.replace("postgres://", "postgresql://", 1)) as conn:
            return conn.execute(sql).fetchone()[0]

    before = await asyncio.to_thread(replica_reads)
    await asyncio.to_thread(read_for, 3)
    assert await asyncio.to_thread(replica_reads) > before + 10  # the pages were read on the replica
    await asyncio.to_thread(topology.cut, "db2")
    try:
        await asyncio.to_thread(read_for, 8)
    finally:
        await asyncio.to_thread(topology.heal, "db2")
    during = answers[:]
    await asyncio.to_thread(time.sleep, 2)  # the once-a-second probe finds it again
    back = await asyncio.to_thread(replica_reads)
    await asyncio.to_thread(read_for, 3)
    assert await asyncio.to_thread(replica_reads) > back + 10  # and reads go there again
    assert [s for s, _t in answers if s != 200] == []
    print(
        f"\nFIGURES multi_host_replica pages={len(answers)} during_cut={len(during)} "
        f"slowest_s={max(t for _s, t in answers):.2f} all_200=True"
    )


async def test_a_rolling_restart_of_every_application_host_loses_nothing(topology):
    def rolling_restart():
        took = {}
        for host in APP_HOSTS:
            at = time.monotonic()
            topology.set_state(host, "drain")
            time.sleep(1)  # requests under way finish; new ones go to the other host
            topology.stop_app(host)
            topology.start_app(host)
            topology.set_state(host, "ready")
            topology.wait_balanced(60)
            took[host] = time.monotonic() - at
        return took

    took, experts, ballots, finished = await under_fault(topology, "Neustart", rolling_restart, ballot_pause=0.3)
    # Every participant was moved once at least (both hosts restarted), and no ballot saw an error.
    assert all(e.reconnects >= 1 for e in experts), [e.reconnects for e in experts]
    assert ballots.retries == 0, ballots.retries
    figures("multi_host_rolling", experts, ballots, restart_s=sum(took.values()), burst_done_s=finished)


def test_the_balancer_passes_on_each_client_address_and_a_forged_one_changes_nothing(topology):
    # Wrong access codes lock out the network they come from (voting/actions.py): the app
    # hosts must see the client's address, not the balancer's, and not what a client claims.
    from voting.actions import FAILED_ATTEMPTS_LIMIT

    lb = Lb(topology)
    ballots = open_ballots(topology, lb, "Falsche Codes", 0)
    path = f"/api/consultations/{ballots.consultation}/ballot"

    def put(code, forged=None):
        body = json.dumps({"access_code": code, "ballot": {"approve": ballots.options[:1]}}).encode()
        request = urllib.request.Request(lb.base + path, data=body, method="PUT")  # noqa: S310
        request.add_header("Content-Type", "application/json")
        if forged:
            request.add_header("X-Forwarded-For", forged)
        try:
            with urllib.request.urlopen(request, timeout=15, context=lb.ssl) as response:  # noqa: S310
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    answers = [put(f"FALSCH-{n:04d}") for n in range(FAILED_ATTEMPTS_LIMIT)]
    assert set(answers) == {403}, sorted(set(answers))
    assert put("FALSCH-X") == 429  # this client is slowed down now
    assert put("FALSCH-Y", forged="203.0.113.9") == 429  # claiming another address does not help
    # Another machine behind the same balancer (the db1 namespace) is not.
    other = run(
        *("ip", "netns", "exec", topology.namespace("db1"), sys.executable, "-c", PUT_FROM_ELSEWHERE),
        *(lb.base + path, topology.workdir / "tls" / "cert.pem"),
        json.dumps({"access_code": "FALSCH-Z", "ballot": {"approve": ballots.options[:1]}}),
        check=False,
    ).strip()
    assert other == "403", other
    assert put(ballots.codes[0]) == 201  # and a right code still counts
