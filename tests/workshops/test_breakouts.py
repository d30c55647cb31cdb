"""Breakout groups over the socket: starting them (random, by choice, by hand), assigning and
choosing, cards and clusters landing in a group's area, the snapshot and a resync, ending them
with the clusters intact; every refusal changes nothing."""

import pytest
from channels.db import database_sync_to_async

from workshops.actions import apply_command
from workshops.models import BreakoutGroup, Card, Cluster, Participant, ParticipantRole, Timer, Workshop

from .wsutil import add_participant, connect_ready, setup_workshop

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def last_seq(workshop):
    return Workshop.objects.get(pk=workshop.pk).last_seq


@database_sync_to_async
def group_of(participant):
    return Participant.objects.get(pk=participant.pk).group_id


@database_sync_to_async
def run(participant, command_id, **command):
    return apply_command(participant.pk, {"id": command_id, **command})


def inside(item, group, w, h):
    return (
        group["x"] <= item["x"]
        and item["x"] + w <= group["x"] + group["w"]
        and (group["y"] <= item["y"] and item["y"] + h <= group["y"] + group["h"])
    )


async def test_random_split_is_even_and_everyone_hears_it():
    workshop, facilitator = await setup_workshop()
    people = [await add_participant(workshop, f"Person {n}") for n in range(5)]
    await add_participant(workshop, "Beobachtung", ParticipantRole.OBSERVER)
    mod, _ = await connect_ready(workshop, facilitator)
    anna, _ = await connect_ready(workshop, people[0])

    ack = await mod.command("breakout.start", count=2, mode="random", names=["Verkehr", "Wohnen"])
    assert ack["type"] == "ack"
    for client in (mod, anna):
        event = await client.event("breakout.started")
        assert event["data"]["mode"] == "random"
    groups = event["data"]["groups"]
    assert [g["name"] for g in groups] == ["Verkehr", "Wohnen"]
    # Only the one expert online is dealt out (the others are not here).
    assert sorted(len(g["members"]) for g in groups) == [0, 1]
    assert groups[0]["x"] + groups[0]["w"] <= groups[1]["x"]  # side by side, no overlap
    assert await Timer.objects.filter(group_id__in=[g["id"] for g in groups], state="stopped").acount() == 2
    assert (await database_sync_to_async(Workshop.objects.get)(pk=workshop.pk)).breakout_mode == "random"

    # Starting again while they run is a conflict, and changes nothing.
    before = await last_seq(workshop)
    refused = await mod.command("breakout.start", count=3, mode="manual")
    assert refused["code"] == "conflict" and await last_seq(workshop) == before
    await mod.close()
    await anna.close()


async def test_random_split_of_everyone_who_joined_when_nobody_is_online():
    workshop, facilitator = await setup_workshop()
    people = [await add_participant(workshop, f"Person {n}") for n in range(7)]
    await add_participant(workshop, "Beobachtung", ParticipantRole.OBSERVER)
    await run(facilitator, "s", type="breakout.start", count=3, mode="random")
    sizes = []
    for group in await database_sync_to_async(list)(BreakoutGroup.objects.filter(workshop=workshop)):
        sizes.append(await Participant.objects.filter(group=group).acount())
    assert sorted(sizes) == [2, 2, 3]
    assert all([await group_of(p) for p in people])
    assert await Participant.objects.filter(workshop=workshop, group__isnull=False).acount() == 7


