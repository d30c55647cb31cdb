"""The facilitator's tools over the socket: the timer (server time), the agenda, follow me and
the projector's view: who may, what is refused, the events, the snapshot and a resync."""

import time

import pytest

from workshops.actions import apply_command
from workshops.models import AgendaItem, BreakoutGroup, Card, ParticipantRole, Timer, Workshop, WorkshopEvent

from .wsutil import add_participant, connect_ready, setup_workshop

pytestmark = pytest.mark.django_db(transaction=True)


def now_ms():
    return int(time.time() * 1000)


async def last_seq(workshop):
    return (await Workshop.objects.aget(pk=workshop.pk)).last_seq


async def test_the_timer_runs_on_server_time_and_reaches_everyone():
    workshop, facilitator = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    f, snap = await connect_ready(workshop, facilitator)
    a, snap_a = await connect_ready(workshop, anna)
    assert snap["state"]["timers"] == []
    assert abs(snap_a["state"]["server_now"] - now_ms()) < 2000

    before = now_ms()
    ack = await f.command("timer.start", minutes=5)
    assert ack["type"] == "ack"
    for client in (f, a):
        event = await client.event("timer.changed")
        data = event["data"]
        assert data["group"] is None and data["state"] == "running"
        assert data["duration_ms"] == 300_000
        assert before + 300_000 - 50 <= data["ends_at"] <= now_ms() + 300_000
        assert data["ends_at"] - data["server_now"] == data["remaining_ms"] == 300_000

    await f.command("timer.pause")
    paused = (await a.event("timer.changed"))["data"]
    assert paused["state"] == "paused" and paused["ends_at"] is None
    assert 295_000 < paused["remaining_ms"] <= 300_000

    await f.command("timer.extend", seconds=60)
    extended = (await a.event("timer.changed"))["data"]
    assert extended["state"] == "paused"
    assert extended["remaining_ms"] == paused["remaining_ms"] + 60_000

    await f.command("timer.resume")
    resumed = (await a.event("timer.changed"))["data"]
    assert resumed["state"] == "running"
    assert resumed["ends_at"] - resumed["server_now"] == extended["remaining_ms"]

    await f.command("timer.extend", seconds=-30)
    shorter = (await a.event("timer.changed"))["data"]
    assert resumed["ends_at"] - 30_000 - 100 <= shorter["ends_at"] <= resumed["ends_at"] - 30_000 + 1000

    # A late joiner gets the timer in the snapshot, to count down to the same moment.
    ben = await add_participant(workshop, "Ben")
    b, snap_b = await connect_ready(workshop, ben)
    (timer,) = snap_b["state"]["timers"]
    assert timer["state"] == "running" and timer["ends_at"] == shorter["ends_at"]
    assert abs(snap_b["state"]["server_now"] - now_ms()) < 2000

    await f.command("timer.stop")
    stopped = (await b.event("timer.changed"))["data"]
    assert stopped == {**stopped, "state": "stopped", "ends_at": None, "remaining_ms": 0}
    for client in (f, a, b):
        await client.close()


async def test_timer_refusals_change_nothing():
    workshop, facilitator = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    watcher = await add_participant(workshop, "Zuschauer", ParticipantRole.OBSERVER)
    f, _ = await connect_ready(workshop, facilitator)
    a, _ = await connect_ready(workshop, anna)
    o, _ = await connect_ready(workshop, watcher)
    for client in (a, o):
        answer = await client.command("timer.start", minutes=5)
        assert answer["code"] == "forbidden"
    cases = [
        ("timer.pause", {}, "conflict"),  # no timer yet
        ("timer.resume", {}, "conflict"),
        ("timer.stop", {}, "conflict"),
        ("timer.extend", {"seconds": 60}, "conflict"),
        ("timer.start", {}, "invalid"),
        ("timer.start", {"minutes": 5, "seconds": 5}, "invalid"),
        ("timer.start", {"minutes": 0}, "invalid"),
        ("timer.start", {"minutes": -1}, "invalid"),
        ("timer.start", {"minutes": 181}, "invalid"),
        ("timer.start", {"seconds": True}, "invalid"),
        ("timer.start", {"minutes": "5"}, "invalid"),
        ("timer.start", {"minutes": 1e308}, "invalid"),
        ("timer.start", {"seconds": 2**53 - 1}, "invalid"),
        ("timer.start", {"minutes": 5, "group": 999999}, "not_found"),
        ("timer.start", {"minutes": 5, "group": "x"}, "invalid"),
    ]
    seq = await last_seq(workshop)
    for name, fields, code in cases:
        answer = await f.command(name, **fields)
        assert answer["type"] == "error" and answer["code"] == code, (name, fields, answer)
    await f.command("timer.start", seconds=10800)  # three hours is the most
    await a.event("timer.changed")
    seq = await last_seq(workshop)
    for name, fields, code in [
        ("timer.extend", {"seconds": 60}, "invalid"),  # beyond three hours
        ("timer.extend", {"seconds": 0}, "invalid"),
        ("timer.extend", {"seconds": 1.5}, "invalid"),
        ("timer.resume", {}, "conflict"),  # running, not paused
    ]:
        answer = await f.command(name, **fields)
        assert answer["type"] == "error" and answer["code"] == code, (name, fields, answer)
    assert await last_seq(workshop) == seq
    # Less than nothing is nothing: the time is up at once.
    await f.command("timer.extend", seconds=-10800)
    event = await a.event("timer.changed")
    assert event["data"]["remaining_ms"] == 0
    assert (await f.command("timer.pause"))["code"] == "conflict"
    # A timer whose time is up gets the extra time from now.
    await f.command("timer.extend", seconds=60)
    event = await a.event("timer.changed")
    assert event["data"]["remaining_ms"] == 60_000
    for client in (f, a, o):
        await client.close()


