"""Presence leases (workshops/presence.py): a participant is online while one of its sockets
belongs to a server process whose lease lies ahead. A process that dies stops counting when
its lease runs out, the survivors sweep its rows and tell the workshop; a process whose row
was swept while it lived writes itself and its sockets again."""

import asyncio
import time
import uuid
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.db import OperationalError
from django.utils import timezone

from workshops import presence, selectors
from workshops.consumers import loop_state
from workshops.models import PresenceServer, SocketPresence

from .wsutil import add_participant, connect_ready, setup_workshop

pytestmark = pytest.mark.django_db(transaction=True)


def online_names(workshop):
    names, count = selectors.online_participants(workshop.pk)
    assert count == len(names)
    return sorted(n["name"] for n in names)


def socket_on(server_id, participant):
    key = uuid.uuid4()
    presence.add_socket(key, server_id, participant)
    return key


@database_sync_to_async
def expire(server_id):
    PresenceServer.objects.filter(pk=server_id).update(expires=timezone.now() - timedelta(seconds=1))


def test_a_server_whose_lease_ran_out_stops_counting_and_is_swept():
    workshop, _facilitator = asyncio.run(setup_workshop())
    anna = asyncio.run(add_participant(workshop, "Anna"))
    ben = asyncio.run(add_participant(workshop, "Ben"))
    presence.register("live", "host:1")
    presence.register("dead", "host:2")
    socket_on("live", anna)
    socket_on("dead", ben)
    socket_on("dead", anna)  # Anna also on the dead server: still online through the live one
    assert online_names(workshop) == ["Anna", "Ben"]

    asyncio.run(expire("dead"))
    assert online_names(workshop) == ["Anna"]  # at once, before any sweep
    assert presence.sweep() == {workshop.pk}
    assert not PresenceServer.objects.filter(pk="dead").exists()
    assert list(SocketPresence.objects.values_list("server_id", "participant_id")) == [("live", anna.pk)]
    assert presence.renew("dead") is False
    assert presence.renew("live") is True
    assert presence.sweep() == set()  # nothing more to do
    assert online_names(workshop) == ["Anna"]


def test_a_lease_runs_out_by_the_database_clock():
    workshop, _facilitator = asyncio.run(setup_workshop())
    anna = asyncio.run(add_participant(workshop, "Anna"))
    presence.register("brief", "host:3", lease=2.0)
    socket_on("brief", anna)
    assert online_names(workshop) == ["Anna"]
    deadline = time.monotonic() + 8
    while online_names(workshop) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert online_names(workshop) == []
    assert presence.renew("brief", lease=5) is True  # renewed before a sweep: counts again
    assert online_names(workshop) == ["Anna"]


def test_sockets_of_a_server_that_no_longer_exists_never_count_and_are_swept():
    workshop, _facilitator = asyncio.run(setup_workshop())
    anna = asyncio.run(add_participant(workshop, "Anna"))
    socket_on("never-registered", anna)
    assert online_names(workshop) == []
    assert presence.sweep() == {workshop.pk}
    assert not SocketPresence.objects.exists()


def test_a_stopping_server_releases_its_rows():
    workshop, _facilitator = asyncio.run(setup_workshop())
    anna = asyncio.run(add_participant(workshop, "Anna"))
    presence.register("stopping", "host:4")
    presence.register("other", "host:5")
    socket_on("stopping", anna)
    kept = socket_on("other", anna)
    assert presence.release("stopping") == {workshop.pk}
    assert list(SocketPresence.objects.values_list("id", flat=True)) == [kept]
    assert list(PresenceServer.objects.values_list("id", flat=True)) == ["other"]


async def test_a_socket_hears_when_another_processes_lease_runs_out(monkeypatch):
    monkeypatch.setattr(presence, "RENEW_INTERVAL", 0.2)
    workshop, facilitator = await setup_workshop()
    ben = await add_participant(workshop, "Ben")
    # Ben is on another process that dies: it renewed its lease a moment ago, never again.
    await database_sync_to_async(presence.register)("crashed", "elsewhere:1", lease=2.5)
    await database_sync_to_async(socket_on)("crashed", ben)
    f, snapshot = await connect_ready(workshop, facilitator)
    assert snapshot["state"]["online_count"] == 2
    assert (await f.wait_for(lambda fr: fr["type"] == "presence", timeout=2))["count"] == 2  # after joining
    # Nobody comes or goes; the sweep of this process finds the lease run out and tells the room.
    frame = await f.wait_for(lambda fr: fr["type"] == "presence", timeout=5)
    assert (frame["count"], [p["name"] for p in frame["online"]]) == (1, ["Moderatorin"])
    assert not await SocketPresence.objects.filter(participant=ben).aexists()
    assert not await PresenceServer.objects.filter(pk="crashed").aexists()
    await f.close()


async def test_a_process_whose_row_was_swept_while_alive_writes_its_sockets_again(monkeypatch):
    monkeypatch.setattr(presence, "RENEW_INTERVAL", 0.2)
    workshop, facilitator = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    a, snapshot = await connect_ready(workshop, anna)
    f, _ = await connect_ready(workshop, facilitator)
    assert snapshot["state"]["online_count"] == 1
    await f.wait_for(lambda fr: fr["type"] == "presence" and fr["count"] == 2)
    for _ in range(5):  # nothing more after the joins' presence (at most a few frames)
        if await f.nothing_more(timeout=1.5):
            break
        await f.receive()
    server_id = loop_state().server.server_id
    # Another process swept this one (its event loop or the database had stalled past the lease).
    await PresenceServer.objects.filter(pk=server_id).adelete()
    await SocketPresence.objects.all().adelete()
    assert await database_sync_to_async(online_names)(workshop) == []
    frame = await f.wait_for(lambda fr: fr["type"] == "presence" and fr["count"] == 2, timeout=5)
    assert sorted(p["name"] for p in frame["online"]) == ["Anna", "Moderatorin"]
    assert await SocketPresence.objects.filter(server_id=server_id).acount() == 2
    await a.close()
    frame = await f.wait_for(lambda fr: fr["type"] == "presence" and fr["count"] == 1, timeout=5)
    assert await SocketPresence.objects.filter(participant=anna).acount() == 0
    await f.close()


async def test_a_row_the_database_could_not_delete_at_close_is_deleted_at_the_next_renewal(monkeypatch):
    monkeypatch.setattr(presence, "RENEW_INTERVAL", 0.2)
    workshop, facilitator = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    a, _ = await connect_ready(workshop, anna)
    f, _ = await connect_ready(workshop, facilitator)
    delete = presence.check_out
    failures = []

    def database_away(key):
        if not failures:
            failures.append(key)
            raise OperationalError("server closed the connection unexpectedly")
        delete(key)

    monkeypatch.setattr(presence, "check_out", database_away)
    await a.close()
    assert failures
    frame = await f.wait_for(lambda fr: fr["type"] == "presence" and fr["count"] == 1, timeout=5)
    assert [p["name"] for p in frame["online"]] == ["Moderatorin"]
    deadline = time.monotonic() + 5
    while await SocketPresence.objects.filter(participant=anna).aexists() and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    assert not await SocketPresence.objects.filter(participant=anna).aexists()
    await f.close()