async def test_manual_assignment_cards_and_clusters_in_the_group_area_and_the_end():
    workshop, facilitator = await setup_workshop(participants_may_cluster=True)
    anna = await add_participant(workshop, "Anna")
    ben = await add_participant(workshop, "Ben")
    mod, _ = await connect_ready(workshop, facilitator)
    a, _ = await connect_ready(workshop, anna)
    b, _ = await connect_ready(workshop, ben)
    await a.command("card.add", text="Vorher im Plenum")

    await mod.command("breakout.start", count=2, mode="manual")
    started = (await a.event("breakout.started"))["data"]
    assert all(g["members"] == [] for g in started["groups"])
    first, second = started["groups"]
    # Below what was on the board before.
    assert first["y"] >= 120

    ack = await mod.command("breakout.assign", participant=anna.pk, group=first["id"])
    assert ack["type"] == "ack"
    assigned = await b.event("breakout.assigned")
    assert assigned["data"] == {"participant": anna.pk, "group": first["id"], "name": "Anna"}
    await mod.command("breakout.assign", participant=ben.pk, group=second["id"])

    # A card and a cluster written in a group belong to it and land in its area.
    await a.command("card.add", text="In Gruppe 1")
    card = (await b.event("card.added"))["data"]
    while card["text"] != "In Gruppe 1":
        card = (await b.event("card.added"))["data"]
    assert card["group"] == first["id"] and inside(card, first, 200, 120)
    await a.command("card.add", text="Noch eine")
    await b.command("cluster.add", title="Thema von Ben")
    cluster = (await a.event("cluster.added"))["data"]
    assert cluster["group"] == second["id"] and inside(cluster, second, cluster["w"], cluster["h"])
    # A card written into the group's cluster lands inside the cluster.
    await b.command("card.add", text="Im Cluster", cluster=cluster["id"])
    clustered = await Card.objects.aget(text="Im Cluster")
    assert clustered.group_id == second["id"]
    assert inside({"x": clustered.x, "y": clustered.y}, cluster, 200, 120)
    # A position given by the writer is kept.
    await b.command("card.add", text="Genau hier", x=second["x"] + 900, y=second["y"] + 900)
    placed = await Card.objects.aget(text="Genau hier")
    assert (placed.x, placed.y, placed.group_id) == (second["x"] + 900, second["y"] + 900, second["id"])
    # The facilitator writes in the plenary.
    await mod.command("card.add", text="Moderation", x=5, y=5)
    assert (await Card.objects.aget(text="Moderation")).group_id is None

    # Back to the plenary: an assigned participant moves too.
    await mod.command("breakout.assign", participant=ben.pk, group=None)
    assert await group_of(ben) is None

    # A socket that reconnects sees the groups, its members and its own group.
    a2, snapshot = await connect_ready(workshop, anna)
    state = snapshot["state"]
    assert state["you"]["group"] == first["id"]
    assert state["workshop"]["breakout_mode"] == "manual"
    by_id = {g["id"]: g for g in state["groups"]}
    assert by_id[first["id"]]["members"] == [anna.pk] and by_id[second["id"]]["members"] == []
    assert by_id[first["id"]]["names"] == ["Anna"]
    assert by_id[first["id"]]["active"] is True
    await a2.close()

    ack = await mod.command("breakout.end")
    assert ack["type"] == "ack"
    ended = await a.event("breakout.ended")
    assert sorted(ended["data"]["groups"]) == sorted([first["id"], second["id"]])
    assert await Participant.objects.filter(workshop=workshop, group__isnull=False).acount() == 0
    # The groups stay as areas with their cards and clusters.
    assert await Card.objects.filter(group_id=first["id"]).acount() == 2
    kept = await Cluster.objects.aget(title="Thema von Ben")
    assert (kept.group_id, kept.x, kept.y) == (second["id"], cluster["x"], cluster["y"])
    after = await a.command("card.add", text="Wieder im Plenum")
    assert after["type"] == "ack"
    assert (await Card.objects.aget(text="Wieder im Plenum")).group_id is None

    # A resync replays the whole story to a client that missed it.
    await b.ws.send_json_to({"type": "sync", "since": 0, "id": "s1"})
    synced = await b.wait_for(lambda f: f["type"] in ("synced", "snapshot"))
    names = [f["name"] for f in b.frames if f.get("type") == "event"]
    assert synced["type"] == "synced" and "breakout.ended" in names

    # Starting anew puts the new groups below the old ones, which stay ended.
    await mod.command("breakout.start", count=2, mode="choice")
    again = (await a.event("breakout.started"))["data"]["groups"]
    assert min(g["y"] for g in again) >= first["y"] + first["h"]
    a3, snapshot = await connect_ready(workshop, anna)
    actives = {g["id"]: g["active"] for g in snapshot["state"]["groups"]}
    assert actives[first["id"]] is False and actives[again[0]["id"]] is True
    assert snapshot["state"]["you"]["group"] is None
    for client in (mod, a, b, a3):
        await client.close()


async def test_choosing_a_group_in_choice_mode_only_and_by_experts_only():
    workshop, facilitator = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    observer = await add_participant(workshop, "Beobachtung", ParticipantRole.OBSERVER)
    mod, _ = await connect_ready(workshop, facilitator)
    a, _ = await connect_ready(workshop, anna)
    o, _ = await connect_ready(workshop, observer)

    assert (await a.command("breakout.choose", group=1))["code"] == "wrong_phase"
    await mod.command("breakout.start", count=3, mode="choice")
    groups = (await a.event("breakout.started"))["data"]["groups"]
    ack = await a.command("breakout.choose", group=groups[2]["id"])
    assert ack["type"] == "ack"
    assigned = (await mod.event("breakout.assigned"))["data"]
    assert (assigned["participant"], assigned["group"]) == (anna.pk, groups[2]["id"])
    before = await last_seq(workshop)
    assert (await a.command("breakout.choose", group=groups[2]["id"]))["code"] == "conflict"
    assert (await a.command("breakout.choose", group=999999))["code"] == "not_found"
    assert (await a.command("breakout.choose"))["code"] == "invalid"
    assert (await o.command("breakout.choose", group=groups[0]["id"]))["code"] == "forbidden"
    assert (await mod.command("breakout.choose", group=groups[0]["id"]))["code"] == "forbidden"
    assert await last_seq(workshop) == before
    # She may change her mind.
    assert (await a.command("breakout.choose", group=groups[0]["id"]))["type"] == "ack"
    assert await group_of(anna) == groups[0]["id"]

    # In manual mode experts do not choose.
    await mod.command("breakout.end")
    await mod.command("breakout.start", count=2, mode="manual")
    manual = (await a.event("breakout.started"))["data"]["groups"]
    assert (await a.command("breakout.choose", group=manual[0]["id"]))["code"] == "wrong_phase"
    for client in (mod, a, o):
        await client.close()


