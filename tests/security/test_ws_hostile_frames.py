"""One frame must not crash a socket or take a worker out of service.

Before: an observer's ticket (anyone can join as one) and the frame ``"[" * 5000 + "]" * 5000``
made ``json.loads`` raise RecursionError, which no handler caught: the socket closed with
1011, the participant stayed "online" for good, the hub was never released, and /healthz
answered 503 on that worker from then on. Now the frame parser answers nesting, number and
type abuse with an error code of docs/protocol.md and changes nothing, and a consumer that
meets any exception closes cleanly and gives back its hub and its presence.
"""

import asyncio
import json
import urllib.error
import urllib.request

import pytest

from workshops.consumers import consumer, joining, loop_state
from workshops.models import Card, ParticipantRole, WorkshopEvent

from ..workshops.live_site import LiveClient, LiveSite
from ..workshops.wsutil import add_participant, connect, connect_ready, setup_workshop

pytestmark = pytest.mark.django_db(transaction=True)

DEEP_ARRAYS = "[" * 5000 + "]" * 5000

# (frame, error code): each one is refused with that code and changes nothing.
HOSTILE = [
    (DEEP_ARRAYS, "bad_json"),
    ('{"a":' * 2500 + "1" + "}" * 2500, "bad_json"),
    ('[{"a":' * 1900 + "1" + "}]" * 1900, "bad_json"),
    ('{"type":"card.add","id":"deep","text":"Karte","x":' + "[" * 16 + "]" * 16 + "}", "bad_json"),
    ("[" * 8000, "bad_json"),  # unterminated
    ('{"type":"card.add","id":"big","text":"Karte","x":1e400}', "bad_json"),
    ('{"type":"card.add","id":"int","text":"Karte","x":1' + "0" * 400 + "}", "bad_json"),
    ('{"type":"card.add","id":"int2","text":"Karte","x":9007199254740992}', "bad_json"),
    ('{"type":"card.add","id":"nan","text":"Karte","x":NaN}', "bad_json"),
    ('{"type":"card.add","id":"inf","text":"Karte","x":Infinity}', "bad_json"),
    ('{"type":"card.add","id":"ninf","text":"Karte","y":-Infinity}', "bad_json"),
    ('{"type":"sync","id":"s","since":' + "9" * 5000 + "}", "bad_json"),
    ('{"type":"card.add","id":"dup","text":"Erste","text":"Zweite"}', "bad_json"),
    ('{"type":"card.add","type":"card.remove","id":"dup2","text":"Karte"}', "bad_json"),
    ('"' + "[" * 5000 + '"', "bad_frame"),
    ("[]", "bad_frame"),
    ('{"type":["card.add"],"text":"Karte"}', "bad_frame"),
    ('{"type":"card.add","id":"s","text":"\\ud800"}', "invalid"),
    ("{" * 8001 + "}" * 7999, "bad_json"),
]


async def board_state(workshop):
    cards = await Card.objects.filter(workshop=workshop).acount()
    events = await WorkshopEvent.objects.filter(workshop=workshop).acount()
    return cards, events


async def online_count_seen_by_newcomer(workshop):
    """How many are online, as a participant joining now sees it in their snapshot."""
    newcomer = await add_participant(workshop, "Neu")
    client, snapshot = await connect_ready(workshop, newcomer)
    await client.close()
    return snapshot["state"]["online_count"]


@pytest.mark.parametrize("role", [ParticipantRole.OBSERVER, ParticipantRole.EXPERT])
async def test_hostile_frames_get_an_error_and_change_nothing(role):
    workshop, _ = await setup_workshop()
    sender = await add_participant(workshop, "Gast", role)
    client, _ = await connect_ready(workshop, sender)
    before = await board_state(workshop)
    for text, code in HOSTILE[:25]:  # within the burst of 30 frames
        await client.ws.send_to(text_data=text)
        answer = await client.wait_for(lambda f: f["type"] in ("ack", "error", "pong", "synced"), timeout=5)
        assert answer["type"] == "error", (text[:80], answer)
        assert answer["code"] == code, (text[:80], answer)
        assert answer["id"] is None
    assert await board_state(workshop) == before
    # The socket is still open and works.
    await client.ws.send_json_to({"type": "ping", "id": "still-there"})
    assert (await client.wait_for(lambda f: f["type"] in ("pong", "error")))["type"] == "pong"
    await client.close()
    assert await online_count_seen_by_newcomer(workshop) == 1


async def test_frames_at_the_limits_are_still_accepted():
    workshop, _ = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    client, _ = await connect_ready(workshop, anna)
    await client.ws.send_to(text_data='{"type":"ping","id":"p","x":' + "[" * 15 + "]" * 15 + "}")  # 16 levels
    assert (await client.wait_for(lambda f: f["type"] in ("pong", "error")))["type"] == "pong"
    await client.ws.send_to(text_data='{"type":"sync","id":"z","since":-0}')
    assert (await client.wait_for(lambda f: f["type"] in ("synced", "error")))["type"] == "synced"
    text = 'Karte mit \u200f RTL, e\u0301 kombiniert, \ufdd0 und \uffff, "[[[{{{" in Text'
    await client.ws.send_to(text_data=json.dumps({"type": "card.add", "id": "u", "text": text, "x": -0.0}))
    ack = await client.wait_for(lambda f: f.get("id") == "u" and f["type"] in ("ack", "error"))
    assert ack["type"] == "ack", ack
    card = await Card.objects.aget(workshop=workshop)
    assert card.text == text
    await client.close()


