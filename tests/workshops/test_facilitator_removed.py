"""A facilitator removed from the process (or whose account is deactivated) loses the
workshop's facilitator rights at once: open sockets are closed with 4401, and should that
message be lost, the next command is refused and closes the socket; the ticket no longer
opens one, although it is still within its 24 hours."""

import pytest
from channels.db import database_sync_to_async

from participation.models import Process
from workshops.models import Workshop
from workshops.tickets import issue_ticket

from .wsutil import add_participant, connect, connect_ready, setup_workshop

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def remove_from_process(workshop, participant):
    workshop.process.facilitators.remove(participant.user)


@database_sync_to_async
def remove_without_notice(workshop, participant):
    """As if the message that closes the sockets were lost: a raw delete sends no signal."""
    Process.facilitators.through.objects.filter(process=workshop.process, user=participant.user).delete()


async def close_code(client, timeout=3):
    """The code the server closed the socket with; frames before it are skipped."""
    while True:
        output = await client.ws.receive_output(timeout=timeout)
        if output["type"] == "websocket.close":
            return output["code"]


async def test_a_removed_facilitator_can_change_nothing_and_is_disconnected():
    workshop, facilitator = await setup_workshop()
    ticket = await database_sync_to_async(issue_ticket)(facilitator)
    f = await connect(workshop, ticket=ticket)
    await f.wait_for(lambda frame: frame["type"] == "snapshot")
    anna_p = await add_participant(workshop, "Anna")
    anna, _ = await connect_ready(workshop, anna_p)
    assert (await f.command("card.add", text="noch erlaubt"))["type"] == "ack"

    await remove_without_notice(workshop, facilitator)

    refused = await f.command("phase.set", phase="vote")
    assert refused["type"] == "error" and refused["code"] == "revoked"
    assert await close_code(f) == 4401
    again = await connect(workshop, ticket=ticket)
    assert await close_code(again) == 4401

    # Nothing changed; the other participants carry on.
    assert (await Workshop.objects.aget(pk=workshop.pk)).phase == "collect"
    assert (await anna.command("card.add", text="weiter geht's"))["type"] == "ack"
    await anna.close()


async def test_a_removed_facilitators_vote_is_refused():
    workshop, facilitator = await setup_workshop()
    f, _ = await connect_ready(workshop, facilitator)
    created = await f.command("poll.create", question="Was zuerst?", kind="single", options=["A", "B"])
    poll = (await f.event("poll.created"))["data"]
    assert created["type"] == "ack"
    assert (await f.command("poll.open", poll=poll["id"]))["type"] == "ack"

    await remove_without_notice(workshop, facilitator)

    refused = await f.command("poll.vote", poll=poll["id"], choice=poll["options"][0]["id"])
    assert refused["type"] == "error" and refused["code"] == "revoked"
    assert await close_code(f) == 4401


async def test_an_idle_socket_is_closed_the_moment_the_facilitator_is_removed():
    """Without sending anything, a removed facilitator stops receiving the live stream
    (which shows hidden results and authors to facilitators)."""
    workshop, facilitator = await setup_workshop()
    f, _ = await connect_ready(workshop, facilitator)
    anna_p = await add_participant(workshop, "Anna")
    anna, _ = await connect_ready(workshop, anna_p)

    await remove_from_process(workshop, facilitator)

    assert await close_code(f) == 4401
    assert (await anna.command("card.add", text="Anna bleibt"))["type"] == "ack"
    await anna.close()


async def test_a_deactivated_facilitator_account_loses_its_sockets():
    workshop, facilitator = await setup_workshop()
    f, _ = await connect_ready(workshop, facilitator)

    @database_sync_to_async
    def deactivate():
        user = facilitator.user
        user.is_active = False
        user.save()

    await deactivate()
    assert await close_code(f) == 4401
