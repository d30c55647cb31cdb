"""The card tools over the WebSocket: brainwriting keeps cards secret until the reveal,
hidden cards reach facilitators only, merging carries likes, reactions and comments,
reactions count exactly, locked cards refuse experts, bad input is refused."""

import json

import pytest
from channels.db import database_sync_to_async

from workshops import exports
from workshops.models import Card, CardLike, CardReaction, Comment

from .wsutil import add_participant, connect, connect_ready, setup_workshop

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "Geheimidee Seilbahn"


async def drain(client, timeout=0.4):
    """Every frame that arrives within ``timeout``, as one text (to look for secrets)."""
    texts = []
    while not await client.ws.receive_nothing(timeout=timeout):
        texts.append(json.dumps(await client.receive(), ensure_ascii=False))
    return "\n".join(texts)


async def sync_text(client, since):
    await client.ws.send_json_to({"type": "sync", "id": "s", "since": since})
    frames = []
    while True:
        frame = await client.receive()
        frames.append(frame)
        if frame["type"] in ("synced", "snapshot"):
            return json.dumps(frames, ensure_ascii=False), frames


async def test_brainwriting_cards_stay_with_their_author_until_the_reveal():
    workshop, facilitator = await setup_workshop()
    f, _ = await connect_ready(workshop, facilitator)
    anna_p = await add_participant(workshop, "Anna")
    ben_p = await add_participant(workshop, "Ben")
    anna, _ = await connect_ready(workshop, anna_p)
    ben, _ = await connect_ready(workshop, ben_p)
    assert (await ben.command("brainwriting.start"))["code"] == "forbidden"
    assert (await f.command("brainwriting.start"))["type"] == "ack"
    assert (await f.command("brainwriting.start"))["code"] == "conflict"
    assert (await ben.event("workshop.updated"))["data"] == {"brainwriting": True}

    ack = await anna.command("card.add", text=SECRET)
    own = await anna.event("card.added")
    assert own["seq"] == ack["seq"] and own["data"]["text"] == SECRET and own["data"]["private"] is True
    card = own["data"]["id"]
    seen_by_ben = await ben.event("card.private")
    assert seen_by_ben == {"type": "event", "seq": ack["seq"], "name": "card.private", "data": {"count": 1}}
    assert (await f.event("card.private"))["data"] == {"count": 1}
    # The author edits it; still nobody else reads it.
    assert (await anna.command("card.update", card=card, text=SECRET + " mit Gondel"))["type"] == "ack"
    assert (await anna.event("card.updated"))["data"]["text"].startswith(SECRET)

    # Nobody else can reach the card: it does not exist for them, not even for the facilitator.
    for client, command in ((ben, "card.like"), (f, "card.set"), (f, "card.promote"), (ben, "card.react")):
        fields = {"card": card, "pinned": True} if command == "card.set" else {"card": card}
        if command == "card.react":
            fields |= {"emoji": "👍", "on": True}
        assert (await client.command(command, **fields))["code"] == "not_found"
    assert (await anna.command("card.like", card=card))["code"] == "wrong_phase"
    assert (await f.command("comment.add", card=card, text="?"))["code"] == "not_found"
    assert SECRET not in await drain(ben) + await drain(f)

    # A late joiner's snapshot and a replay of the log hold the count, never the text.
    carla, carla_snapshot = await connect_ready(workshop, await add_participant(workshop, "Carla"))
    assert SECRET not in json.dumps(carla_snapshot, ensure_ascii=False)
    assert carla_snapshot["state"]["private_cards"] == 1 and carla_snapshot["state"]["my_private_cards"] == []
    replay, frames = await sync_text(carla, 0)
    assert SECRET not in replay and any(f.get("name") == "card.private" for f in frames)
    replay, _ = await sync_text(f, 0)
    assert SECRET not in replay
    f2, facilitator_snapshot = await connect_ready(workshop, facilitator)
    assert SECRET not in json.dumps(facilitator_snapshot, ensure_ascii=False)
    # The author, reconnecting, gets her own card back; and in a replay.
    anna2, anna_snapshot = await connect_ready(workshop, anna_p)
    assert [c["text"] for c in anna_snapshot["state"]["my_private_cards"]] == [SECRET + " mit Gondel"]
    replay, _ = await sync_text(anna2, 0)
    assert SECRET in replay
    # No export holds it either.
    data = await exports_of(workshop)
    assert SECRET not in json.dumps(data, ensure_ascii=False, default=str)

    # The reveal: everyone gets the card, brainwriting is off, new cards are public again.
    assert (await ben.command("brainwriting.reveal"))["code"] == "forbidden"
    assert (await f.command("brainwriting.reveal"))["type"] == "ack"
    for client in (ben, carla, f, anna):
        revealed = await client.event("cards.revealed")
        assert [(c["id"], c["text"], c["private"]) for c in revealed["data"]["cards"]] == [
            (card, SECRET + " mit Gondel", False)
        ]
    assert (await f.command("brainwriting.reveal"))["code"] == "conflict"
    _, later = await connect_ready(workshop, ben_p)
    assert [c["text"] for c in later["state"]["cards"]] == [SECRET + " mit Gondel"] and later["state"][
        "private_cards"
    ] == 0
    assert (await ben.command("card.like", card=card))["type"] == "ack"
    await ben.command("card.add", text="offen")
    assert (await carla.event("card.added"))["data"]["text"] == "offen"
    for client in (f, f2, anna, anna2, ben, carla):
        await client.close()


