"""Two participants on one board see each other's changes live."""

import pytest

from workshops.models import Card, WorkshopEvent

from .wsutil import add_participant, connect_ready, setup_workshop

pytestmark = pytest.mark.django_db(transaction=True)


async def test_snapshot_on_connect_then_a_card_reaches_everyone():
    workshop, facilitator = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    ben = await add_participant(workshop, "Ben")
    a, snap_a = await connect_ready(workshop, anna)
    b, snap_b = await connect_ready(workshop, ben)
    assert snap_a["seq"] == 0
    assert snap_a["state"]["phase"] == "collect"
    assert snap_a["state"]["you"]["name"] == "Anna"

    ack = await a.command("card.add", text="Ampeln mit Live-Daten steuern", color="blue")
    assert ack["type"] == "ack" and ack["seq"] == 1
    for client in (a, b):
        event = await client.event("card.added")
        assert event["seq"] == 1
        assert event["data"]["text"] == "Ampeln mit Live-Daten steuern"
        assert event["data"]["author_name"] == "Anna"
    await a.close()
    await b.close()


async def test_the_same_command_id_twice_is_applied_once():
    workshop, _ = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    a, _ = await connect_ready(workshop, anna)
    first = await a.command("card.add", id="same-id", text="Eine Idee")
    second = await a.command("card.add", id="same-id", text="Eine Idee")
    assert first["seq"] == second["seq"] == 1
    assert second["duplicate"] is True
    assert await Card.objects.filter(workshop=workshop).acount() == 1
    assert await WorkshopEvent.objects.filter(workshop=workshop).acount() == 1
    await a.close()
