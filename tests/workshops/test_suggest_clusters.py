"""Suggested clusters: the method on real-looking cards with planted topics
(``workshops.suggest``), the ``clusters.suggest`` reply to the asking facilitator alone, and
accepting a suggestion with ``cluster.add`` and ``cards``."""

import random
from collections import Counter

import pytest
from channels.db import database_sync_to_async
from sklearn.metrics import adjusted_rand_score

from workshops.models import Card, Cluster, Workshop, WorkshopEvent
from workshops.suggest import MAX_CARDS, suggest_clusters

from .suggest_cards import CARDS
from .wsutil import add_participant, connect_ready, setup_workshop

# --- the method -------------------------------------------------------------------------


def _numbered(cards=CARDS):
    return [(index + 1, text) for index, (_, text) in enumerate(cards)]


def _labels(groups, count):
    """One label per card: its group, or a label of its own when it is in none."""
    found = {}
    for number, group in enumerate(groups):
        for card_id in group["cards"]:
            assert card_id not in found, "a card is in two groups"
            found[card_id] = f"group {number}"
    return [found.get(card_id, f"alone {card_id}") for card_id in range(1, count + 1)]


def test_the_planted_topics_are_recovered():
    groups = suggest_clusters(_numbered())
    truth = [topic or f"noise {index}" for index, (topic, _) in enumerate(CARDS)]
    predicted = _labels(groups, len(CARDS))
    assert adjusted_rand_score(truth, predicted) >= 0.8
    # Each planted topic has one group holding most of its cards, and that group is mostly it.
    topics = {topic for topic, _ in CARDS if topic}
    assert len(groups) >= len(topics)
    for topic in topics:
        members = [index + 1 for index, (t, _) in enumerate(CARDS) if t == topic]
        best = max(groups, key=lambda group: len(set(group["cards"]) & set(members)))
        share = len(set(best["cards"]) & set(members))
        assert share >= 0.6 * len(members), (topic, best)
        assert share >= 0.75 * len(best["cards"]), (topic, best)
    # Cards on nothing in particular stay out of the groups (at most one slips in).
    noise = {index + 1 for index, (topic, _) in enumerate(CARDS) if topic is None}
    assert len(noise & {card for group in groups for card in group["cards"]}) <= 1


def test_a_method_that_ignores_the_texts_fails_the_measure():
    # The measure is one a wrong method does not pass: random groups of the same sizes.
    groups = suggest_clusters(_numbered())
    truth = [topic or f"noise {index}" for index, (topic, _) in enumerate(CARDS)]
    shuffled = list(range(1, len(CARDS) + 1))
    random.Random(7).shuffle(shuffled)
    cursor = 0
    random_groups = []
    for group in groups:
        random_groups.append({"cards": shuffled[cursor : cursor + len(group["cards"])]})
        cursor += len(group["cards"])
    assert adjusted_rand_score(truth, _labels(random_groups, len(CARDS))) < 0.2


def test_titles_name_the_topic_in_the_words_the_cards_used():
    groups = suggest_clusters(_numbered())
    titles = " | ".join(group["title"] for group in groups)
    for word in ("Bus", "online", "Data", "Glasfaser"):
        assert word in titles, titles
    for group in groups:
        assert 0 < len(group["title"]) <= 120
        assert group["title"] == group["title"].strip()


def test_the_same_cards_give_the_same_groups_in_any_order():
    cards = _numbered()
    first = suggest_clusters(cards)
    shuffled = list(cards)
    random.Random(3).shuffle(shuffled)
    assert suggest_clusters(shuffled) == first
    assert suggest_clusters(cards) == first
    # Largest groups first; every group has at least two cards.
    sizes = [len(group["cards"]) for group in first]
    assert sizes == sorted(sizes, reverse=True) and min(sizes) >= 2


