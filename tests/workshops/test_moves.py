"""Moving things on the canvas: a dropped card (``card.move``), a moved cluster
(``cluster.move``) and transient drags (``card.drag``, coalesced ``moving`` frames that
never reach the event log)."""

import asyncio

import pytest
from channels.db import database_sync_to_async

from workshops.consumers import dragging
from workshops.models import Card, Cluster, ParticipantRole, Workshop

from .wsutil import add_participant, connect, connect_ready, setup_workshop

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def make_card(workshop, author, **fields):
    return Card.objects.create(workshop=workshop, author=author, text="Idee", **fields)


@database_sync_to_async
def make_cluster(workshop, **fields):
    return Cluster.objects.create(workshop=workshop, title="Thema", **fields)


@database_sync_to_async
def board(workshop):
    cards = {c.pk: (c.x, c.y, c.cluster_id) for c in Card.objects.filter(workshop=workshop)}
    clusters = {c.pk: (c.x, c.y, c.w, c.h) for c in Cluster.objects.filter(workshop=workshop)}
    return cards, clusters, Workshop.objects.get(pk=workshop.pk).last_seq


@database_sync_to_async
def update(model, pk, **fields):
    model.objects.filter(pk=pk).update(**fields)


async def test_a_dropped_card_moves_for_everyone_and_in_the_database():
    workshop, facilitator = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    ben = await add_participant(workshop, "Ben")
    card = await make_card(workshop, facilitator)
    cluster = await make_cluster(workshop)
    a, _ = await connect_ready(workshop, anna)
    b, _ = await connect_ready(workshop, ben)
    # Experts may move any card that is not locked, not only their own.
    answer = await a.command("card.move", card=card.pk, x=640.5, y=-80)
    assert answer["type"] == "ack" and answer["seq"] == 1
    event = await b.event("card.moved")
    assert event["data"] == {"id": card.pk, "x": 640.5, "y": -80.0, "cluster": None}
    # The facilitator drops it into the cluster.
    f, _ = await connect_ready(workshop, facilitator)
    answer = await f.command("card.move", card=card.pk, x=10, y=20, cluster=cluster.pk)
    assert answer["type"] == "ack"
    event = await b.event("card.moved")
    assert event["data"] == {"id": card.pk, "x": 10.0, "y": 20.0, "cluster": cluster.pk}
    cards, _, last_seq = await board(workshop)
    assert cards[card.pk] == (10.0, 20.0, cluster.pk) and last_seq == 2
    # A move without ``cluster`` keeps the card where it belongs.
    await a.command("card.move", card=card.pk, x=30, y=40)
    assert (await b.event("card.moved"))["data"]["cluster"] == cluster.pk
    for client in (a, b, f):
        await client.close()


async def test_a_moved_cluster_carries_its_cards_along():
    workshop, facilitator = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    cluster = await make_cluster(workshop, x=100, y=100)
    inside = [await make_card(workshop, anna, cluster=cluster, x=120 + 10 * n, y=140) for n in range(3)]
    outside = await make_card(workshop, anna, x=5, y=5)
    f, _ = await connect_ready(workshop, facilitator)
    a, _ = await connect_ready(workshop, anna)
    answer = await f.command("cluster.move", cluster=cluster.pk, x=400, y=50, w=600, h=420)
    assert answer["type"] == "ack"
    event = await a.event("cluster.moved")
    assert event["data"]["id"] == cluster.pk
    assert (event["data"]["x"], event["data"]["y"], event["data"]["w"], event["data"]["h"]) == (400, 50, 600, 420)
    assert sorted((c["id"], c["x"], c["y"]) for c in event["data"]["cards"]) == [
        (card.pk, 420.0 + 10 * n, 90.0) for n, card in enumerate(inside)
    ]
    cards, clusters, _ = await board(workshop)
    assert clusters[cluster.pk] == (400, 50, 600, 420)
    assert cards[outside.pk] == (5, 5, None)
    assert [cards[card.pk][:2] for card in inside] == [(420.0 + 10 * n, 90.0) for n in range(3)]
    # Without w and h the size stays.
    await f.command("cluster.move", cluster=cluster.pk, x=0, y=0)
    event = await a.event("cluster.moved")
    assert (event["data"]["w"], event["data"]["h"]) == (600, 420)
    await f.close()
    await a.close()


