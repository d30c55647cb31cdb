"""A socket opened with ``bundle=1`` gets consecutive events as one ``events`` frame
(a batch of drops, a resync); a socket without it gets one ``event`` frame each, as
before. Both see the same events, in seq order, once."""

import pytest
from channels.db import database_sync_to_async

from workshops.actions import apply_moves
from workshops.models import Card

from .wsutil import add_participant, connect, setup_workshop

pytestmark = pytest.mark.django_db(transaction=True)


async def open_socket(workshop, participant, bundle):
    from workshops.tickets import issue_ticket

    ticket = await database_sync_to_async(issue_ticket)(participant)
    client = await connect(workshop, query=f"ticket={ticket}&bundle=1" if bundle else f"ticket={ticket}")
    snapshot = await client.wait_for(lambda f: f["type"] == "snapshot")
    return client, snapshot


def events_seen(client):
    """The events a client has, in the order received, whichever frames carried them."""
    seen = []
    for frame in client.frames:
        if frame["type"] == "event":
            seen.append(frame)
        elif frame["type"] == "events":
            seen.extend(frame["events"])
    return seen


@database_sync_to_async
def make_cards(workshop, author, count):
    return [Card.objects.create(workshop=workshop, author=author, text=f"Karte {n}") for n in range(count)]


async def test_a_batch_of_drops_reaches_a_bundling_socket_as_one_frame_and_an_old_one_frame_by_frame():
    workshop, facilitator = await setup_workshop()
    cards = await make_cards(workshop, facilitator, 3)
    anna = await add_participant(workshop, "Anna")
    bundling, _ = await open_socket(workshop, anna, bundle=True)
    old, _ = await open_socket(workshop, await add_participant(workshop, "Ben"), bundle=False)
    drops = [
        (anna.pk, {"type": "card.move", "id": f"d{n}", "card": card.pk, "x": 100 * n, "y": 40})
        for n, card in enumerate(cards)
    ]
    results = await database_sync_to_async(apply_moves)(drops)  # one transaction, one broadcast
    assert [r.seq for r in results] == [1, 2, 3]

    bundle = await bundling.wait_for(lambda f: f["type"] in ("events", "event"), timeout=5)
    assert bundle["type"] == "events"
    assert [(e["type"], e["seq"], e["name"], e["data"]["x"]) for e in bundle["events"]] == [
        ("event", 1, "card.moved", 0),
        ("event", 2, "card.moved", 100),
        ("event", 3, "card.moved", 200),
    ]
    for seq in (1, 2, 3):
        frame = await old.wait_for(lambda f: f["type"] in ("events", "event"), timeout=5)
        assert (frame["type"], frame["seq"]) == ("event", seq)
    assert events_seen(old) == bundle["events"]
    await bundling.nothing_more()
    await old.nothing_more()
    await bundling.close()
    await old.close()


async def test_a_resync_comes_as_one_frame_to_a_bundling_socket():
    workshop, facilitator = await setup_workshop()
    bundling, _ = await open_socket(workshop, await add_participant(workshop, "Anna"), bundle=True)
    old, _ = await open_socket(workshop, await add_participant(workshop, "Ben"), bundle=False)
    for n in range(4):
        assert (await bundling.command("card.add", text=f"Idee {n}"))["type"] == "ack"
    for client in (bundling, old):
        await client.wait_for(lambda f: f["type"] == "event" and f["seq"] == 4, timeout=5)
        client.frames.clear()
        await client.ws.send_json_to({"type": "sync", "id": "s", "since": 1})
        await client.wait_for(lambda f: f["type"] == "synced", timeout=5)
    assert [f["type"] for f in bundling.frames] == ["events", "synced"]
    assert [f["type"] for f in old.frames] == ["event", "event", "event", "synced"]
    assert events_seen(bundling) == events_seen(old)
    assert [(e["seq"], e["data"]["text"]) for e in events_seen(old)] == [(2, "Idee 1"), (3, "Idee 2"), (4, "Idee 3")]
    await bundling.close()
    await old.close()