def test_stemming_joins_forms_of_a_word_in_german_and_english():
    groups = suggest_clusters(
        [
            (1, "Die Schulen brauchen Tablets"),
            (2, "Jede Schule braucht ein Tablet"),
            (3, "Kaffee und Kuchen im Foyer"),
            (4, "The buses should run more often"),
            (5, "A bus every ten minutes"),
        ]
    )
    assert sorted(sorted(group["cards"]) for group in groups) == [[1, 2], [4, 5]]


def test_few_or_empty_cards_give_no_groups():
    assert suggest_clusters([]) == []
    assert suggest_clusters([(1, "Mehr Busse am Abend")]) == []
    assert suggest_clusters([(1, "und oder die"), (2, "the and of"), (3, "  ")]) == []
    assert suggest_clusters([(1, "Busse am Abend"), (2, "Kaffee")]) == []
    twins = suggest_clusters([(9, "Busse am Abend"), (5, "Busse am Abend")], language_hint="de")
    assert [group["cards"] for group in twins] == [[5, 9]]


@pytest.mark.parametrize(
    ("cards", "hint", "error"),
    [
        ("Busse", None, TypeError),
        ([(1, "a", "b")], None, TypeError),
        ([("1", "Busse")], None, TypeError),
        ([(True, "Busse")], None, TypeError),
        ([(1, None)], None, TypeError),
        ([(1, "Busse"), (1, "Bahn")], None, ValueError),
        ([(1, "Busse")], "fr", ValueError),
        ([(i, "Bus") for i in range(MAX_CARDS + 1)], None, ValueError),
    ],
)
def test_bad_input_is_refused(cards, hint, error):
    with pytest.raises(error):
        suggest_clusters(cards, language_hint=hint)


# --- over the WebSocket -------------------------------------------------------------------


@database_sync_to_async
def make_cards(workshop, author, texts):
    return [Card.objects.create(workshop=workshop, author=author, text=text).pk for text in texts]


@database_sync_to_async
def log_state(workshop):
    return (
        Workshop.objects.get(pk=workshop.pk).last_seq,
        WorkshopEvent.objects.filter(workshop=workshop).count(),
        Cluster.objects.filter(workshop=workshop).count(),
    )


TEXTS = [
    "Busse sollten abends öfter fahren",
    "Ein Ticket für Bus und Bahn",
    "Echtzeit-Fahrplan für Bus und Bahn",
    "Open Data: Haushaltsdaten veröffentlichen",
    "Ein Open-Data-Portal mit Verkehrsdaten",
    "Hundewiese am Fluss",
]


@pytest.mark.django_db(transaction=True)
async def test_suggestions_go_to_the_asking_facilitator_only_and_change_nothing():
    workshop, facilitator = await setup_workshop()
    expert = await add_participant(workshop, "Expertin")
    other_facilitator_socket, _ = await connect_ready(workshop, facilitator)
    ids = await make_cards(workshop, facilitator, TEXTS)
    hidden = await make_cards(workshop, facilitator, ["Busse am Abend öfter"])
    await database_sync_to_async(Card.objects.filter(pk=hidden[0]).update)(hidden=True)
    before = await log_state(workshop)
    f, _ = await connect_ready(workshop, facilitator)
    e, _ = await connect_ready(workshop, expert)

    await f.ws.send_json_to({"type": "clusters.suggest", "id": "s1"})
    reply = await f.wait_for(lambda frame: frame.get("type") == "suggestions")
    ack = await f.wait_for(lambda frame: frame.get("type") == "ack")
    assert reply["id"] == "s1" and ack["id"] == "s1" and ack["seq"] is None
    grouped = sorted(sorted(group["cards"]) for group in reply["groups"])
    assert grouped == [ids[:3], ids[3:5]]
    assert all(isinstance(group["title"], str) and group["title"] for group in reply["groups"])
    # Nobody else hears of it; nothing was logged.
    await e.nothing_more()
    await other_facilitator_socket.nothing_more()
    assert await log_state(workshop) == before

    # Experts may not ask.
    answer = await e.command("clusters.suggest")
    assert answer["type"] == "error" and answer["code"] == "forbidden"
    assert not any(frame.get("type") == "suggestions" for frame in e.frames)
    for client in (f, e, other_facilitator_socket):
        await client.close()