@database_sync_to_async
def exports_of(workshop):
    return exports.tables(workshop)


async def test_hidden_cards_reach_facilitators_only_and_come_back_whole():
    workshop, facilitator = await setup_workshop()
    f, _ = await connect_ready(workshop, facilitator)
    anna, _ = await connect_ready(workshop, await add_participant(workshop, "Anna"))
    ben_p = await add_participant(workshop, "Ben")
    ben, _ = await connect_ready(workshop, ben_p)
    await anna.command("card.add", text="Beleidigung")
    card = (await ben.event("card.added"))["data"]["id"]
    assert (await ben.command("card.set", card=card, hidden=True))["code"] == "forbidden"
    ack = await f.command("card.set", card=card, hidden=True)
    assert (await ben.event("card.deleted")) == {
        "type": "event",
        "seq": ack["seq"],
        "name": "card.deleted",
        "data": {"id": card},
    }
    mine = await f.event("card.updated")
    assert mine["data"]["hidden"] is True and mine["data"]["changed"] == ["hidden"]
    # Experts cannot reach it any more (not even its author); the facilitator comments on it.
    assert (await anna.command("card.update", card=card, text="x"))["code"] == "not_found"
    assert (await ben.command("card.react", card=card, emoji="👍", on=True))["code"] == "not_found"
    assert (await f.command("comment.add", card=card, text="Bitte sachlich bleiben"))["type"] == "ack"
    assert (await f.event("comment.added"))["data"]["text"] == "Bitte sachlich bleiben"
    assert (await f.command("card.set", card=card, color="pink"))["type"] == "ack"
    text = await drain(ben)
    assert "Beleidigung" not in text and "sachlich" not in text
    _, snapshot = await connect_ready(workshop, ben_p)
    assert snapshot["state"]["cards"] == [] and snapshot["state"]["comments"] == []
    _, fsnap = await connect_ready(workshop, facilitator)
    assert [c["text"] for c in fsnap["state"]["cards"]] == ["Beleidigung"] and len(fsnap["state"]["comments"]) == 1
    replay, _ = await sync_text(ben, 0)
    assert "sachlich" not in replay and replay.count("Beleidigung") == 1  # only the card.added before hiding

    # Shown again: everyone gets it back whole, with its comment.
    ack = await f.command("card.set", card=card, hidden=False)
    back = await ben.event("card.added")
    assert back["seq"] == ack["seq"] and back["data"]["text"] == "Beleidigung" and back["data"]["color"] == "pink"
    assert [c["text"] for c in back["data"]["comments"]] == ["Bitte sachlich bleiben"]
    assert (await f.event("card.updated"))["data"]["hidden"] is False
    for client in (f, anna, ben):
        await client.close()