async def test_a_breakout_group_has_its_own_timer():
    workshop, facilitator = await setup_workshop()
    group = await BreakoutGroup.objects.acreate(workshop=workshop, name="Gruppe 1", active=True)
    f, _ = await connect_ready(workshop, facilitator)
    await f.command("timer.start", minutes=3)
    await f.command("timer.start", minutes=2, group=group.pk)
    # The plenary's event may have come before the second ack: wait for the group's (after its ack).
    event = await f.wait_for(
        lambda frame: frame.get("name") == "timer.changed" and frame["data"]["group"] == group.pk, 3
    )
    assert event["data"]["duration_ms"] == 120_000
    await f.command("timer.pause", group=group.pk)
    plenary = await Timer.objects.aget(workshop=workshop, group=None)
    own = await Timer.objects.aget(group=group)
    assert plenary.state == "running" and own.state == "paused"
    ben = await add_participant(workshop, "Ben")
    b, snap = await connect_ready(workshop, ben)
    assert {t["group"]: t["state"] for t in snap["state"]["timers"]} == {None: "running", group.pk: "paused"}
    for client in (f, b):
        await client.close()


async def test_agenda_rounds_are_prepared_reordered_and_started():
    workshop, facilitator = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    f, snap = await connect_ready(workshop, facilitator)
    a, _ = await connect_ready(workshop, anna)
    assert snap["state"]["agenda"] == {"items": [], "current": None}
    await f.command("agenda.add", title="Ideen sammeln", phase="collect", minutes=10)
    await f.command("agenda.add", title="Clustern", phase="cluster", minutes=5)
    ack = await f.command("agenda.add", title="Pause", minutes=15)
    assert ack["type"] == "ack"
    event = None
    for _ in range(3):
        event = await a.event("agenda.changed")
    items = event["data"]["items"]
    assert [i["title"] for i in items] == ["Ideen sammeln", "Clustern", "Pause"]
    assert items[2]["phase"] == "" and items[2]["minutes"] == 15
    pause = items[2]["id"]

    await f.command("agenda.move", item=pause, position=0)
    event = await a.event("agenda.changed")
    assert [i["title"] for i in event["data"]["items"]] == ["Pause", "Ideen sammeln", "Clustern"]
    assert [i["position"] for i in event["data"]["items"]] == [0, 1, 2]
    await f.command("agenda.update", item=pause, title="Kaffeepause", minutes=20)
    event = await a.event("agenda.changed")
    assert event["data"]["items"][0]["title"] == "Kaffeepause"
    await f.command("agenda.delete", item=pause)
    event = await a.event("agenda.changed")
    assert [i["position"] for i in event["data"]["items"]] == [0, 1]
    clustering = event["data"]["items"][1]["id"]

    # Starting a round: the phase, the plenary timer for its minutes, the earlier rounds done.
    await f.command("agenda.start", item=clustering)
    phase = await a.event("phase.changed")
    assert phase["data"]["phase"] == "cluster"
    timer = await a.event("timer.changed")
    assert timer["data"]["duration_ms"] == 5 * 60_000 and timer["data"]["state"] == "running"
    agenda = await a.event("agenda.changed")
    assert agenda["data"]["current"] == clustering
    assert [i["done"] for i in agenda["data"]["items"]] == [True, False]
    assert agenda["data"]["items"][1]["started"] is not None

    ben = await add_participant(workshop, "Ben")
    b, snap_b = await connect_ready(workshop, ben)
    assert snap_b["state"]["agenda"]["current"] == clustering
    assert snap_b["state"]["phase"] == "cluster"

    refusals = [
        (a, "agenda.add", {"title": "x", "minutes": 5}, "forbidden"),
        (a, "agenda.start", {"item": clustering}, "forbidden"),
        (f, "agenda.add", {"title": "", "minutes": 5}, "invalid"),
        (f, "agenda.add", {"title": "x" * 121, "minutes": 5}, "too_long"),
        (f, "agenda.add", {"title": "x", "minutes": 0}, "invalid"),
        (f, "agenda.add", {"title": "x", "minutes": 181}, "invalid"),
        (f, "agenda.add", {"title": "x", "minutes": 5, "phase": "später"}, "invalid"),
        (f, "agenda.update", {"item": clustering}, "invalid"),
        (f, "agenda.update", {"item": 999999, "title": "y"}, "not_found"),
        (f, "agenda.move", {"item": clustering, "position": 2}, "invalid"),
        (f, "agenda.move", {"item": clustering, "position": -1}, "invalid"),
        (f, "agenda.delete", {"item": "1"}, "invalid"),
        (f, "agenda.start", {"item": 999999}, "not_found"),
    ]
    seq = await last_seq(workshop)
    for client, name, fields, code in refusals:
        answer = await client.command(name, **fields)
        assert answer["type"] == "error" and answer["code"] == code, (name, fields, answer)
    assert await last_seq(workshop) == seq
    for client in (f, a, b):
        await client.close()


