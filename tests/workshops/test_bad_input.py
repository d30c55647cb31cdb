"""Bad frames get an error frame, change nothing and leave the socket open."""

import json

import pytest

from workshops.models import Card, WorkshopEvent

from .wsutil import add_participant, connect, connect_ready, setup_workshop

pytestmark = pytest.mark.django_db(transaction=True)


async def test_each_bad_frame_gets_its_error_and_changes_nothing():
    workshop, _ = await setup_workshop()
    other, _ = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    a, _ = await connect_ready(workshop, anna)
    foreign = await add_participant(other, "Fremd")
    f, _ = await connect_ready(other, foreign)
    await f.command("card.add", text="Karte eines anderen Workshops")
    foreign_card = await Card.objects.filter(workshop=other).afirst()

    raw_cases = [
        ("{not json", "bad_json"),
        ("[1, 2]", "bad_frame"),
        (json.dumps({"id": "x"}), "bad_frame"),
        ("x" * 20_000, "too_large"),
    ]
    for raw, code in raw_cases:
        await a.ws.send_to(text_data=raw)
        frame = await a.wait_for(lambda fr: fr["type"] == "error")
        assert frame["code"] == code, raw[:30]

    command_cases = [
        ({"type": "card.explode"}, "unknown_type"),
        ({"type": "card.add"}, "invalid"),
        ({"type": "card.add", "text": 42}, "invalid"),
        ({"type": "card.add", "text": "   "}, "invalid"),
        ({"type": "card.add", "text": "x" * 501}, "too_long"),
        ({"type": "card.add", "text": "ok", "x": "links"}, "invalid"),
        ({"type": "card.add", "text": "ok", "color": "neon"}, "invalid"),
        ({"type": "card.add", "text": "ok", "cluster": 10**9}, "not_found"),
        ({"type": "card.update", "card": foreign_card.pk, "text": "gekapert"}, "not_found"),
        ({"type": "card.delete", "card": "1"}, "invalid"),
        ({"type": "comment.add", "card": foreign_card.pk, "text": "hallo"}, "not_found"),
        ({"type": "phase.set", "phase": "vote"}, "forbidden"),
        ({"type": "poll.create", "question": "?", "kind": "single", "options": ["a", "b"]}, "forbidden"),
        ({"type": "sync", "since": "gestern"}, "invalid"),
    ]
    for n, (command, code) in enumerate(command_cases):
        frame = await a.command(command.pop("type"), id=f"bad-{n}", **command)
        assert frame["type"] == "error", command
        assert frame["code"] == code, command
        assert frame["id"] == f"bad-{n}"

    # Nothing changed, and the socket still works.
    assert await Card.objects.filter(workshop=workshop).acount() == 0
    assert await WorkshopEvent.objects.filter(workshop=workshop).acount() == 0
    ok = await a.command("card.add", text="Jetzt aber richtig")
    assert ok["type"] == "ack"
    assert (await Card.objects.aget(pk=foreign_card.pk)).text == "Karte eines anderen Workshops"
    await a.close()
    await f.close()


async def test_a_flood_is_rate_limited_without_closing_the_socket():
    workshop, _ = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    a, _ = await connect_ready(workshop, anna)
    for n in range(60):
        await a.ws.send_json_to({"type": "ping", "id": n})
    codes = []
    for _ in range(60):
        frame = await a.wait_for(lambda fr: fr["type"] in ("pong", "error"))
        codes.append(frame.get("code", "pong"))
    assert codes.count("rate_limited") >= 20
    assert codes[:30] == ["pong"] * 30
    await a.close()


async def test_bad_ticket_closes_with_4401_and_unknown_workshop_with_4404():
    workshop, _ = await setup_workshop()
    client = await connect(workshop, query="ticket=forged")
    assert (await client.ws.receive_output(timeout=3))["code"] == 4401
    client = await connect(workshop, query="")
    assert (await client.ws.receive_output(timeout=3))["code"] == 4401

    other, _ = await setup_workshop()
    stranger = await add_participant(other, "Fremd")
    from workshops.tickets import issue_ticket

    client = await connect(workshop, ticket=issue_ticket(stranger))  # a ticket for another workshop
    assert (await client.ws.receive_output(timeout=3))["code"] == 4401

    workshop.code = "NOPE99"
    client = await connect(workshop, query="ticket=x")
    assert (await client.ws.receive_output(timeout=3))["code"] == 4404