async def test_who_may_move_what_by_role_phase_and_lock():
    workshop, facilitator = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    ben = await add_participant(workshop, "Ben")
    beamer = await add_participant(workshop, "Beamer", role=ParticipantRole.OBSERVER)
    card = await make_card(workshop, ben)
    cluster = await make_cluster(workshop)
    a, _ = await connect_ready(workshop, anna)
    o, _ = await connect_ready(workshop, beamer)
    f, _ = await connect_ready(workshop, facilitator)

    async def refused(client, code, type_, **fields):
        before = await board(workshop)
        answer = await client.command(type_, **fields)
        assert answer["type"] == "error" and answer["code"] == code, answer
        assert await board(workshop) == before

    await refused(o, "forbidden", "card.move", card=card.pk, x=1, y=1)
    await refused(o, "forbidden", "card.drag", card=card.pk, x=1, y=1)
    # Putting someone else's card into a cluster is clustering: not for experts here.
    await refused(a, "forbidden", "card.move", card=card.pk, x=1, y=1, cluster=cluster.pk)
    await refused(a, "forbidden", "cluster.move", cluster=cluster.pk, x=1, y=1)
    # Locked card: facilitators only.
    await update(Card, card.pk, locked=True)
    await asyncio.sleep(dragging.RULES_MAX_AGE + 0.1)  # the drags' view of the board is at most this old
    await refused(a, "locked", "card.move", card=card.pk, x=1, y=1)
    await refused(a, "locked", "card.drag", card=card.pk, x=1, y=1)
    assert (await f.command("card.move", card=card.pk, x=2, y=2))["type"] == "ack"
    assert (await f.command("card.drag", card=card.pk, x=3, y=3))["type"] == "ack"
    await update(Card, card.pk, locked=False)
    # A private card of someone else, a hidden card: as if there were none.
    await update(Card, card.pk, private=True)
    await refused(a, "not_found", "card.move", card=card.pk, x=1, y=1)
    await update(Card, card.pk, private=False, hidden=True)
    await refused(a, "not_found", "card.move", card=card.pk, x=1, y=1)
    await update(Card, card.pk, hidden=False)
    # The board locked, or a phase without board changes: not for experts; facilitators still may.
    assert (await f.command("workshop.update", board_locked=True))["type"] == "ack"
    await refused(a, "locked", "card.move", card=card.pk, x=1, y=1)
    assert (await f.command("workshop.update", board_locked=False))["type"] == "ack"
    assert (await f.command("phase.set", phase="vote"))["type"] == "ack"
    await refused(a, "wrong_phase", "card.move", card=card.pk, x=1, y=1)
    await asyncio.sleep(dragging.RULES_MAX_AGE + 0.1)
    await refused(a, "wrong_phase", "card.drag", card=card.pk, x=1, y=1)
    assert (await f.command("card.move", card=card.pk, x=5, y=5))["type"] == "ack"
    assert (await f.command("cluster.move", cluster=cluster.pk, x=5, y=5))["type"] == "ack"
    # Experts manage clusters when the workshop lets them.
    assert (await f.command("phase.set", phase="cluster"))["type"] == "ack"
    assert (await f.command("workshop.update", participants_may_cluster=True))["type"] == "ack"
    assert (await a.command("cluster.move", cluster=cluster.pk, x=7, y=7))["type"] == "ack"
    assert (await a.command("card.move", card=card.pk, x=8, y=8, cluster=cluster.pk))["type"] == "ack"
    for client in (a, o, f):
        await client.close()


