"""Helpers for WebSocket tests: a connected participant that reads frames by type."""

import asyncio
import itertools

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from workshops.actions import create_workshop, join_workshop
from workshops.models import ParticipantRole
from workshops.tickets import issue_ticket

_ids = itertools.count(1)
ORIGIN = [(b"origin", b"http://127.0.0.1:8000"), (b"host", b"127.0.0.1:8000")]


class Client:
    """One participant's socket. ``command`` sends and waits for the ack or error."""

    def __init__(self, communicator):
        self.ws = communicator
        self.frames = []  # everything received, in order

    async def receive(self, timeout=3):
        frame = await self.ws.receive_json_from(timeout=timeout)
        self.frames.append(frame)
        return frame

    async def wait_for(self, predicate, timeout=3):
        """Read frames until one matches; the others stay in ``frames``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError("no matching frame")
            frame = await self.receive(timeout=remaining)
            if predicate(frame):
                return frame

    async def command(self, type_, **fields):
        command_id = fields.pop("id", None) or f"c{next(_ids)}"
        await self.ws.send_json_to({"type": type_, "id": command_id, **fields})
        return await self.wait_for(lambda f: f.get("type") in ("ack", "error") and f.get("id") == command_id)

    async def event(self, name, timeout=3):
        return await self.wait_for(lambda f: f.get("type") == "event" and f.get("name") == name, timeout)

    async def nothing_more(self, timeout=0.3):
        return await self.ws.receive_nothing(timeout=timeout)

    async def close(self):
        await self.ws.disconnect()


async def connect(workshop, participant=None, ticket=None, query=None):
    if query is None:
        ticket = ticket or await database_sync_to_async(issue_ticket)(participant)
        query = f"ticket={ticket}"
    communicator = WebsocketCommunicator(application, f"/ws/workshops/{workshop.code}/?{query}", headers=ORIGIN)
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    client = Client(communicator)
    return client


async def connect_ready(workshop, participant):
    client = await connect(workshop, participant)
    snapshot = await client.wait_for(lambda f: f["type"] == "snapshot")
    return client, snapshot


@database_sync_to_async
def setup_workshop(**settings):
    from tests import factories

    process = factories.make_process()
    user = factories.make_facilitator(process)
    workshop = create_workshop(user, process, "Zukunft der Mobilität", **settings)
    facilitator = join_workshop(workshop, user, "Moderatorin", ParticipantRole.FACILITATOR)
    return workshop, facilitator


@database_sync_to_async
def add_participant(workshop, name="Expertin", role=ParticipantRole.EXPERT):
    return join_workshop(workshop, None, name, role)
