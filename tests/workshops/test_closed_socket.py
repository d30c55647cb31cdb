"""A frame for a socket the client has just closed is dropped, and the participant
is still counted out: the server's send fails in that moment (Daphne raises
``Disconnected``), which must not skip the disconnect bookkeeping."""

import asyncio

import pytest
from autobahn.exception import Disconnected
from channels.db import database_sync_to_async

from workshops.actions import apply_command
from workshops.consumers import WorkshopConsumer
from workshops.models import SocketPresence

from .wsutil import add_participant, connect_ready, setup_workshop

pytestmark = pytest.mark.django_db(transaction=True)


async def test_a_frame_racing_the_close_does_not_keep_the_participant_online(monkeypatch):
    workshop, _ = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    ben = await add_participant(workshop, "Ben")
    a, _ = await connect_ready(workshop, anna)
    assert await SocketPresence.objects.filter(participant=anna).acount() == 1

    async def closed_socket(self, text_data=None, bytes_data=None, close=False):
        raise Disconnected("Attempt to send on a closed protocol")

    # Anna's connection goes away just as Ben's card is broadcast to her.
    monkeypatch.setattr(WorkshopConsumer, "send", closed_socket)
    await database_sync_to_async(apply_command)(ben.pk, {"type": "card.add", "id": "b1", "text": "Ampeln"})
    await asyncio.sleep(0.3)
    await a.close()

    assert await SocketPresence.objects.filter(participant=anna).acount() == 0