async def test_bad_input_is_refused_and_changes_nothing():
    workshop, facilitator = await setup_workshop()
    card = await make_card(workshop, facilitator)
    cluster = await make_cluster(workshop)
    other, other_facilitator = await setup_workshop()
    foreign = await make_cluster(other)
    f, _ = await connect_ready(workshop, facilitator)
    bad = [
        ("card.move", {"card": card.pk, "x": "1", "y": 2}, "invalid"),
        ("card.move", {"card": card.pk, "x": 1}, "invalid"),
        ("card.move", {"card": card.pk, "x": 100_001, "y": 0}, "invalid"),
        ("card.move", {"card": card.pk, "x": True, "y": 0}, "invalid"),
        ("card.move", {"card": card.pk, "x": 0, "y": 0, "cluster": "k"}, "invalid"),
        ("card.move", {"card": card.pk, "x": 0, "y": 0, "cluster": foreign.pk}, "not_found"),
        ("card.move", {"card": 999_999, "x": 0, "y": 0}, "not_found"),
        ("card.move", {"x": 0, "y": 0}, "invalid"),
        ("cluster.move", {"cluster": cluster.pk, "x": 0, "y": 0, "w": 0}, "invalid"),
        ("cluster.move", {"cluster": cluster.pk, "x": 0, "y": 0, "h": -5}, "invalid"),
        ("cluster.move", {"cluster": cluster.pk, "x": 0, "y": 0, "w": 1e9}, "invalid"),
        ("cluster.move", {"cluster": cluster.pk, "x": 0, "y": 0, "w": None}, "invalid"),
        ("cluster.move", {"cluster": cluster.pk, "x": [], "y": 0}, "invalid"),
        ("cluster.move", {"cluster": foreign.pk, "x": 0, "y": 0}, "not_found"),
        ("card.drag", {"card": card.pk, "x": 1e6, "y": 0}, "invalid"),
        ("card.drag", {"card": "1", "x": 0, "y": 0}, "invalid"),
        ("card.drag", {"card": 999_999, "x": 0, "y": 0}, "not_found"),
    ]
    before = await board(workshop)
    for type_, fields, code in bad:
        answer = await f.command(type_, **fields)
        assert answer["type"] == "error" and answer["code"] == code, (type_, fields, answer)
    assert await board(workshop) == before
    await f.close()


async def test_drags_reach_everyone_coalesced_and_never_the_log():
    workshop, facilitator = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    ben = await add_participant(workshop, "Ben")
    card = await make_card(workshop, facilitator)
    a, _ = await connect_ready(workshop, anna)
    b, _ = await connect_ready(workshop, ben)
    for n in range(30):
        await a.ws.send_json_to({"type": "card.drag", "id": f"d{n}", "card": card.pk, "x": n, "y": 2 * n})
    acks = [await a.wait_for(lambda f: f.get("type") in ("ack", "error")) for _ in range(30)]
    assert all(ack["type"] == "ack" and ack["seq"] is None for ack in acks), acks
    # Ben sees the card travel: a few frames, the last with the latest position, by Anna.
    frames = []
    while not frames or frames[-1]["cards"][-1]["x"] != 29:
        frames.append(await b.wait_for(lambda f: f["type"] == "moving"))
    assert len(frames) < 10
    assert frames[-1]["cards"] == [{"id": card.pk, "x": 29.0, "y": 58.0, "by": anna.pk}]
    assert not [f for f in b.frames if f["type"] == "event"]
    _, _, last_seq = await board(workshop)
    assert last_seq == 0
    # The drop is logged; a drag still on its way does not move the card back afterwards.
    await a.ws.send_json_to({"type": "card.drag", "id": "late", "card": card.pk, "x": 99, "y": 99})
    await a.command("card.move", card=card.pk, x=500, y=600)
    await b.event("card.moved")
    await asyncio.sleep(dragging.MOVING_INTERVAL * 3)
    assert (await board(workshop))[0][card.pk][:2] == (500, 600)
    await a.close()
    await b.close()


async def test_drags_have_their_own_rate_limit():
    workshop, facilitator = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    card = await make_card(workshop, facilitator)
    a, _ = await connect_ready(workshop, anna)
    for n in range(60):
        await a.ws.send_json_to({"type": "card.drag", "id": f"d{n}", "card": card.pk, "x": n, "y": 0})
    answers = [await a.wait_for(lambda f: f.get("type") in ("ack", "error")) for _ in range(60)]
    limited = [answer for answer in answers if answer["type"] == "error"]
    assert limited and all(answer["code"] == "rate_limited" for answer in limited)
    assert len(answers) - len(limited) >= dragging.DRAG_BURST
    # The command budget is untouched.
    for n in range(5):
        assert (await a.command("card.add", text=f"Idee {n}"))["type"] == "ack"
    await a.close()


