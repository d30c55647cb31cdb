"""1,000 ballot submissions in parallel over HTTP against a real server (100 at a time),
with 10 % duplicated requests and 10 % of voters changing their ballot at the same moment.

Exactly one ballot per voter; a duplicate changes nothing; of two different ballots sent
together the one applied last counts (the server says which: the first creates, 201, the
second changes, 200 with ``changed: true``); nothing is lost. Checked against the rows in
the database and against the live count the facilitator sees.
"""

import asyncio
import random
from collections import Counter

import aiohttp
import pytest

from .faults import open_consultation, query

pytestmark = pytest.mark.slow

VOTERS = 800
DUPLICATED = 100  # voters whose request is sent twice at once
CHANGING = 100  # voters who send two different ballots at once
CONCURRENCY = 100


async def test_a_thousand_parallel_ballots_count_once_each_and_the_last_one(live_pair):
    site = live_pair
    server = site.servers[0]
    consultation = await asyncio.to_thread(open_consultation, site, "approval", 4, VOTERS)
    options = consultation["options"]
    url = f"{server.base}/api/consultations/{consultation['id']}/ballot"
    rng = random.Random(6)  # noqa: S311 - a reproducible mix, not security
    codes = consultation["codes"]
    first = {code: {"approve": sorted(rng.sample(options, rng.randint(1, 4)))} for code in codes}
    changers = set(codes[:CHANGING])
    duplicators = set(codes[CHANGING : CHANGING + DUPLICATED])
    second = {}
    for code in changers:
        other = {"approve": sorted(rng.sample(options, rng.randint(1, 4)))}
        while other == first[code]:
            other = {"approve": sorted(rng.sample(options, rng.randint(1, 4)))}
        second[code] = other

    # Each job is one voter's requests, sent together: one, a pair of twins, or a change.
    jobs = []
    for code in codes:
        if code in changers:
            jobs.append((code, [first[code], second[code]]))
        elif code in duplicators:
            jobs.append((code, [first[code], first[code]]))
        else:
            jobs.append((code, [first[code]]))
    rng.shuffle(jobs)
    assert sum(len(ballots) for _code, ballots in jobs) == 1000

    gate = asyncio.Semaphore(CONCURRENCY)
    answers = {}  # code -> [(ballot, status, body)]

    async def put(session, code, ballot):
        async with gate, session.put(url, json={"ballot": ballot}, headers={"X-Access-Code": code}) as response:
            body = await response.json(content_type=None)
            return ballot, response.status, body

    async def voter(session, code, ballots):
        answers[code] = await asyncio.gather(*(put(session, code, b) for b in ballots))

    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    started = asyncio.get_running_loop().time()
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60)) as session:
        await asyncio.gather(*(voter(session, code, ballots) for code, ballots in jobs))
    elapsed = asyncio.get_running_loop().time() - started

    statuses = Counter(status for replies in answers.values() for _b, status, _body in replies)
    assert set(statuses) <= {200, 201}, statuses
    assert statuses[201] == VOTERS  # one ballot created per voter, never two

    # What each voter was told decides what must count, under the receipt they were told last.
    final, receipt_of = {}, {}
    for code, replies in answers.items():
        created = [r for r in replies if r[1] == 201]
        assert len(created) == 1, (code, replies)
        if code in duplicators:
            twin = next(r for r in replies if r[1] == 200)
            assert twin[2]["changed"] is False, replies
            assert twin[2]["receipt"] == created[0][2]["receipt"], replies  # the same ballot keeps its receipt
            final[code] = first[code]
            receipt_of[code] = created[0][2]["receipt"]
        elif code in changers:
            later = next(r for r in replies if r[1] == 200)
            assert later[2]["changed"] is True, replies  # applied after the other: the last one
            # A change gets a new receipt, the one of the ballot that counts.
            assert later[2]["receipt"] != created[0][2]["receipt"], replies
            final[code] = later[0]
            receipt_of[code] = later[2]["receipt"]
        else:
            final[code] = first[code]
            receipt_of[code] = created[0][2]["receipt"]

    rows = await asyncio.to_thread(
        query, site, "SELECT receipt, content FROM voting_ballot WHERE consultation_id = %s", [consultation["id"]]
    )
    assert len(rows) == VOTERS
    stored = dict(rows)
    assert len(stored) == VOTERS
    for code in codes:
        assert sorted(stored[receipt_of[code]]["approve"]) == final[code]["approve"], code
    registered = await asyncio.to_thread(
        query, site, "SELECT count(*) FROM voting_voterrecord WHERE consultation_id = %s", [consultation["id"]]
    )
    assert registered == [(VOTERS,)]

    # The live count is the count of what the voters were told.
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            f"{server.base}/api/consultations/{consultation['id']}/results",
            headers={"Authorization": f"Token {site.token}"},
        ) as response,
    ):
        assert response.status == 200
        result = (await response.json())["result"]
    expected = Counter(option for ballot in final.values() for option in ballot["approve"])
    assert {int(k): v for k, v in result["count"]["scores"].items()} == {o: expected[o] for o in options}
    assert result["turnout"]["ballots"] == VOTERS and result["turnout"]["voters"] == VOTERS
    print(
        f"\nFIGURES parallel_ballots requests=1000 voters={VOTERS} duplicated={DUPLICATED} changing={CHANGING} "
        f"concurrency={CONCURRENCY} statuses={dict(statuses)} seconds={elapsed:.1f} lost=0 doubled=0"
    )
