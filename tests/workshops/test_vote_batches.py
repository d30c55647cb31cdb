"""Votes that arrive together are written together, and each acknowledged vote
counts exactly once: a command sent twice (two tabs of one participant sending the
same command id at the same moment) is applied once and acknowledged twice."""

import asyncio

import pytest
from channels.db import database_sync_to_async

from workshops.actions import CommandError, apply_votes
from workshops.models import CommandReceipt, PollVote

from .test_polls import make_poll
from .wsutil import add_participant, connect, connect_ready, setup_workshop

pytestmark = pytest.mark.django_db(transaction=True)


async def test_fifty_votes_at_once_with_duplicates_are_each_counted_once():
    workshop, facilitator = await setup_workshop()
    f, _ = await connect_ready(workshop, facilitator)
    poll = await make_poll(f, question="Was zuerst?", kind="dots", options=["Ampeln", "Parken", "WLAN"], dots=3)
    ids = [str(o["id"]) for o in poll["options"]]
    # 25 participants, each with two sockets (phone and laptop) sending the same vote.
    tabs = []
    for n in range(25):
        participant = await add_participant(workshop, f"Expertin {n}")
        for _tab in range(2):
            client = await connect(workshop, participant)
            await client.wait_for(lambda fr: fr["type"] == "snapshot")
            tabs.append((n, client))

    def choice(n):
        return {ids[n % 3]: 2, ids[(n + 1) % 3]: 1}

    answers = await asyncio.gather(
        *(client.command("poll.vote", id=f"vote-{n}", poll=poll["id"], choice=choice(n)) for n, client in tabs)
    )

    assert all(a["type"] == "ack" for a in answers), [a for a in answers if a["type"] != "ack"]
    for n in range(25):
        pair = [a for (m, _c), a in zip(tabs, answers, strict=True) if m == n]
        assert sorted(a["duplicate"] for a in pair) == [False, True]
    expected = [0, 0, 0]
    for n in range(25):
        expected[n % 3] += 2
        expected[(n + 1) % 3] += 1
    tally = await f.wait_for(lambda fr: fr["type"] == "tally" and fr["votes"] == 25, timeout=5)
    assert [o["value"] for o in tally["options"]] == expected
    assert await PollVote.objects.filter(poll_id=poll["id"]).acount() == 25
    assert await CommandReceipt.objects.filter(command_id__startswith="vote-").acount() == 25
    for _n, client in tabs:
        await client.close()
    await f.close()


async def test_a_refused_vote_does_not_hold_back_the_others_in_its_batch():
    workshop, facilitator = await setup_workshop()
    f, _ = await connect_ready(workshop, facilitator)
    poll = await make_poll(f, question="Ja?", kind="dots", options=["A", "B"], dots=2)
    a_id, b_id = (str(o["id"]) for o in poll["options"])
    anna, ben, cem = [(await connect_ready(workshop, await add_participant(workshop, n)))[0] for n in "ABC"]
    answers = await asyncio.gather(
        anna.command("poll.vote", poll=poll["id"], choice={a_id: 2}),
        ben.command("poll.vote", poll=poll["id"], choice={a_id: 2, b_id: 1}),  # one dot too many
        cem.command("poll.vote", poll=poll["id"], choice={b_id: 1}),
    )
    assert [a["type"] for a in answers] == ["ack", "error", "ack"]
    assert answers[1]["code"] == "too_many_dots"
    tally = await f.wait_for(lambda fr: fr["type"] == "tally" and fr["votes"] == 2, timeout=5)
    assert [o["value"] for o in tally["options"]] == [2, 1]
    for client in (f, anna, ben, cem):
        await client.close()


async def test_a_batch_applies_the_rules_of_a_single_vote_and_the_last_vote_counts():
    workshop, facilitator = await setup_workshop()
    f, _ = await connect_ready(workshop, facilitator)
    poll = await make_poll(f, question="Welche?", kind="single", options=["A", "B"])
    a_id, b_id = (o["id"] for o in poll["options"])
    anna = await add_participant(workshop, "Anna")
    results = await database_sync_to_async(apply_votes)(
        [
            (anna.pk, {"type": "poll.vote", "id": "1", "poll": poll["id"], "choice": a_id}),
            (anna.pk, {"type": "poll.vote", "id": "2", "poll": poll["id"], "choice": b_id}),
            (anna.pk, {"type": "poll.vote", "id": "2", "poll": poll["id"], "choice": a_id}),
            (anna.pk, {"type": "poll.vote", "id": "3", "poll": 999_999, "choice": a_id}),
            (anna.pk, {"type": "poll.vote", "poll": poll["id"], "choice": a_id}),
        ]
    )
    assert [r.duplicate for r in results[:3]] == [False, False, True]
    assert isinstance(results[3], CommandError) and results[3].code == "not_found"
    assert isinstance(results[4], CommandError) and results[4].code == "invalid"
    vote = await PollVote.objects.aget(poll_id=poll["id"], participant=anna)
    assert vote.choice == b_id
    await f.close()
