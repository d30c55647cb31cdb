"""Each server process hears a workshop's broadcasts once and writes them to its
sockets; a socket that is busy or behind still gets every event exactly once, in
order, and a broadcast the channel layer lost still arrives."""

import asyncio

import pytest

from workshops import broadcast

from .wsutil import add_participant, connect_ready, setup_workshop

pytestmark = pytest.mark.django_db(transaction=True)


def event_seqs(client):
    return [fr["seq"] for fr in client.frames if fr["type"] == "event"]


async def read_until_seq(client, seq, timeout=5):
    if seq not in event_seqs(client):
        await client.wait_for(lambda fr: fr["type"] == "event" and fr["seq"] == seq, timeout)


async def test_busy_sockets_get_every_event_once_in_order_and_their_ack_first():
    workshop, _ = await setup_workshop()
    clients = [(await connect_ready(workshop, await add_participant(workshop, n)))[0] for n in ("A", "B", "C")]
    writers = clients[:2]  # two people typing at once: their sockets are busy while cards arrive

    async def write(client, tag):
        acks = []
        for n in range(10):
            await client.ws.send_json_to({"type": "card.add", "id": f"{tag}{n}", "text": f"Idee {tag}{n}"})
            acks.append(
                await client.wait_for(lambda fr, i=f"{tag}{n}": fr.get("type") in ("ack", "error") and fr["id"] == i)
            )
        return acks

    acks = await asyncio.gather(write(writers[0], "a"), write(writers[1], "b"))
    assert all(a["type"] == "ack" for batch in acks for a in batch)
    for client in clients:
        await read_until_seq(client, 20)
        assert event_seqs(client) == list(range(1, 21))
    for client, batch in zip(writers, acks, strict=True):
        for ack in batch:
            # Its own card's event comes after the ack, never before.
            position = client.frames.index(ack)
            assert not any(fr["type"] == "event" and fr["seq"] == ack["seq"] for fr in client.frames[:position]), ack
    for client in clients:
        await client.close()


async def test_a_socket_that_is_syncing_gets_the_events_after_its_sync_once():
    workshop, _ = await setup_workshop()
    anna, _ = await connect_ready(workshop, await add_participant(workshop, "Anna"))
    ben, _ = await connect_ready(workshop, await add_participant(workshop, "Ben"))
    await anna.command("card.add", text="erste")
    await read_until_seq(ben, 1)
    # Ben asks for a sync while Anna keeps adding cards.
    await ben.ws.send_json_to({"type": "sync", "id": "s", "since": 0})
    for n in range(6):
        await anna.command("card.add", text=f"mehr {n}")
    await read_until_seq(ben, 7)
    if not any(fr["type"] == "synced" for fr in ben.frames):
        # On a loaded machine the sync can be answered after the last card's event.
        await ben.wait_for(lambda fr: fr["type"] == "synced", 5)
    position = next(i for i, fr in enumerate(ben.frames) if fr["type"] == "synced")
    synced = ben.frames[position]
    # The sync answers with what Ben asked for (up to its seq); everything after it
    # arrives once, in order, without a gap.
    reply = [fr["seq"] for fr in ben.frames[:position] if fr["type"] == "event"]
    assert reply[-synced["seq"] :] == list(range(1, synced["seq"] + 1))
    after = [fr["seq"] for fr in ben.frames[position + 1 :] if fr["type"] == "event"]
    assert after == list(range(synced["seq"] + 1, 8))
    await anna.close()
    await ben.close()


async def test_a_lost_last_broadcast_still_arrives(monkeypatch):
    workshop, _ = await setup_workshop()
    anna, _ = await connect_ready(workshop, await add_participant(workshop, "Anna"))
    ben, _ = await connect_ready(workshop, await add_participant(workshop, "Ben"))
    monkeypatch.setattr(broadcast, "send_events", lambda *args: None)
    ack = await anna.command("card.add", text="niemand hört es")
    assert ack["type"] == "ack"
    # No later event reveals the gap; the process's hub notices by itself.
    for client in (anna, ben):
        event = await client.event("card.added", timeout=8)
        assert (event["seq"], event["data"]["text"]) == (1, "niemand hört es")
    await anna.close()
    await ben.close()


async def test_broadcasts_that_overtake_each_other_reach_every_socket_in_order(monkeypatch):
    # Two server processes' broadcasts may arrive the other way round; the hub puts them
    # back in order, and if the earlier one never comes it reads it once for all sockets.
    from channels.db import database_sync_to_async

    from workshops import selectors
    from workshops.consumers import hub

    monkeypatch.setattr(hub, "GAP_WAIT", 1.0)  # the earlier broadcast comes well within it, also on a busy machine
    workshop, _ = await setup_workshop()
    people = [await add_participant(workshop, n) for n in ("Anna", "Ben", "Cem")]
    clients = [(await connect_ready(workshop, person))[0] for person in people]
    monkeypatch.setattr(broadcast, "send_events", lambda *args: None)  # we broadcast by hand
    for n in range(3):
        assert (await clients[0].command("card.add", text=f"Idee {n}"))["type"] == "ack"
    frames = await database_sync_to_async(selectors.events_since)(workshop.pk, 0)
    reads = []
    events_since = selectors.events_since

    def counted(*args, **kwargs):
        reads.append(args)
        return events_since(*args, **kwargs)

    monkeypatch.setattr(selectors, "events_since", counted)
    await broadcast.asend_events(workshop.pk, [frames[1]])  # seq 2 first
    await broadcast.asend_events(workshop.pk, [frames[0]])
    for client in clients:
        await read_until_seq(client, 2)
    # Seq 3's broadcast is lost and seq 4 comes: 3 is read from the database, once.
    assert (await clients[0].command("card.add", text="Idee 3"))["type"] == "ack"
    fourth = (await database_sync_to_async(events_since)(workshop.pk, 3))[0]
    await broadcast.asend_events(workshop.pk, [fourth])
    for client in clients:
        await read_until_seq(client, 4)
        assert event_seqs(client) == [1, 2, 3, 4]
    assert len(reads) == 1, reads
    for client in clients:
        await client.close()
