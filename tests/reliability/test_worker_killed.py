"""kill -9 one of two Daphne workers while 50 participants post cards, drag and drop them
on the canvas, react to them, ask questions and dot vote through both.

The participants of the dead worker reconnect to the survivor with their tickets, get a
fresh snapshot and send again, with the same ids, what was never acknowledged (as
frontend/static/js/workshop-client.js does). Every acknowledged card and vote is then
there exactly once: on every participant's board, in the tallies they see, and in the
database (so is every reaction and every question); every card stands where the
database has it on every board (drags in flight are lost with the worker, as they may
be: only the logged drops count).
(tests/workshops/test_multiprocess_redis.py covers a smaller crash with cards only.)
"""

import asyncio

import pytest

from tests.workshops.live_site import LiveClient

from .board import Board, as_choice, close_all, joined_client, latest_tally, wait_until
from .faults import query

pytestmark = pytest.mark.slow

PARTICIPANTS = 50
DOTS = 3
KILL_AFTER_ACKS = 10


def dots(option_ids, n, shift=0):
    """A valid allocation of all three dots for participant ``n``."""
    first, second = option_ids[(n + shift) % 3], option_ids[(n + shift + 1) % 3]
    return {str(first): 2, str(second): 1}


async def test_participants_of_a_killed_worker_lose_nothing(live_pair):
    site = live_pair
    survivor = site.servers[1]
    doomed = await asyncio.to_thread(site.start, "doomed")
    code = site.create_workshop(survivor, dots_per_participant=DOTS)
    facilitator = await joined_client(site, survivor, code, "Moderation", token=site.token)
    created = await facilitator.command(
        "poll.create", question="Was zuerst?", kind="dots", options=["Radwege", "WLAN", "Bürgerbüro"]
    )
    assert created["type"] == "ack", created
    poll = (await facilitator.wait_for(lambda f: f.get("name") == "poll.created"))["data"]
    assert (await facilitator.command("poll.open", poll=poll["id"]))["type"] == "ack"
    option_ids = [o["id"] for o in poll["options"]]

    names = [f"Expertin {n}" for n in range(PARTICIPANTS)]
    joined = await asyncio.gather(*(asyncio.to_thread(site.join, survivor, code, name) for name in names))
    # Every third screen takes bundled events (bundle=1), as the browser does; the others one frame per event.
    experts = [
        LiveClient(name, j["ticket"], j["participant"], bundle=n % 3 == 0)
        for n, (name, j) in enumerate(zip(names, joined, strict=True))
    ]
    home = {c: (doomed if n % 2 else survivor) for n, c in enumerate(experts)}  # no sticky sessions
    await asyncio.gather(*(c.connect(home[c], code, timeout=30) for c in experts))
    await asyncio.gather(*(c.wait_for(lambda f: f["type"] == "snapshot", timeout=30) for c in experts))
    everyone = [facilitator, *experts]
    wanted = {}  # command id -> card text, for every card.add anyone sent
    last_vote = {}  # participant -> the choice of their last vote command
    pending = {c: [] for c in experts}  # commands sent and not yet acknowledged
    try:
        # Round 1, through both workers: a card and a vote each, all acknowledged.
        for n, client in enumerate(experts):
            text = f"{client.name}: erste Idee"
            pending[client].append((await client.send("card.add", text=text), "card.add", {"text": text}))
            wanted[pending[client][-1][0]] = text
            choice = dots(option_ids, n)
            pending[client].append(
                (await client.send("poll.vote", poll=poll["id"], choice=choice), "poll.vote", {"choice": choice})
            )
            last_vote[client.participant] = choice
        for client in experts:
            for command_id, _type, _fields in pending[client]:
                assert (await client.reply(command_id, timeout=30))["type"] == "ack"
            pending[client] = []
        first_card = {}  # each expert's card of round 1, which they move in round 2
        for client in experts:
            added = await client.wait_for(
                lambda f, c=client: f.get("name") == "card.added" and f["data"]["text"] == f"{c.name}: erste Idee"
            )
            first_card[client] = added["data"]["id"]

        # Round 2: a drag and a drop, two more cards and a changed vote each; the doomed worker dies mid-way.
        victims = [c for c in experts if home[c] is doomed]
        moves = 0
        for n, client in enumerate(experts):
            await client.send("card.drag", card=first_card[client], x=50 + n, y=60)
            move = {"card": first_card[client], "x": 100 + 10 * n, "y": 200 + n}
            pending[client].append((await client.send("card.move", **move), "card.move", move))
            moves += 1
            react = {"card": first_card[client], "emoji": "💡", "on": True}
            pending[client].append((await client.send("card.react", **react), "card.react", react))
            ask = {"text": f"{client.name}: Frage"}
            pending[client].append((await client.send("question.ask", **ask), "question.ask", ask))
            for k in (1, 2):
                text = f"{client.name}: Idee {k + 1}"
                command_id = await client.send("card.add", text=text)
                wanted[command_id] = text
                pending[client].append((command_id, "card.add", {"text": text}))
            choice = dots(option_ids, n, shift=1)
            command_id = await client.send("poll.vote", poll=poll["id"], choice=choice)
            pending[client].append((command_id, "poll.vote", {"choice": choice}))
            last_vote[client.participant] = choice
        round_two = {i for c in victims for i, _t, _f in pending[c]}

        def acked_in_round_two():
            return sum(1 for c in victims for f in c.frames if f.get("type") == "ack" and f.get("id") in round_two)

        # Kill once a few of these are acknowledged: the rest are in flight or not yet read.
        assert await wait_until(lambda: acked_in_round_two() >= KILL_AFTER_ACKS, 20, 0.002)
        doomed.kill()
        await asyncio.gather(*(asyncio.wait_for(c.reader, 10) for c in victims), return_exceptions=True)
        assert all(c.reader.done() for c in victims)

        def acknowledged(client):
            return {f["id"] for f in client.frames if f.get("type") == "ack"}

        acked_before = sum(len(acknowledged(c) & {i for i, _t, _f in pending[c]}) for c in victims)
        unacked_before = sum(len(pending[c]) for c in victims) - acked_before

        # The survivor's participants are answered as usual.
        survivors = [c for c in experts if home[c] is survivor]
        for client in survivors:
            for command_id, _type, _fields in pending[client]:
                assert (await client.reply(command_id, timeout=30))["type"] == "ack"
            pending[client] = []

        # The victims come back on the survivor and send again what had no ack, same ids.
        async def come_back(client):
            done = acknowledged(client)
            await client.connect(survivor, code, timeout=30)
            start = len(client.frames)
            await client.wait_for(lambda f: f["type"] == "snapshot", timeout=30, start=start - 1)
            again = [(i, t, f) for i, t, f in pending[client] if i not in done]
            for command_id, type_, fields in again:
                await client.send(
                    type_, command_id=command_id, **({"poll": poll["id"]} if type_ == "poll.vote" else {}), **fields
                )
            replies = [await client.reply(command_id, timeout=30) for command_id, _t, _f in again]
            assert all(r["type"] == "ack" for r in replies), replies
            pending[client] = []
            return len(again), sum(1 for r in replies if r.get("duplicate"))

        comebacks = await asyncio.gather(*(come_back(c) for c in victims))
        resent = sum(n for n, _d in comebacks)
        applied_before = sum(d for _n, d in comebacks)  # applied before the kill, ack lost with it

        # Every board: each acknowledged card exactly once, every event in order.
        rows = await asyncio.to_thread(query, site, "SELECT last_seq FROM workshops_workshop WHERE code = %s", [code])
        last = rows[0][0]
        # Poll created and opened, then one event per card, drop, reaction and question.
        assert last == 2 + len(wanted) + 3 * moves
        assert await wait_until(lambda: all(Board.of(c.frames).seq == last for c in everyone), 20), {
            c.name: Board.of(c.frames).seq for c in everyone if Board.of(c.frames).seq != last
        }
        for client in everyone:
            board = Board.of(client.frames)
            assert board.texts() == sorted(wanted.values()), client.name
        assert sum(c.bundles for c in experts) > 0  # the bundling screens got batches as one frame

        # Every vote once, the last one sent: in the database and in every tally shown.
        stored = await asyncio.to_thread(
            query, site, "SELECT participant_id, choice FROM workshops_pollvote WHERE poll_id = %s", [poll["id"]]
        )
        assert len(stored) == PARTICIPANTS
        assert {p: as_choice(c) for p, c in stored} == last_vote
        expected = [sum(c.get(str(o), 0) for c in last_vote.values()) for o in option_ids]
        assert sum(expected) == PARTICIPANTS * DOTS
        assert await wait_until(
            lambda: all(latest_tally(c.frames, poll["id"]) == (PARTICIPANTS, expected) for c in everyone), 15
        ), [latest_tally(c.frames, poll["id"]) for c in everyone][:5]
        cards = await asyncio.to_thread(
            query,
            site,
            "SELECT c.text FROM workshops_card c JOIN workshops_workshop w ON w.id = c.workshop_id WHERE w.code = %s",
            [code],
        )
        assert sorted(t for (t,) in cards) == sorted(wanted.values())
        # One 💡 on each expert's first card and one question each: in the database and on every board.
        reactions = await asyncio.to_thread(
            query, site, "SELECT card_id, emoji, count(*) FROM workshops_cardreaction GROUP BY card_id, emoji"
        )
        assert {(card, emoji, n) for card, emoji, n in reactions} == {(first_card[c], "💡", 1) for c in experts}
        questions = await asyncio.to_thread(
            query,
            site,
            "SELECT q.text FROM workshops_question q JOIN workshops_workshop w ON w.id = q.workshop_id"
            " WHERE w.code = %s",
            [code],
        )
        assert sorted(t for (t,) in questions) == sorted(f"{c.name}: Frage" for c in experts)
        for client in everyone:
            board = Board.of(client.frames)
            assert {card: r for card, r in board.reactions.items() if r} == {
                first_card[c]: {"💡": 1} for c in experts
            }, client.name
            assert sorted(text for text, _votes in board.questions.values()) == sorted(
                f"{c.name}: Frage" for c in experts
            ), client.name
        stored_positions = await asyncio.to_thread(
            query,
            site,
            "SELECT c.id, c.x, c.y, c.cluster_id FROM workshops_card c JOIN workshops_workshop w"
            " ON w.id = c.workshop_id WHERE w.code = %s",
            [code],
        )
        stored_positions = {card: (x, y, cluster) for card, x, y, cluster in stored_positions}
        assert {stored_positions[first_card[c]][:2] for c in experts} == {
            (100 + 10 * n, 200 + n) for n in range(PARTICIPANTS)
        }
        for client in everyone:
            assert Board.of(client.frames).positions == stored_positions, client.name
        print(
            f"\nFIGURES worker_killed participants={PARTICIPANTS} victims={len(victims)} cards={len(wanted)} "
            f"votes={2 * PARTICIPANTS} moves={moves} acked_before_kill={acked_before} unacked_at_kill={unacked_before} "
            f"resent={resent} of_which_already_applied={applied_before} events={last}"
        )
    finally:
        await close_all(everyone)
        doomed.stop()