async def test_locked_and_pinned_cards():
    workshop, facilitator = await setup_workshop()
    f, _ = await connect_ready(workshop, facilitator)
    anna, _ = await connect_ready(workshop, await add_participant(workshop, "Anna"))
    await anna.command("card.add", text="Festgelegt")
    card = (await anna.event("card.added"))["data"]["id"]
    assert (await f.command("card.set", card=card, locked=True, pinned=True))["type"] == "ack"
    updated = (await anna.event("card.updated"))["data"]
    assert updated["locked"] is True and updated["pinned"] is True and updated["changed"] == ["locked", "pinned"]
    assert (await anna.command("card.update", card=card, text="anders"))["code"] == "locked"
    assert (await anna.command("card.delete", card=card))["code"] == "locked"
    # Likes and reactions stay open on a locked card; the facilitator may still edit it.
    assert (await anna.command("card.react", card=card, emoji="💡", on=True))["type"] == "ack"
    assert (await f.command("card.update", card=card, text="Von der Moderation"))["type"] == "ack"
    assert (await f.command("card.set", card=card, locked=False))["type"] == "ack"
    assert (await anna.command("card.delete", card=card))["type"] == "ack"
    for client in (f, anna):
        await client.close()


async def test_reactions_are_counted_exactly_and_toggle():
    workshop, facilitator = await setup_workshop()
    f, _ = await connect_ready(workshop, facilitator)
    people = [await add_participant(workshop, name) for name in ("Anna", "Ben", "Carla")]
    clients = [(await connect_ready(workshop, p))[0] for p in people]
    anna, ben, carla = clients
    await anna.command("card.add", text="Radwege")
    card = (await anna.event("card.added"))["data"]["id"]
    for client in clients:
        assert (await client.command("card.react", card=card, emoji="👍", on=True))["type"] == "ack"
    # Without the variation selector, ❤ is the same reaction as ❤️.
    assert (await ben.command("card.react", card=card, emoji="❤", on=True))["type"] == "ack"
    assert (await ben.command("card.react", card=card, emoji="👍", on=True))["code"] == "conflict"
    assert (await carla.command("card.react", card=card, emoji="👍", on=False))["type"] == "ack"
    assert (await carla.command("card.react", card=card, emoji="👍", on=False))["code"] == "conflict"
    events = []
    while len(events) < 5:
        events.append((await f.event("card.reacted"))["data"])
    assert [(e["emoji"], e["count"], e["on"]) for e in events] == [
        ("👍", 1, True),
        ("👍", 2, True),
        ("👍", 3, True),
        ("❤️", 1, True),
        ("👍", 2, False),
    ]
    assert events[-1]["participant"] == people[2].pk and events[0]["card"] == card
    _, snapshot = await connect_ready(workshop, people[1])
    assert snapshot["state"]["cards"][0]["reactions"] == {"❤️": 1, "👍": 2}
    assert sorted(snapshot["state"]["my_reactions"]) == sorted([[card, "👍"], [card, "❤️"]])
    for bad in ({"emoji": "🍕", "on": True}, {"emoji": "👍"}, {"emoji": "👍", "on": "ja"}, {"emoji": None, "on": True}):
        assert (await anna.command("card.react", card=card, **bad))["code"] == "invalid"
    assert (await anna.command("card.react", card=999999, emoji="👍", on=True))["code"] == "not_found"
    assert await CardReaction.objects.filter(card_id=card).acount() == 3
    for client in (f, *clients):
        await client.close()