@pytest.mark.django_db(transaction=True)
async def test_accepting_a_suggestion_gathers_its_cards_in_a_new_cluster():
    workshop, facilitator = await setup_workshop()
    expert = await add_participant(workshop, "Expertin")
    ids = await make_cards(workshop, facilitator, TEXTS)
    f, _ = await connect_ready(workshop, facilitator)
    e, _ = await connect_ready(workshop, expert)

    answer = await f.command("cluster.add", title="Bus und Bahn", cards=ids[:3], x=1000, y=200)
    assert answer["type"] == "ack"
    added = await e.event("cluster.added")
    cluster = added["data"]
    assert cluster["title"] == "Bus und Bahn" and (cluster["x"], cluster["y"]) == (1000, 200)
    moves = [await e.event("card.moved") for _ in ids[:3]]
    assert [move["data"]["id"] for move in moves] == ids[:3]
    assert answer["seq"] == moves[-1]["seq"] == added["seq"] + 3
    for move in moves:
        data = move["data"]
        assert data["cluster"] == cluster["id"]
        # Inside the area, below its title, without overlapping each other.
        assert cluster["x"] <= data["x"] and data["x"] + 200 <= cluster["x"] + cluster["w"]
        assert cluster["y"] + 40 <= data["y"] and data["y"] + 120 <= cluster["y"] + cluster["h"]
    assert len({(m["data"]["x"], m["data"]["y"]) for m in moves}) == 3
    rows = await database_sync_to_async(
        lambda: {c.pk: (c.cluster_id, c.x, c.y) for c in Card.objects.filter(pk__in=ids)}
    )()
    for move in moves:
        assert rows[move["data"]["id"]] == (cluster["id"], move["data"]["x"], move["data"]["y"])
    assert rows[ids[3]][0] is None

    # Without a place: to the right of everything, sized for its cards.
    answer = await f.command("cluster.add", title="Open Data", cards=ids[3:5])
    assert answer["type"] == "ack"
    second = (await e.event("cluster.added"))["data"]
    assert second["x"] >= cluster["x"] + cluster["w"]

    # A plain cluster.add stays as it was.
    answer = await f.command("cluster.add", title="Leer")
    assert answer["type"] == "ack"
    assert (await e.event("cluster.added"))["data"]["title"] == "Leer"
    await e.nothing_more()

    # Bad cards: nothing changes.
    before = await log_state(workshop)
    for fields, code in [
        ({"cards": []}, "invalid"),
        ({"cards": "1,2"}, "invalid"),
        ({"cards": [ids[0], ids[0]]}, "invalid"),
        ({"cards": [ids[0], True]}, "invalid"),
        ({"cards": [ids[0], 999999]}, "not_found"),
        ({"cards": [ids[0]], "w": 10}, "invalid"),
        ({"cards": [ids[0]], "x": "links"}, "invalid"),
    ]:
        answer = await f.command("cluster.add", title="Falsch", **fields)
        assert answer["type"] == "error" and answer["code"] == code, (fields, answer)
    assert await log_state(workshop) == before
    # Experts may not (participants may not cluster in this workshop).
    answer = await e.command("cluster.add", title="Meins", cards=[ids[5]])
    assert answer["type"] == "error" and answer["code"] == "forbidden"
    assert await log_state(workshop) == before
    for client in (f, e):
        await client.close()


def test_cards_of_a_group_are_counted_once():
    groups = suggest_clusters(_numbered())
    counted = Counter(card for group in groups for card in group["cards"])
    assert set(counted.values()) == {1}
