"""PostgreSQL connections are killed (pg_terminate_backend) while citizens cast ballots
over HTTP against a real Daphne server.

A voter whose request lost its connection gets a JSON 503 with ``retry: true`` and a
Retry-After header, never an HTML 500 (the server without a pool); with a pool, which
tests a connection before handing it out, the voter mostly sees no error at all. Either
way sending the same request again counts the ballot exactly once, and once the faults
stop, the server answers normally at once (the dead connections were thrown away, not
reused).
"""

import asyncio
import threading

import aiohttp
import pytest

from .faults import open_consultation, query, require_postgres, terminate_backends

pytestmark = pytest.mark.slow

VOTERS = 400
CONCURRENCY = 15
MAX_ATTEMPTS = 30
BURSTS = 5


@pytest.fixture(params=["pooled", "unpooled"])
def site(request):
    require_postgres()
    return request.getfixturevalue("live_pair" if request.param == "pooled" else "unpooled_server")


class Terminator(threading.Thread):
    """Ends every backend of the servers' database, ``bursts`` times, ``every`` seconds apart:
    a database failover or restart, several times over, while ballots come in."""

    def __init__(self, site, bursts=BURSTS, every=0.15):
        super().__init__(daemon=True)
        self.admin_url = site.database.admin_url
        self.database = site.database.name
        self.bursts = bursts
        self.every = every
        self.stopped = threading.Event()
        self.terminated = 0
        self.done = 0

    def run(self):
        while self.done < self.bursts and not self.stopped.wait(self.every):
            self.terminated += terminate_backends(self.admin_url, self.database)
            self.done += 1

    def stop(self):
        self.stopped.set()
        self.join(10)


async def cast_until_acknowledged(session, url, code, ballot, seen):
    """The same request again on a retryable answer, as a client should; every answer is kept."""
    for _attempt in range(MAX_ATTEMPTS):
        async with session.put(url, json={"ballot": ballot}, headers={"X-Access-Code": code}) as response:
            kind = response.headers.get("Content-Type", "")
            body = await response.json() if "json" in kind else await response.text()
            seen.append((response.status, kind, response.headers.get("Retry-After"), body))
            if response.status in (200, 201):
                return body
            if response.status == 503 and isinstance(body, dict) and body.get("retry") is True:
                await asyncio.sleep(float(response.headers.get("Retry-After", "1")) / 20)
                continue
            return None
    return None


async def test_terminated_connections_give_a_retryable_error_and_the_retry_counts_once(site):
    server = site.servers[0]
    consultation = await asyncio.to_thread(open_consultation, site, "approval", 4, VOTERS)
    options = consultation["options"]
    url = f"{server.base}/api/consultations/{consultation['id']}/ballot"
    ballots = {
        code: {"approve": [options[n % 4], options[(n + 1) % 4]]} for n, code in enumerate(consultation["codes"])
    }
    seen = []
    gate = asyncio.Semaphore(CONCURRENCY)

    async def vote(session, code):
        async with gate:
            return code, await cast_until_acknowledged(session, url, code, ballots[code], seen)

    terminator = Terminator(site)
    terminator.start()
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
            results = await asyncio.gather(*(vote(session, code) for code in ballots))
    finally:
        terminator.stop()
    assert terminator.done >= 3, "the ballots were all in before most faults: make the test longer"

    # Faults really hit requests, and each was answered as documented.
    failed = [s for s in seen if s[0] not in (200, 201)]
    assert terminator.terminated > 0
    pooled = site.env["DATABASE_URL"].endswith("pool=true")
    if not pooled:
        assert failed, "no request met a terminated connection: the test injected nothing"
    assert {s[0] for s in failed} <= {503}, [s for s in failed if s[0] != 503][:3]
    for status, kind, retry_after, body in failed:
        assert kind.startswith("application/json"), (status, kind, str(body)[:200])
        assert body["retry"] is True and body["detail"]
        assert retry_after is not None and int(retry_after) >= 1

    # Every voter got an acknowledgement with a receipt, in the end.
    receipts = {code: body["receipt"] for code, body in results if body}
    assert len(receipts) == VOTERS, [code for code, body in results if not body][:5]

    # Exactly one ballot per voter, as acknowledged, in the database and in the count.
    rows = await asyncio.to_thread(
        query, site, "SELECT receipt, content FROM voting_ballot WHERE consultation_id = %s", [consultation["id"]]
    )
    assert len(rows) == VOTERS
    by_receipt = dict(rows)
    assert len(by_receipt) == VOTERS
    for code, receipt in receipts.items():
        assert sorted(by_receipt[receipt]["approve"]) == sorted(ballots[code]["approve"]), code
    registered = await asyncio.to_thread(
        query, site, "SELECT count(*) FROM voting_voterrecord WHERE consultation_id = %s", [consultation["id"]]
    )
    assert registered == [(VOTERS,)]

    # After the faults, the very next requests work: no dead connection is reused.
    async with aiohttp.ClientSession() as session:
        for code in list(ballots)[:5]:
            async with session.put(url, json={"ballot": ballots[code]}, headers={"X-Access-Code": code}) as response:
                assert response.status == 200, await response.text()
                assert (await response.json())["changed"] is False

    figures = {
        "voters": VOTERS,
        "requests": len(seen),
        "retryable_503": len(failed),
        "bursts": terminator.done,
        "backends_terminated": terminator.terminated,
        "ballots_in_db": len(rows),
    }
    print(f"\nFIGURES db_backends_terminated pool={pooled}", figures)