async def test_follow_me_and_the_projector_view():
    workshop, facilitator = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    f, snap = await connect_ready(workshop, facilitator)
    a, _ = await connect_ready(workshop, anna)
    assert snap["state"]["workshop"]["follow"] is None
    assert snap["state"]["workshop"]["projector_view"] == "board"
    await a.command("card.add", text="Radwege ausbauen")
    card = (await a.event("card.added"))["data"]["id"]

    await f.command("follow.set", kind="card", target=card)
    event = await a.event("follow.changed")
    assert event["data"] == {"follow": {"kind": "card", "id": card}}
    await f.command("follow.set", kind="board")
    assert (await a.event("follow.changed"))["data"]["follow"] == {"kind": "board", "id": None}
    await f.command("projector.show", view="timer")
    assert (await a.event("projector.changed"))["data"] == {"view": "timer"}

    ben = await add_participant(workshop, "Ben")
    b, snap_b = await connect_ready(workshop, ben)
    assert snap_b["state"]["workshop"]["follow"] == {"kind": "board", "id": None}
    assert snap_b["state"]["workshop"]["projector_view"] == "timer"

    await f.command("follow.clear")
    assert (await b.event("follow.changed"))["data"] == {"follow": None}

    private = await Card.objects.acreate(workshop=workshop, text="geheim", private=True)
    refusals = [
        (a, "follow.set", {"kind": "card", "target": card}, "forbidden"),
        (a, "projector.show", {"view": "qa"}, "forbidden"),
        (a, "follow.clear", {}, "forbidden"),
        (f, "follow.clear", {}, "conflict"),
        (f, "follow.set", {"kind": "map"}, "invalid"),
        (f, "follow.set", {"kind": "card"}, "invalid"),
        (f, "follow.set", {"kind": "card", "target": 999999}, "not_found"),
        (f, "follow.set", {"kind": "card", "target": private.pk}, "not_found"),
        (f, "follow.set", {"kind": "poll", "target": card}, "not_found"),
        (f, "follow.set", {"kind": "board", "target": card}, "invalid"),
        (f, "projector.show", {"view": "timer"}, "conflict"),
        (f, "projector.show", {"view": "cinema"}, "invalid"),
    ]
    seq = await last_seq(workshop)
    for client, name, fields, code in refusals:
        answer = await client.command(name, **fields)
        assert answer["type"] == "error" and answer["code"] == code, (name, fields, answer)
    assert await last_seq(workshop) == seq
    for client in (f, a, b):
        await client.close()