async def test_a_flood_of_invalid_frames_is_rate_limited():
    workshop, _ = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    client, _ = await connect_ready(workshop, anna)
    for _ in range(60):
        await client.ws.send_to(text_data="kein JSON")
    codes = [(await client.wait_for(lambda f: f["type"] == "error"))["code"] for _ in range(60)]
    assert codes[:30] == ["bad_json"] * 30
    assert codes.count("rate_limited") >= 20
    # The junk used up the socket's budget: a valid command right after waits its turn too.
    answer = await client.command("card.add", text="Gleich danach")
    assert answer["type"] == "error" and answer["code"] == "rate_limited", answer
    assert await board_state(workshop) == (0, 0)
    await asyncio.sleep(0.25)  # 10 frames a second sustained: a little later it goes through
    assert (await client.command("card.add", text="Etwas später"))["type"] == "ack"
    await client.close()


async def closed_with(client):
    output = await client.ws.receive_output(timeout=5)
    while output["type"] == "websocket.send":
        output = await client.ws.receive_output(timeout=5)
    return output


async def test_an_exception_while_reading_a_frame_closes_cleanly_and_releases_hub_and_presence(monkeypatch):
    workshop, _ = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    client, _ = await connect_ready(workshop, anna)
    assert workshop.code in loop_state().hubs

    def broken(text):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(consumer, "parse_frame", broken)
    await client.ws.send_to(text_data='{"type":"ping"}')
    assert await closed_with(client) == {"type": "websocket.close", "code": 1011}
    monkeypatch.undo()
    await asyncio.sleep(0.05)
    assert workshop.code not in loop_state().hubs  # its only socket left: the hub is gone
    assert await online_count_seen_by_newcomer(workshop) == 1  # the newcomer alone


async def test_an_exception_in_a_handler_closes_cleanly_and_releases_hub_and_presence(monkeypatch):
    workshop, _ = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    ben = await add_participant(workshop, "Ben")
    a, _ = await connect_ready(workshop, anna)
    b, _ = await connect_ready(workshop, ben)

    async def broken(self, message):
        raise KeyError("unforeseen")

    monkeypatch.setattr(consumer.WorkshopConsumer, "websocket_receive", broken)
    await a.ws.send_to(text_data='{"type":"ping"}')
    assert await closed_with(a) == {"type": "websocket.close", "code": 1011}
    monkeypatch.undo()
    # Ben's socket and the hub carry on; Anna counts as gone.
    assert (await b.command("card.add", text="Weiter geht's"))["type"] == "ack"
    assert workshop.code in loop_state().hubs
    presence = await b.wait_for(lambda f: f["type"] == "presence" and f["count"] == 1, timeout=5)
    assert [p["name"] for p in presence["online"]] == ["Ben"]
    await b.close()
    await asyncio.sleep(0.05)
    assert workshop.code not in loop_state().hubs


async def test_an_exception_while_connecting_closes_cleanly_and_counts_the_socket_out(monkeypatch):
    workshop, _ = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    real = joining.snapshot

    def broken(participant, cache):
        raise RuntimeError("the snapshot failed")

    monkeypatch.setattr(joining, "snapshot", broken)
    client = await connect(workshop, anna)
    assert await closed_with(client) == {"type": "websocket.close", "code": 1011}
    monkeypatch.setattr(joining, "snapshot", real)
    await asyncio.sleep(0.05)
    assert workshop.code not in loop_state().hubs
    assert await online_count_seen_by_newcomer(workshop) == 1


# --- the same against a real Daphne server -----------------------------------------------


def healthz(server):
    try:
        with urllib.request.urlopen(f"{server.base}/healthz", timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.slow
async def test_deep_nesting_on_a_real_server_leaves_socket_presence_and_health_intact():
    site = LiveSite()
    try:
        await asyncio.to_thread(site.setup, ("A",))
        (server,) = site.servers
        code = await asyncio.to_thread(site.create_workshop, server)
        joined = await asyncio.to_thread(site.join, server, code, "Beamer", "observer")
        observer = await LiveClient("Beamer", joined["ticket"]).connect(server, code)
        await observer.wait_for(lambda f: f["type"] == "snapshot")
        await observer.ws.send(DEEP_ARRAYS)
        error = await observer.wait_for(lambda f: f["type"] == "error")
        assert error["code"] == "bad_json"
        await observer.send("ping", "still-there")
        assert (await observer.wait_for(lambda f: f.get("id") == "still-there"))["type"] == "pong"
        await observer.close()
        assert await asyncio.to_thread(healthz, server) == 200
        joined = await asyncio.to_thread(site.join, server, code, "Anna")
        anna = await LiveClient("Anna", joined["ticket"]).connect(server, code)
        snapshot = await anna.wait_for(lambda f: f["type"] == "snapshot")
        assert snapshot["state"]["online_count"] == 1  # the observer is gone
        await anna.close()
        assert [await asyncio.to_thread(healthz, server) for _ in range(5)] == [200] * 5
    finally:
        await asyncio.to_thread(site.close)