async def test_a_resync_after_a_drop_sees_the_final_positions():
    workshop, facilitator = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    ben = await add_participant(workshop, "Ben")
    card = await make_card(workshop, facilitator)
    cluster = await make_cluster(workshop)
    await update(Card, card.pk, cluster=cluster.pk)
    a, _ = await connect_ready(workshop, anna)
    f, _ = await connect_ready(workshop, facilitator)
    b, _ = await connect_ready(workshop, ben)
    await a.command("card.move", card=card.pk, x=1, y=1)
    await b.event("card.moved")
    await b.close()  # Ben's connection drops, the board goes on
    await a.command("card.drag", card=card.pk, x=50, y=50)
    await a.command("card.move", card=card.pk, x=100, y=200, cluster=None)
    await f.command("card.move", card=card.pk, x=110, y=210, cluster=cluster.pk)
    await f.command("cluster.move", cluster=cluster.pk, x=50, y=60)
    final = (await board(workshop))[0][card.pk]
    b = await connect(workshop, ben)
    snapshot = await b.wait_for(lambda f: f["type"] == "snapshot")
    shown = {c["id"]: (c["x"], c["y"], c["cluster"]) for c in snapshot["state"]["cards"]}
    assert shown[card.pk] == final
    # And replaying the events since the drop gives the same place.
    await b.ws.send_json_to({"type": "sync", "id": "s", "since": 1})
    position = {}
    while True:
        frame = await b.receive()
        if frame["type"] == "synced":
            break
        if frame.get("name") == "card.moved":
            position = {"x": frame["data"]["x"], "y": frame["data"]["y"], "cluster": frame["data"]["cluster"]}
        elif frame.get("name") == "cluster.moved":
            (moved,) = [c for c in frame["data"]["cards"] if c["id"] == card.pk]
            position.update(x=moved["x"], y=moved["y"])
    assert (position["x"], position["y"], position["cluster"]) == final
    for client in (a, b, f):
        await client.close()


async def test_moves_of_private_and_hidden_cards_stay_with_who_may_see_them():
    workshop, facilitator = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    ben = await add_participant(workshop, "Ben")
    cluster = await make_cluster(workshop)
    private = await make_card(workshop, anna, private=True, cluster=cluster)
    hidden = await make_card(workshop, ben, hidden=True)
    a, _ = await connect_ready(workshop, anna)
    b, _ = await connect_ready(workshop, ben)
    f, _ = await connect_ready(workshop, facilitator)
    assert (await a.command("card.move", card=private.pk, x=70, y=80))["type"] == "ack"
    assert (await a.event("card.moved"))["data"]["id"] == private.pk
    for other in (b, f):
        public = await other.wait_for(lambda frame: frame["type"] == "event")
        assert public["name"] == "card.private" and "x" not in public["data"]
    assert (await f.command("card.move", card=hidden.pk, x=1, y=2))["type"] == "ack"
    assert (await f.event("card.moved"))["data"]["id"] == hidden.pk
    for other in (a, b):
        public = await other.wait_for(lambda frame: frame["type"] == "event")
        assert public["name"] != "card.moved" and "x" not in (public.get("data") or {})
    # A cluster's move lists no private card; drags of private cards reach nobody else.
    assert (await f.command("cluster.move", cluster=cluster.pk, x=300, y=300))["type"] == "ack"
    assert (await b.event("cluster.moved"))["data"]["cards"] == []
    assert (await a.command("card.drag", card=private.pk, x=5, y=5))["type"] == "ack"
    await asyncio.sleep(dragging.MOVING_INTERVAL * 3)
    assert not [frame for frame in b.frames if frame["type"] == "moving"]
    for client in (a, b, f):
        await client.close()


