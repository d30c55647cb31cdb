"""A participant who was away gets exactly the events missed, none twice."""

import pytest

from .wsutil import add_participant, connect, connect_ready, setup_workshop

pytestmark = pytest.mark.django_db(transaction=True)


async def test_sync_since_returns_exactly_the_missed_events():
    workshop, _ = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    ben = await add_participant(workshop, "Ben")
    a, _ = await connect_ready(workshop, anna)
    b, _ = await connect_ready(workshop, ben)
    await a.command("card.add", text="Erste Idee")
    await b.event("card.added")
    await b.close()  # Ben's train goes into a tunnel

    for text in ("Zweite Idee", "Dritte Idee", "Vierte Idee"):
        await a.command("card.add", text=text)

    b = await connect(workshop, ben)
    snapshot = await b.wait_for(lambda f: f["type"] == "snapshot")
    assert snapshot["seq"] == 4
    await b.ws.send_json_to({"type": "sync", "id": "s1", "since": 1})
    replies = []
    while True:
        frame = await b.receive()
        if frame["type"] == "synced":
            break
        replies.append(frame)
    assert [(f["seq"], f["data"]["text"]) for f in replies] == [
        (2, "Zweite Idee"),
        (3, "Dritte Idee"),
        (4, "Vierte Idee"),
    ]
    # Later events continue the sequence without gaps.
    await a.command("card.add", text="Fünfte Idee")
    event = await b.event("card.added")
    assert event["seq"] == 5
    await a.close()
    await b.close()


async def test_sync_from_the_future_or_far_behind_gets_a_snapshot(settings):
    workshop, _ = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    a, _ = await connect_ready(workshop, anna)
    await a.command("card.add", text="Idee")
    await a.ws.send_json_to({"type": "sync", "id": "s", "since": 99})
    snapshot = await a.wait_for(lambda f: f["type"] in ("snapshot", "synced"))
    assert snapshot["type"] == "snapshot"
    assert snapshot["seq"] == 1
    assert [c["text"] for c in snapshot["state"]["cards"]] == ["Idee"]
    await a.close()


async def test_a_lost_broadcast_is_filled_in_from_the_database(monkeypatch):
    """If the channel layer drops an event, the next one reveals the gap and the server fills it."""
    from workshops import broadcast

    workshop, _ = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    ben = await add_participant(workshop, "Ben")
    a, _ = await connect_ready(workshop, anna)
    b, _ = await connect_ready(workshop, ben)
    real = broadcast.send_events
    monkeypatch.setattr(broadcast, "send_events", lambda *args: None)
    await a.command("card.add", text="verschluckt")
    monkeypatch.setattr(broadcast, "send_events", real)
    await a.command("card.add", text="danach")
    first = await b.event("card.added")
    second = await b.event("card.added")
    assert [(first["seq"], first["data"]["text"]), (second["seq"], second["data"]["text"])] == [
        (1, "verschluckt"),
        (2, "danach"),
    ]
    await a.close()
    await b.close()
