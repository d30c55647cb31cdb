"""Two Daphne processes behind no sticky sessions serve one workshop over Redis.

Real processes, a real WebSocket client, a database of their own: a card added
through one process reaches clients on the other; a burst spread over both
arrives everywhere exactly once and in order; and when a process dies, its
clients move to the other one and lose nothing that was acknowledged.
"""

import asyncio
import json
import os

import pytest

from .live_site import LiveClient, LiveSite

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site():
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL")
    site = LiveSite()
    try:
        site.setup(names=("A", "B"))
        yield site
    finally:
        site.close()


async def join_all(site, server, code, names, **kwargs):
    return await asyncio.gather(*(asyncio.to_thread(site.join, server, code, name, **kwargs) for name in names))


async def connect(site, server, code, name, **kwargs):
    joined = await asyncio.to_thread(site.join, server, code, name, **kwargs)
    client = LiveClient(name, joined["ticket"], joined["participant"])
    await client.connect(server, code)
    await client.wait_for(lambda f: f["type"] == "snapshot")
    return client


async def close_all(clients):
    await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)


async def test_a_card_added_through_one_process_reaches_clients_on_the_other(site):
    a, b = site.servers[:2]
    code = site.create_workshop(a)
    anna = await connect(site, a, code, "Anna")
    ben = await connect(site, b, code, "Ben")
    try:
        ack = await anna.command("card.add", text="WLAN in allen Bussen")
        assert ack["type"] == "ack", ack
        event = await ben.wait_for(lambda f: f["type"] == "event" and f["name"] == "card.added")
        assert event["seq"] == ack["seq"] == 1
        assert event["data"]["text"] == "WLAN in allen Bussen"
        assert event["data"]["author_name"] == "Anna"
    finally:
        await close_all([anna, ben])


async def test_sockets_stay_open_through_a_quiet_spell(site):
    """Redis' blocking read waits 5 s when nothing happens; that must not drop anyone."""
    a, b = site.servers[:2]
    code = site.create_workshop(a)
    anna = await connect(site, a, code, "Anna")
    ben = await connect(site, b, code, "Ben")
    try:
        await asyncio.sleep(7)
        assert not anna.reader.done() and not ben.reader.done(), (anna.ws.close_code, ben.ws.close_code)
        ack = await anna.command("card.add", text="Nach der Pause")
        assert ack["type"] == "ack", ack
        event = await ben.wait_for(lambda f: f["type"] == "event" and f["name"] == "card.added")
        assert event["data"]["text"] == "Nach der Pause"
    finally:
        await close_all([anna, ben])


async def test_a_room_that_leaves_at_once_is_shown_offline(site):
    """Hundreds of sockets closing together (the Wi-Fi drops) must all be counted out."""
    b = site.servers[1]
    code = site.create_workshop(b)
    names = [f"Gast {n}" for n in range(160)]
    joined = await join_all(site, b, code, names)
    room = [LiveClient(name, j["ticket"], j["participant"]) for name, j in zip(names, joined, strict=True)]
    for start in range(0, len(room), 40):
        await asyncio.gather(*(c.connect(b, code, timeout=30) for c in room[start : start + 40]))
    await asyncio.gather(*(c.wait_for(lambda f: f["type"] == "snapshot", timeout=30) for c in room))
    await close_all(room)
    late = (await join_all(site, b, code, ["Nachzüglerin"]))[0]
    online = None
    for _attempt in range(30):  # the counts settle within a few seconds
        await asyncio.sleep(0.3)
        client = await LiveClient("Nachzüglerin", late["ticket"]).connect(b, code)
        snapshot = await client.wait_for(lambda f: f["type"] == "snapshot")
        await client.close()
        online = [p["name"] for p in snapshot["state"]["online"]]
        if online == ["Nachzüglerin"]:
            break
    assert online == ["Nachzüglerin"], f"{len(online)} shown online"


