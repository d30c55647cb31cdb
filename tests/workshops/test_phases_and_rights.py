"""The board's rules follow the phase and the role."""

import pytest

from participation.models import Measure, MeasureOrigin
from workshops.models import Card

from .wsutil import add_participant, connect_ready, setup_workshop

pytestmark = pytest.mark.django_db(transaction=True)


async def test_no_new_cards_while_voting_and_nothing_after_closing():
    workshop, facilitator = await setup_workshop()
    f, _ = await connect_ready(workshop, facilitator)
    anna_p = await add_participant(workshop, "Anna")
    anna, _ = await connect_ready(workshop, anna_p)
    assert (await anna.command("card.add", text="vorher"))["type"] == "ack"
    assert (await f.command("phase.set", phase="vote"))["type"] == "ack"
    changed = await anna.event("phase.changed")
    assert changed["data"] == {"phase": "vote", "state": "live"}
    refused = await anna.command("card.add", text="während der Abstimmung")
    assert refused["code"] == "wrong_phase"
    assert (await f.command("phase.set", phase="closed"))["type"] == "ack"
    assert (await anna.command("comment.add", card=1, text="zu spät"))["code"] in ("wrong_phase", "not_found")
    assert await Card.objects.filter(workshop=workshop).acount() == 1
    await f.close()
    await anna.close()


async def test_only_authors_and_facilitators_edit_cards_and_the_lock_stops_participants():
    workshop, facilitator = await setup_workshop()
    f, _ = await connect_ready(workshop, facilitator)
    anna, _ = await connect_ready(workshop, await add_participant(workshop, "Anna"))
    ben, _ = await connect_ready(workshop, await add_participant(workshop, "Ben"))
    await anna.command("card.add", text="Annas Karte")
    card = (await anna.event("card.added"))["data"]["id"]
    assert (await ben.command("card.update", card=card, text="Bens Version"))["code"] == "forbidden"
    assert (await ben.command("card.delete", card=card))["code"] == "forbidden"
    assert (await anna.command("card.update", card=card, text="Annas bessere Karte", x=10, y=20))["type"] == "ack"
    assert (await ben.command("card.like", card=card))["type"] == "ack"
    assert (await ben.command("card.like", card=card))["code"] == "conflict"
    assert (await ben.command("cluster.add", title="Verkehr"))["code"] == "forbidden"
    assert (await f.command("workshop.update", board_locked=True))["type"] == "ack"
    assert (await anna.command("card.add", text="gesperrt"))["code"] == "locked"
    assert (await f.command("cluster.add", title="Verkehr"))["type"] == "ack"
    cluster = (await f.event("cluster.added"))["data"]["id"]
    assert (await f.command("card.update", card=card, cluster=cluster))["type"] == "ack"
    moved = await ben.event("card.updated")
    assert moved["data"]["cluster"] == cluster and moved["data"]["text"] == "Annas bessere Karte"
    for client in (f, anna, ben):
        await client.close()


async def test_hiding_authors_and_promoting_a_cluster_to_a_measure():
    workshop, facilitator = await setup_workshop()
    f, _ = await connect_ready(workshop, facilitator)
    anna, _ = await connect_ready(workshop, await add_participant(workshop, "Anna"))
    await f.command("workshop.update", hide_authors=True)
    await anna.command("card.add", text="Sensoren an Brücken")
    added = await f.event("card.added")
    assert added["data"]["author_name"] is None
    await f.command("cluster.add", title="Intelligente Infrastruktur")
    cluster = (await f.event("cluster.added"))["data"]["id"]
    await f.command("card.update", card=added["data"]["id"], cluster=cluster)
    assert (await anna.command("cluster.promote", cluster=cluster))["code"] == "forbidden"
    assert (await f.command("cluster.promote", cluster=cluster))["type"] == "ack"
    promoted = await anna.event("measure.promoted")
    measure = await Measure.objects.aget(pk=promoted["data"]["measure"]["id"])
    assert measure.title == "Intelligente Infrastruktur"
    assert measure.origin == MeasureOrigin.WORKSHOP
    assert measure.process_id == workshop.process_id
    assert "Sensoren an Brücken" in measure.description
    assert (await f.command("cluster.promote", cluster=cluster))["code"] == "conflict"
    await f.close()
    await anna.close()


async def test_presence_lists_who_is_online():
    workshop, facilitator = await setup_workshop()
    f, _ = await connect_ready(workshop, facilitator)
    anna, _ = await connect_ready(workshop, await add_participant(workshop, "Anna"))
    presence = await f.wait_for(lambda fr: fr["type"] == "presence" and fr["count"] == 2, timeout=4)
    assert sorted(p["name"] for p in presence["online"]) == ["Anna", "Moderatorin"]
    await anna.close()
    presence = await f.wait_for(lambda fr: fr["type"] == "presence" and fr["count"] == 1, timeout=4)
    assert [p["name"] for p in presence["online"]] == ["Moderatorin"]
    await f.close()