async def test_bad_input_and_rights_are_refused_and_change_nothing():
    workshop, facilitator = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    other, other_facilitator = await setup_workshop()
    stranger = await add_participant(other, "Fremd")
    mod, _ = await connect_ready(workshop, facilitator)
    a, _ = await connect_ready(workshop, anna)
    before = await last_seq(workshop)

    assert (await a.command("breakout.start", count=2, mode="random"))["code"] == "forbidden"
    for fields, code in [
        ({"count": 1, "mode": "random"}, "invalid"),
        ({"count": 21, "mode": "random"}, "invalid"),
        ({"count": True, "mode": "random"}, "invalid"),
        ({"count": "2", "mode": "random"}, "invalid"),
        ({"count": 2, "mode": "chaos"}, "invalid"),
        ({"count": 2}, "invalid"),
        ({"count": 2, "mode": "manual", "names": ["nur eine"]}, "invalid"),
        ({"count": 2, "mode": "manual", "names": ["a", ""]}, "invalid"),
        ({"count": 2, "mode": "manual", "names": ["a", 3]}, "invalid"),
        ({"count": 2, "mode": "manual", "names": "a,b"}, "invalid"),
        ({"count": 2, "mode": "manual", "names": ["a", "x" * 61]}, "too_long"),
    ]:
        answer = await mod.command("breakout.start", **fields)
        assert answer.get("code") == code, (fields, answer)
    assert (await mod.command("breakout.end"))["code"] == "wrong_phase"
    assert (await mod.command("breakout.assign", participant=anna.pk, group=None))["code"] == "wrong_phase"
    assert await last_seq(workshop) == before
    assert await BreakoutGroup.objects.acount() == 0

    await mod.command("breakout.start", count=2, mode="manual")
    groups = (await mod.event("breakout.started"))["data"]["groups"]
    before = await last_seq(workshop)
    for fields, code in [
        ({"participant": anna.pk}, "invalid"),
        ({"participant": "x", "group": groups[0]["id"]}, "invalid"),
        ({"participant": stranger.pk, "group": groups[0]["id"]}, "not_found"),
        ({"participant": facilitator.pk, "group": groups[0]["id"]}, "invalid"),
        ({"participant": anna.pk, "group": 999999}, "not_found"),
        ({"participant": anna.pk, "group": None}, "conflict"),
    ]:
        answer = await mod.command("breakout.assign", **fields)
        assert answer.get("code") == code, (fields, answer)
    assert (await a.command("breakout.assign", participant=anna.pk, group=groups[0]["id"]))["code"] == "forbidden"
    assert (await a.command("breakout.end"))["code"] == "forbidden"
    # A group of another workshop is not found, even for its facilitator.
    await run(other_facilitator, "o", type="breakout.start", count=2, mode="manual")
    foreign = await BreakoutGroup.objects.filter(workshop=other).afirst()
    answer = await mod.command("breakout.assign", participant=anna.pk, group=foreign.pk)
    assert answer["code"] == "not_found"
    assert await last_seq(workshop) == before
    assert await group_of(anna) is None
    await mod.close()
    await a.close()


async def test_ended_groups_are_no_longer_chosen_or_assigned():
    workshop, facilitator = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    await run(facilitator, "1", type="breakout.start", count=2, mode="choice")
    old = await BreakoutGroup.objects.filter(workshop=workshop).afirst()
    await run(facilitator, "2", type="breakout.end")
    await run(facilitator, "3", type="breakout.start", count=2, mode="choice")
    mod, _ = await connect_ready(workshop, facilitator)
    a, _ = await connect_ready(workshop, anna)
    assert (await a.command("breakout.choose", group=old.pk))["code"] == "not_found"
    assert (await mod.command("breakout.assign", participant=anna.pk, group=old.pk))["code"] == "not_found"
    await mod.close()
    await a.close()


async def test_a_group_timer_runs_for_its_group_and_stops_when_groups_end():
    workshop, facilitator = await setup_workshop()
    anna = await add_participant(workshop, "Anna")
    mod, _ = await connect_ready(workshop, facilitator)
    a, _ = await connect_ready(workshop, anna)
    await mod.command("breakout.start", count=2, mode="manual")
    groups = (await a.event("breakout.started"))["data"]["groups"]
    ack = await mod.command("timer.start", group=groups[1]["id"], minutes=5)
    assert ack["type"] == "ack"
    changed = (await a.event("timer.changed"))["data"]
    assert changed["group"] == groups[1]["id"] and changed["state"] == "running"
    await mod.command("breakout.end")
    await a.event("breakout.ended")
    stopped = (await a.event("timer.changed"))["data"]
    assert stopped["group"] == groups[1]["id"] and stopped["state"] == "stopped"
    await mod.close()
    await a.close()