async def test_a_burst_over_both_processes_arrives_everywhere_once_in_order(site):
    a, b = site.servers[:2]
    code = site.create_workshop(a, dots_per_participant=3)
    facilitator = await connect(site, a, code, "Moderation", token=site.token)
    projector = await connect(site, b, code, "Beamer", role="observer")
    names = [f"Expertin {n}" for n in range(50)]
    joined = await join_all(site, a, code, names)
    experts = [LiveClient(name, j["ticket"], j["participant"]) for name, j in zip(names, joined, strict=True)]
    # No sticky sessions: every other participant is on the other process.
    await asyncio.gather(*(c.connect(a if n % 2 else b, code) for n, c in enumerate(experts)))
    everyone = [facilitator, projector, *experts]
    try:
        snapshots = await asyncio.gather(*(c.wait_for(lambda f: f["type"] == "snapshot") for c in experts))
        assert {s["seq"] for s in snapshots} == {0}

        # 50 cards at once, half through each process.
        sent = await asyncio.gather(*(c.send("card.add", text=f"Idee von {c.name}") for c in experts))
        acks = await asyncio.gather(*(c.reply(i, timeout=20) for c, i in zip(experts, sent, strict=True)))
        assert all(ack["type"] == "ack" for ack in acks), [a for a in acks if a["type"] != "ack"]
        assert sorted(ack["seq"] for ack in acks) == list(range(1, 51))

        # The facilitator turns to voting on three of the cards.
        by_text = {}
        for client in everyone:
            await client.wait_for(lambda f: f.get("seq") == 50 and f["type"] == "event", timeout=20)
        for frame in facilitator.events():
            by_text[frame["data"]["text"]] = frame["data"]["id"]
        assert (await facilitator.command("phase.set", phase="vote"))["type"] == "ack"
        options = [{"card": by_text[f"Idee von Expertin {n}"]} for n in (0, 1, 2)]
        created = await facilitator.command("poll.create", question="Was zuerst?", kind="dots", options=options)
        assert created["type"] == "ack", created
        poll = (await facilitator.wait_for(lambda f: f.get("name") == "poll.created"))["data"]
        assert (await facilitator.command("poll.open", poll=poll["id"]))["type"] == "ack"
        option_ids = [o["id"] for o in poll["options"]]

        # 50 dot votes at once, half through each process.
        choices = {}
        for n, client in enumerate(experts):
            choices[client.participant] = {str(option_ids[n % 3]): 2, str(option_ids[(n + 1) % 3]): 1}
        sent = await asyncio.gather(
            *(c.send("poll.vote", poll=poll["id"], choice=choices[c.participant]) for c in experts)
        )
        acks = await asyncio.gather(*(c.reply(i, timeout=20) for c, i in zip(experts, sent, strict=True)))
        assert all(ack["type"] == "ack" for ack in acks), [a for a in acks if a["type"] != "ack"]
        expected = [sum(c.get(str(option), 0) for c in choices.values()) for option in option_ids]
        assert sum(expected) == 150

        def complete(frame):
            return (
                frame["type"] == "tally" and frame["votes"] == 50 and [o["value"] for o in frame["options"]] == expected
            )

        await asyncio.gather(*(c.wait_for(complete, timeout=10) for c in everyone))

        closed = await facilitator.command("poll.close", poll=poll["id"])
        assert closed["type"] == "ack"
        last = closed["seq"]
        assert last == 54  # 50 cards, phase, poll created, opened, closed
        for client in everyone:
            event = await client.wait_for(lambda f: f.get("name") == "poll.closed", timeout=10)
            assert [o["value"] for o in event["data"]["results"]["options"]] == expected

        # Every client got every event exactly once, gap-free, and each card once.
        await asyncio.sleep(0.3)
        for client in everyone:
            events = client.events()
            assert [e["seq"] for e in events] == list(range(1, last + 1)), client.name
            texts = [e["data"]["text"] for e in events if e["name"] == "card.added"]
            assert sorted(texts) == sorted(f"Idee von {name}" for name in names), client.name

        # The database holds each acknowledged vote once, as cast.
        export = await asyncio.to_thread(site.export, b, code)
        votes = {row["participant"]: row["choice"] for row in export["votes"] if row["poll"] == poll["id"]}
        assert len([row for row in export["votes"] if row["poll"] == poll["id"]]) == 50
        assert {p: json.loads(c) for p, c in votes.items()} == choices
        assert sorted(card["text"] for card in export["cards"]) == sorted(f"Idee von {name}" for name in names)
    finally:
        await close_all(everyone)


