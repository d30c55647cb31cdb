"""Live polls: votes are validated, counted once per participant, and tallies coalesce."""

import asyncio

import pytest

from workshops.models import ParticipantRole, Poll, PollVote

from .wsutil import add_participant, connect_ready, setup_workshop

pytestmark = pytest.mark.django_db(transaction=True)


async def make_poll(f, **fields):
    ack = await f.command("poll.create", **fields)
    assert ack["type"] == "ack", ack
    created = await f.event("poll.created")
    poll = created["data"]
    assert (await f.command("poll.open", poll=poll["id"]))["type"] == "ack"
    return poll


async def test_dot_voting_with_a_cap_and_a_live_tally_for_everyone():
    workshop, facilitator = await setup_workshop()
    f, _ = await connect_ready(workshop, facilitator)
    voters = []
    for name in ("Anna", "Ben", "Cem"):
        participant = await add_participant(workshop, name)
        voters.append((await connect_ready(workshop, participant))[0])
    poll = await make_poll(
        f, question="Was zuerst?", kind="dots", options=["Ampeln", "Parken", "WLAN"], dots=5, max_per_option=3
    )
    a_opt, b_opt, c_opt = (o["id"] for o in poll["options"])
    anna, ben, cem = voters

    over_cap = await anna.command("poll.vote", poll=poll["id"], choice={str(a_opt): 4, str(b_opt): 1})
    assert over_cap["type"] == "error" and over_cap["code"] == "over_cap"
    too_many = await anna.command("poll.vote", poll=poll["id"], choice={str(a_opt): 3, str(b_opt): 3})
    assert too_many["type"] == "error" and too_many["code"] == "too_many_dots"

    assert (await anna.command("poll.vote", poll=poll["id"], choice={str(a_opt): 3, str(b_opt): 2}))["type"] == "ack"
    assert (await ben.command("poll.vote", poll=poll["id"], choice={str(a_opt): 1, str(c_opt): 3}))["type"] == "ack"
    # Cem changes his mind: only the last allocation counts.
    assert (await cem.command("poll.vote", poll=poll["id"], choice={str(b_opt): 3}))["type"] == "ack"
    assert (await cem.command("poll.vote", poll=poll["id"], choice={str(c_opt): 2}))["type"] == "ack"

    def final(frame):
        return frame["type"] == "tally" and frame["votes"] == 3 and frame["options"][2]["value"] == 5

    tally = await f.wait_for(final)
    assert [o["value"] for o in tally["options"]] == [4, 2, 5]
    assert await PollVote.objects.filter(poll_id=poll["id"]).acount() == 3

    closed = await f.command("poll.close", poll=poll["id"])
    assert closed["type"] == "ack"
    event = await anna.event("poll.closed")
    assert [o["value"] for o in event["data"]["results"]["options"]] == [4, 2, 5]
    late = await ben.command("poll.vote", poll=poll["id"], choice={str(a_opt): 1})
    assert late["code"] == "poll_not_open"
    for client in (f, *voters):
        await client.close()


async def test_many_votes_in_a_burst_give_few_tally_frames():
    workshop, facilitator = await setup_workshop()
    f, _ = await connect_ready(workshop, facilitator)
    poll = await make_poll(f, question="Ja oder nein?", kind="single", options=["Ja", "Nein"])
    clients = []
    for n in range(12):
        participant = await add_participant(workshop, f"P{n}")
        clients.append((await connect_ready(workshop, participant))[0])
    await asyncio.gather(
        *(c.command("poll.vote", poll=poll["id"], choice=poll["options"][n % 2]["id"]) for n, c in enumerate(clients))
    )
    await f.wait_for(lambda fr: fr["type"] == "tally" and fr["votes"] == 12, timeout=5)
    tallies = [fr for fr in f.frames if fr["type"] == "tally"]
    assert len(tallies) < 12  # coalesced, not one broadcast per vote
    assert [o["value"] for o in tallies[-1]["options"]] == [6, 6]
    for client in (f, *clients):
        await client.close()


async def test_hidden_results_reach_only_the_facilitator_until_revealed():
    workshop, facilitator = await setup_workshop()
    f, _ = await connect_ready(workshop, facilitator)
    anna_p = await add_participant(workshop, "Anna")
    anna, _ = await connect_ready(workshop, anna_p)
    poll = await make_poll(f, question="Geheim?", kind="multiple", options=["A", "B", "C"], hidden=True)
    ids = [o["id"] for o in poll["options"]]
    assert (await anna.command("poll.vote", poll=poll["id"], choice=[ids[0], ids[2]]))["type"] == "ack"
    seen_by_anna = await anna.wait_for(lambda fr: fr["type"] == "tally")
    seen_by_f = await f.wait_for(lambda fr: fr["type"] == "tally")
    assert seen_by_anna["votes"] == 1 and seen_by_anna["options"] is None
    assert [o["value"] for o in seen_by_f["options"]] == [1, 0, 1]
    await f.command("poll.reveal", poll=poll["id"])
    revealed = await anna.event("poll.revealed")
    assert [o["value"] for o in revealed["data"]["results"]["options"]] == [1, 0, 1]
    await f.close()
    await anna.close()


async def test_observers_cannot_vote_or_post_and_choices_are_checked_by_kind():
    workshop, facilitator = await setup_workshop()
    f, _ = await connect_ready(workshop, facilitator)
    beamer = await add_participant(workshop, "Beamer", ParticipantRole.OBSERVER)
    b, _ = await connect_ready(workshop, beamer)
    anna_p = await add_participant(workshop, "Anna")
    anna, _ = await connect_ready(workshop, anna_p)
    scale = await make_poll(f, question="Wie wichtig?", kind="scale", options=["Ampeln", "WLAN"])
    ranking = await make_poll(f, question="Reihenfolge?", kind="ranking", options=["A", "B", "C"])
    s_ids = [o["id"] for o in scale["options"]]
    r_ids = [o["id"] for o in ranking["options"]]

    assert (await b.command("poll.vote", poll=scale["id"], choice={str(s_ids[0]): 3}))["code"] == "forbidden"
    assert (await b.command("card.add", text="vom Beamer"))["code"] == "forbidden"
    assert (await anna.command("poll.vote", poll=scale["id"], choice={str(s_ids[0]): 6}))["code"] == "invalid"
    assert (await anna.command("poll.vote", poll=scale["id"], choice={"999999": 3}))["code"] == "invalid"
    assert (await anna.command("poll.vote", poll=ranking["id"], choice=[r_ids[0], r_ids[0]]))["code"] == "invalid"
    assert (await anna.command("poll.vote", poll=ranking["id"], choice=[r_ids[2], r_ids[0]]))["type"] == "ack"
    assert (await anna.command("poll.vote", poll=scale["id"], choice={str(s_ids[1]): 5}))["type"] == "ack"
    poll = await Poll.objects.aget(pk=ranking["id"])
    assert (await PollVote.objects.aget(poll=poll)).choice == [r_ids[2], r_ids[0]]
    for client in (f, b, anna):
        await client.close()