async def test_a_resync_replays_the_tools_events_in_order():
    workshop, facilitator = await setup_workshop()
    f, _ = await connect_ready(workshop, facilitator)
    await f.command("agenda.add", title="Sammeln", phase="collect", minutes=7)
    item = await AgendaItem.objects.aget(workshop=workshop)
    await f.command("agenda.start", item=item.pk)
    await f.command("projector.show", view="agenda")
    await f.command("follow.set", kind="board")
    await f.command("timer.pause")
    names = [e.name async for e in WorkshopEvent.objects.filter(workshop=workshop).order_by("seq")]
    assert names == [
        "agenda.changed",
        "timer.changed",
        "agenda.changed",
        "projector.changed",
        "follow.changed",
        "timer.changed",
    ]
    anna = await add_participant(workshop, "Anna")
    a, snap = await connect_ready(workshop, anna)
    await a.ws.send_json_to({"type": "sync", "id": "s1", "since": 0})
    replay = []
    while True:
        frame = await a.receive()
        if frame["type"] == "synced":
            break
        if frame["type"] == "event":
            replay.append(frame)
    assert [frame["name"] for frame in replay] == names
    assert [frame["seq"] for frame in replay] == list(range(1, 7))
    (timer,) = snap["state"]["timers"]
    assert timer["state"] == "paused" and timer["remaining_ms"] == replay[-1]["data"]["remaining_ms"]
    for client in (f, a):
        await client.close()


def test_the_agenda_and_timer_commands_are_exactly_once():
    from tests import factories
    from workshops.actions import create_workshop, join_workshop

    process = factories.make_process()
    user = factories.make_facilitator(process)
    workshop = create_workshop(user, process, "Einmal")
    facilitator = join_workshop(workshop, user, "M", ParticipantRole.FACILITATOR)
    for _ in range(2):
        apply_command(facilitator.pk, {"type": "agenda.add", "id": "same", "title": "Runde", "minutes": 3})
        apply_command(facilitator.pk, {"type": "timer.start", "id": "t", "seconds": 30})
    assert AgendaItem.objects.filter(workshop=workshop).count() == 1
    assert WorkshopEvent.objects.filter(workshop=workshop).count() == 2


def test_the_agenda_is_prepared_on_the_manage_page():
    from django.test import Client

    from tests import factories
    from workshops.actions import create_workshop

    process = factories.make_process()
    user = factories.make_facilitator(process)
    workshop = create_workshop(user, process, "Vorbereitet")
    browser = Client()
    url = f"/w/{workshop.code}/verwaltung/ablauf/"
    assert browser.post(url, {"op": "add", "title": "x", "minutes": "5"}).status_code == 302  # to the sign-in
    browser.force_login(user)
    for title, phase, minutes in (("Ideen sammeln", "collect", "10"), ("Clustern", "", "5")):
        response = browser.post(url, {"op": "add", "title": title, "phase": phase, "minutes": minutes})
        assert response.status_code == 302 and response["Location"].endswith("/verwaltung/#ws-agenda-manage")
    first, second = AgendaItem.objects.filter(workshop=workshop).order_by("position")
    assert (second.title, second.phase, second.minutes) == ("Clustern", "", 5)

    browser.post(url, {"op": "down", "item": first.pk})
    assert list(AgendaItem.objects.filter(workshop=workshop).order_by("position").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]
    browser.post(url, {"op": "update", "item": second.pk, "title": "Clustern!", "phase": "cluster", "minutes": "7"})
    second.refresh_from_db()
    assert (second.title, second.phase, second.minutes) == ("Clustern!", "cluster", 7)

    # A bad round is shown again with its errors; nothing changes.
    seq = Workshop.objects.get(pk=workshop.pk).last_seq
    response = browser.post(url, {"op": "add", "title": "", "minutes": "0"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'aria-invalid="true"' in page and "Ablauf in Runden" in page
    response = browser.post(url, {"op": "update", "item": second.pk, "title": "y", "minutes": "999"}, follow=True)
    assert "nicht geändert" in response.content.decode()
    response = browser.post(url, {"op": "delete", "item": 99999999}, follow=True)
    assert "gibt es nicht mehr" in response.content.decode()
    assert Workshop.objects.get(pk=workshop.pk).last_seq == seq

    browser.post(url, {"op": "delete", "item": first.pk})
    assert list(AgendaItem.objects.filter(workshop=workshop).values_list("title", "position")) == [("Clustern!", 0)]
    # Every change is an agenda.changed event without actor, as open consoles hear it.
    events = WorkshopEvent.objects.filter(workshop=workshop, name="agenda.changed")
    assert events.count() == 5 and not events.exclude(actor=None).exists()
    page = browser.get(f"/w/{workshop.code}/verwaltung/").content.decode()
    assert "Clustern!" in page and "Runde hinzufügen" in page

    # Others do not reach it.
    stranger = factories.make_facilitator(factories.make_process())
    browser.force_login(stranger)
    assert browser.post(url, {"op": "add", "title": "x", "minutes": "5"}).status_code == 404