async def test_clients_of_a_killed_process_resync_on_the_other_and_lose_nothing(site):
    b = site.servers[1]
    c = await asyncio.to_thread(site.start, "C")
    code = site.create_workshop(b)
    stayers = [await connect(site, b, code, f"Bleibt {n}") for n in range(4)]
    movers = [await connect(site, c, code, f"Wechselt {n}") for n in range(4)]
    everyone = stayers + movers
    try:
        # Five acknowledged cards from each, through both processes.
        wanted = {}  # command id -> card text, for everything anyone ever sent
        for round_ in range(5):
            sent = []
            for client in everyone:
                text = f"{client.name}: Idee {round_}"
                command_id = await client.send("card.add", text=text)
                wanted[command_id] = text
                sent.append((client, command_id))
            for client, command_id in sent:
                assert (await client.reply(command_id, timeout=20))["type"] == "ack"
        for client in everyone:
            await client.wait_for(lambda f: f.get("seq") == 40, timeout=10)

        # The movers send three more each, and their process dies before they all land.
        in_flight = {}
        for client in movers:
            for n in range(3):
                text = f"{client.name}: letzte Idee {n}"
                command_id = await client.send("card.add", text=text)
                wanted[command_id] = text
                in_flight.setdefault(client, []).append((command_id, text))
        first_id, _text = in_flight[movers[0]][0]
        assert (await movers[0].reply(first_id, timeout=20))["type"] == "ack"
        c.kill()
        for client in movers:
            await asyncio.wait_for(client.reader, 10)
        seen_before = {client: client.last_seq() for client in movers}
        acked_before_kill = {f["id"] for client in movers for f in client.frames if f["type"] == "ack"}
        assert first_id in acked_before_kill

        # Life goes on on B while they are away.
        for client in stayers:
            text = f"{client.name}: Idee während des Ausfalls"
            command_id = await client.send("card.add", text=text)
            wanted[command_id] = text
            assert (await client.reply(command_id, timeout=20))["type"] == "ack"

        # The movers reconnect to B with their tickets, catch up and retry what was not acknowledged.
        for client in movers:
            before = client.frames
            client.frames = []
            await client.connect(b, code)
            await client.wait_for(lambda f: f["type"] == "snapshot")
            sync_id = await client.send("sync", since=seen_before[client])
            await client.wait_for(lambda f, i=sync_id: f["type"] == "synced" and f["id"] == i, timeout=10)
            retried = [(i, text) for i, text in in_flight[client] if i not in acked_before_kill]
            for command_id, text in retried:
                await client.send("card.add", command_id=command_id, text=text)
            for command_id, _text in retried:
                assert (await client.reply(command_id, timeout=20))["type"] == "ack"
            client.frames = before + client.frames

        total = len(wanted)
        assert total == 40 + 12 + 4
        for client in everyone:
            await client.wait_for(lambda f: f.get("type") == "event" and f["seq"] == total, timeout=10)
            seen = {}
            for frame in client.events():
                # A replayed event may overlap a live one; it must be the same event.
                assert seen.setdefault(frame["seq"], frame) == frame, client.name
            assert sorted(seen) == list(range(1, total + 1)), client.name
            texts = [e["data"]["text"] for e in seen.values() if e["name"] == "card.added"]
            assert sorted(texts) == sorted(wanted.values()), client.name

        # Applied once each, even where the ack died with the process and the command was retried.
        export = await asyncio.to_thread(site.export, b, code)
        assert sorted(card["text"] for card in export["cards"]) == sorted(wanted.values())
    finally:
        await close_all(everyone)
        c.stop()