async def test_merging_carries_likes_reactions_and_comments_without_doubles():
    workshop, facilitator = await setup_workshop()
    f, _ = await connect_ready(workshop, facilitator)
    anna_p, ben_p = await add_participant(workshop, "Anna"), await add_participant(workshop, "Ben")
    anna, _ = await connect_ready(workshop, anna_p)
    ben, _ = await connect_ready(workshop, ben_p)
    ids = []
    for text in ("Mehr Busse", "mehr Busse!", "Busse öfter"):
        await anna.command("card.add", text=text)
        ids.append((await anna.event("card.added"))["data"]["id"])
    kept, *duplicates = ids
    # Ben likes all three (one like must remain), Anna the second; reactions likewise.
    for card in ids:
        await ben.command("card.like", card=card)
        await ben.command("card.react", card=card, emoji="👍", on=True)
    await anna.command("card.like", card=duplicates[0])
    await anna.command("card.react", card=duplicates[1], emoji="🎉", on=True)
    await ben.command("comment.add", card=duplicates[0], text="Auch abends")
    await anna.command("comment.add", card=kept, text="Im Takt")

    assert (await anna.command("card.merge", card=kept, cards=duplicates))["code"] == "forbidden"
    for bad in ([], [kept], duplicates + duplicates[:1], "2", [True], list(range(1, 60))):
        assert (await f.command("card.merge", card=kept, cards=bad))["code"] == "invalid", bad
    assert (await f.command("card.merge", card=kept, cards=[999999]))["code"] == "not_found"
    assert (await f.command("card.merge", card=kept, cards=duplicates))["type"] == "ack"
    merged = (await ben.event("cards.merged"))["data"]
    assert merged["removed"] == duplicates
    assert merged["card"]["id"] == kept and merged["card"]["likes"] == 2
    assert merged["card"]["reactions"] == {"👍": 1, "🎉": 1}
    assert await Card.objects.filter(workshop=workshop).acount() == 1
    assert await CardLike.objects.filter(card_id=kept).acount() == 2
    comments = [c async for c in Comment.objects.filter(card_id=kept).values_list("text", flat=True)]
    assert sorted(comments) == ["Auch abends", "Im Takt"]
    _, snapshot = await connect_ready(workshop, ben_p)
    assert snapshot["state"]["my_likes"] == [kept] and snapshot["state"]["my_reactions"] == [[kept, "👍"]]
    assert (await f.command("card.merge", card=kept, cards=duplicates))["code"] == "not_found"
    for client in (f, anna, ben):
        await client.close()


async def test_card_set_bad_input_changes_nothing():
    workshop, facilitator = await setup_workshop()
    f, _ = await connect_ready(workshop, facilitator)
    await f.command("card.add", text="Karte")
    card = (await f.event("card.added"))["data"]["id"]
    for bad in ({}, {"locked": "ja"}, {"pinned": 1}, {"hidden": None}, {"color": "neon"}):
        answer = await f.command("card.set", card=card, **bad)
        assert answer["code"] == "invalid", bad
    assert (await f.command("card.set", card="1", pinned=True))["code"] == "invalid"
    assert (await f.command("card.set", card=424242, pinned=True))["code"] == "not_found"
    stored = await Card.objects.aget(pk=card)
    assert (stored.locked, stored.pinned, stored.hidden, stored.color) == (False, False, False, "yellow")
    await f.close()


async def test_a_socket_connected_during_brainwriting_sees_its_own_cards_only():
    """Two experts write at once; each socket (and the fresh ``connect``) has only its own."""
    workshop, facilitator = await setup_workshop()
    f, _ = await connect_ready(workshop, facilitator)
    await f.command("brainwriting.start")
    anna_p, ben_p = await add_participant(workshop, "Anna"), await add_participant(workshop, "Ben")
    anna, _ = await connect_ready(workshop, anna_p)
    ben, _ = await connect_ready(workshop, ben_p)
    await anna.command("card.add", text="Annas Geheimnis")
    await ben.command("card.add", text="Bens Geheimnis")
    assert "Bens" not in await drain(anna) and "Annas" not in await drain(ben)
    late = await connect(workshop, ben_p)
    snapshot = await late.wait_for(lambda frame: frame["type"] == "snapshot")
    assert [c["text"] for c in snapshot["state"]["my_private_cards"]] == ["Bens Geheimnis"]
    assert snapshot["state"]["private_cards"] == 2 and "Annas" not in json.dumps(snapshot, ensure_ascii=False)
    # The facilitator's own private card cannot become a poll option (its text would show).
    await f.command("card.add", text="Moderationsidee")
    own = (await f.event("card.added"))["data"]["id"]
    refused = await f.command("poll.create", question="Was?", kind="single", options=[{"card": own}, "b"])
    assert refused["code"] == "wrong_phase"
    for client in (f, anna, ben, late):
        await client.close()