async def test_a_drag_without_an_id_gets_no_answer_unless_refused():
    workshop, facilitator = await setup_workshop()
    card = await make_card(workshop, facilitator)
    f, _ = await connect_ready(workshop, facilitator)
    await f.ws.send_json_to({"type": "card.drag", "card": card.pk, "x": 1, "y": 2})
    moving = await f.wait_for(lambda frame: frame["type"] in ("moving", "ack", "error"))
    assert moving["type"] == "moving"
    await f.ws.send_json_to({"type": "card.drag", "card": card.pk, "x": "links", "y": 2})
    error = await f.wait_for(lambda frame: frame["type"] in ("ack", "error"))
    assert error["code"] == "invalid" and error["id"] is None
    await f.close()


def test_drops_in_one_batch_each_get_their_event_receipt_and_answer():
    from tests import factories
    from workshops.actions import CommandError, apply_moves, create_workshop, join_workshop

    process = factories.make_process()
    user = factories.make_facilitator(process)
    workshop = create_workshop(user, process, "Stapel")
    facilitator = join_workshop(workshop, user, "Moderation", ParticipantRole.FACILITATOR)
    anna = join_workshop(workshop, None, "Anna", ParticipantRole.EXPERT)
    beamer = join_workshop(workshop, None, "Beamer", ParticipantRole.OBSERVER)
    cards = [Card.objects.create(workshop=workshop, author=facilitator, text=f"Idee {n}") for n in range(3)]
    Card.objects.filter(pk=cards[2].pk).update(locked=True)
    batch = [
        (anna.pk, {"type": "card.move", "id": "a1", "card": cards[0].pk, "x": 10, "y": 10}),
        (beamer.pk, {"type": "card.move", "id": "b1", "card": cards[0].pk, "x": 99, "y": 99}),  # observer
        (anna.pk, {"type": "card.move", "id": "a2", "card": cards[2].pk, "x": 99, "y": 99}),  # locked
        (facilitator.pk, {"type": "card.move", "id": "f1", "card": cards[1].pk, "x": 20, "y": 20}),
        (anna.pk, {"type": "card.move", "id": "a1", "card": cards[0].pk, "x": 50, "y": 50}),  # a twin of a1
        (anna.pk, {"type": "card.move", "card": cards[0].pk, "x": 1, "y": 1}),  # no id
    ]
    results = apply_moves(batch)
    assert [r.code if isinstance(r, CommandError) else (r.seq, r.duplicate) for r in results] == [
        (1, False),
        "forbidden",
        "locked",
        (2, False),
        (1, True),
        "invalid",
    ]
    assert [(c.x, c.y) for c in Card.objects.filter(pk__in=[c.pk for c in cards]).order_by("pk")] == [
        (10, 10),
        (20, 20),
        (0, 0),
    ]
    workshop.refresh_from_db()
    assert workshop.last_seq == 2
    assert list(workshop.events.order_by("seq").values_list("seq", "name")) == [(1, "card.moved"), (2, "card.moved")]
    # Again later: duplicates, nothing applied twice.
    again = apply_moves(batch[:1] + batch[3:4])
    assert [(r.seq, r.duplicate) for r in again] == [(1, True), (2, True)]


async def test_a_storm_of_drops_from_many_sockets_is_applied_once_each_in_seq_order():
    workshop, facilitator = await setup_workshop()
    people = [await add_participant(workshop, f"Person {n}") for n in range(8)]
    cards = [await make_card(workshop, facilitator) for _ in people]
    clients = [(await connect_ready(workshop, person))[0] for person in people]
    for round_ in range(3):
        for n, client in enumerate(clients):
            await client.ws.send_json_to(
                {"type": "card.move", "id": f"m{round_}", "card": cards[n].pk, "x": round_, "y": n}
            )
    for client in clients:
        answers = [await client.wait_for(lambda f: f.get("type") in ("ack", "error"), 15) for _ in range(3)]
        assert all(a["type"] == "ack" and not a["duplicate"] for a in answers), answers
    watcher = clients[0]

    def seqs():
        return [f["seq"] for f in watcher.frames if f.get("name") == "card.moved"]

    while len(seqs()) < 24:
        await watcher.event("card.moved", timeout=15)
    assert seqs() == list(range(1, 25))
    positions, _, last_seq = await board(workshop)
    assert last_seq == 24
    assert all(positions[card.pk][:2] == (2, n) for n, card in enumerate(cards))
    for client in clients:
        await client.close()
