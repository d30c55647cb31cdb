"""200 participants dot vote at once through two Daphne processes, with 10 % of the
commands sent twice (same id, as a client retries) and 10 % of the participants changing
their vote at the same moment (a second vote right behind the first, without waiting).

Exactly one vote per participant, the last one sent counts, nothing lost: in the
database, in the tally every participant sees, and in each changer's own snapshot.
"""

import asyncio

import pytest

from tests.workshops.live_site import LiveClient

from .board import as_choice, close_all, joined_client, latest_tally, wait_until
from .faults import query

pytestmark = pytest.mark.slow

PARTICIPANTS = 200
DUPLICATING = 20
CHANGING = 20
DOTS = 3


def acks_of(client, command_id):
    return [f for f in client.frames if f.get("type") == "ack" and f["id"] == command_id]


async def test_parallel_dot_votes_count_once_each_and_the_last_one(live_pair):
    site = live_pair
    a, b = site.servers[:2]
    code = site.create_workshop(a, dots_per_participant=DOTS)
    facilitator = await joined_client(site, a, code, "Moderation", token=site.token)
    created = await facilitator.command(
        "poll.create", question="Wohin das Geld?", kind="dots", options=["Schulen", "Radwege", "Bibliothek", "Parks"]
    )
    assert created["type"] == "ack", created
    poll = (await facilitator.wait_for(lambda f: f.get("name") == "poll.created"))["data"]
    assert (await facilitator.command("poll.open", poll=poll["id"]))["type"] == "ack"
    options = [str(o["id"]) for o in poll["options"]]

    names = [f"Stimme {n}" for n in range(PARTICIPANTS)]
    joined = await asyncio.gather(*(asyncio.to_thread(site.join, a, code, name) for name in names))
    voters = [LiveClient(name, j["ticket"], j["participant"]) for name, j in zip(names, joined, strict=True)]
    for start in range(0, PARTICIPANTS, 50):
        batch = voters[start : start + 50]
        await asyncio.gather(*(c.connect(a if n % 2 else b, code, timeout=30) for n, c in enumerate(batch)))
    await asyncio.gather(*(c.wait_for(lambda f: f["type"] == "snapshot", timeout=30) for c in voters))
    everyone = [facilitator, *voters]
    try:
        first = {c.participant: {options[n % 4]: 2, options[(n + 1) % 4]: 1} for n, c in enumerate(voters)}
        second = {c.participant: {options[(n + 2) % 4]: 3} for n, c in enumerate(voters)}
        duplicating = voters[:DUPLICATING]
        changing = voters[DUPLICATING : DUPLICATING + CHANGING]
        final = dict(first)

        async def vote(client):
            """Every frame goes out at once; the replies are awaited afterwards."""
            ids = [await client.send("poll.vote", poll=poll["id"], choice=first[client.participant])]
            if client in duplicating:
                await client.send("poll.vote", command_id=ids[0], poll=poll["id"], choice=first[client.participant])
            if client in changing:
                ids.append(await client.send("poll.vote", poll=poll["id"], choice=second[client.participant]))
                final[client.participant] = second[client.participant]
            return client, ids

        sent = await asyncio.gather(*(vote(c) for c in voters))
        commands = PARTICIPANTS + DUPLICATING + CHANGING
        for client, ids in sent:
            for command_id in ids:
                reply = await client.reply(command_id, timeout=30)
                assert reply["type"] == "ack", reply
            if client in duplicating:
                # The twin is acknowledged too, as a duplicate: applied once.
                assert await wait_until(lambda c=client, i=ids[0]: len(acks_of(c, i)) == 2, 20), client.name
                assert [f.get("duplicate") for f in acks_of(client, ids[0])].count(True) == 1

        stored = await asyncio.to_thread(
            query, site, "SELECT participant_id, choice FROM workshops_pollvote WHERE poll_id = %s", [poll["id"]]
        )
        assert len(stored) == PARTICIPANTS
        assert {p: as_choice(c) for p, c in stored} == final

        expected = [sum(c.get(o, 0) for c in final.values()) for o in options]
        assert sum(expected) == PARTICIPANTS * DOTS
        assert await wait_until(
            lambda: all(latest_tally(c.frames, poll["id"]) == (PARTICIPANTS, expected) for c in everyone), 20
        ), [latest_tally(c.frames, poll["id"]) for c in everyone[:5]]

        # A changer who opens the board again sees the vote sent last as their own.
        for client in changing[:5]:
            again = LiveClient(client.name, client.ticket, client.participant)
            await again.connect(b, code)
            snapshot = await again.wait_for(lambda f: f["type"] == "snapshot")
            await again.close()
            mine = next(p["my_vote"] for p in snapshot["state"]["polls"] if p["id"] == poll["id"])
            assert as_choice(mine) == second[client.participant]
        print(
            f"\nFIGURES parallel_dot_votes participants={PARTICIPANTS} commands={commands} "
            f"duplicated={DUPLICATING} changing={CHANGING} rows={len(stored)} lost=0 doubled=0"
        )
    finally:
        await close_all(everyone)
