"""Many people joining at once: each gets a correct snapshot (sockets joining at the
same moment share the work), and whoever joins after a change sees that change."""

import asyncio
import uuid
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from workshops.models import Participant, PresenceServer, SocketPresence

from .test_polls import make_poll
from .wsutil import add_participant, connect, connect_ready, setup_workshop

pytestmark = pytest.mark.django_db(transaction=True)


async def join(workshop, participant):
    client = await connect(workshop, participant)
    return client, await client.wait_for(lambda fr: fr["type"] == "snapshot")


async def test_sockets_joining_together_each_get_their_own_correct_snapshot():
    workshop, facilitator = await setup_workshop()
    f, _ = await connect_ready(workshop, facilitator)
    await f.command("card.add", text="Sensoren an Brücken")
    poll = await make_poll(f, question="Ja?", kind="single", options=["Ja", "Nein"], hidden=True)
    people = [await add_participant(workshop, f"Person {n:02d}") for n in range(20)]
    joined = await asyncio.gather(*(join(workshop, p) for p in people))
    for participant, (_client, snapshot) in zip(people, joined, strict=True):
        state = snapshot["state"]
        assert snapshot["seq"] == 3  # card added, poll created, poll opened
        assert state["you"]["name"] == participant.display_name
        assert [c["text"] for c in state["cards"]] == ["Sensoren an Brücken"]
        assert state["polls"][0]["tally"]["options"] is None  # hidden from participants
    anna_client, _ = joined[0]
    assert (await anna_client.command("poll.vote", poll=poll["id"], choice=poll["options"][0]["id"]))["type"] == "ack"
    await f.wait_for(lambda fr: fr["type"] == "tally" and fr["votes"] == 1, timeout=5)

    # Joining after a vote and a card: the snapshot has both, and my own vote.
    await f.command("card.add", text="WLAN im Bus")
    late, snapshot = await join(workshop, people[0])
    assert [c["text"] for c in snapshot["state"]["cards"]] == ["Sensoren an Brücken", "WLAN im Bus"]
    assert snapshot["state"]["polls"][0]["tally"]["votes"] == 1
    assert snapshot["state"]["polls"][0]["my_vote"] == poll["options"][0]["id"]
    other, snapshot = await join(workshop, people[1])
    assert snapshot["state"]["polls"][0]["my_vote"] is None
    _f2, facilitator_view = await join(workshop, facilitator)
    assert [o["value"] for o in facilitator_view["state"]["polls"][0]["tally"]["options"]] == [1, 0]
    for client in (f, late, other, _f2, *(c for c, _s in joined)):
        await client.close()


def online_guests(workshop, n):
    """``n`` participants online through another server process with a live lease."""
    server = PresenceServer.objects.create(id=uuid.uuid4().hex, expires=timezone.now() + timedelta(hours=1))
    guests = Participant.objects.bulk_create(
        Participant(workshop=workshop, display_name=f"Gast {k:03d}") for k in range(n)
    )
    SocketPresence.objects.bulk_create(
        SocketPresence(id=uuid.uuid4(), server=server, workshop=workshop, participant=g) for g in guests
    )


async def test_a_snapshot_names_at_most_200_people_online_but_counts_all():
    workshop, facilitator = await setup_workshop()
    await database_sync_to_async(online_guests)(workshop, 230)
    f, snapshot = await connect_ready(workshop, facilitator)
    assert len(snapshot["state"]["online"]) == 200
    assert snapshot["state"]["online_count"] == 231
    presence = await f.wait_for(lambda fr: fr["type"] == "presence", timeout=4)
    assert (len(presence["online"]), presence["count"]) == (200, 231)
    await f.close()
