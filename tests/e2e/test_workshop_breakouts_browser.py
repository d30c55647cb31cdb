"""Breakout groups live across screens: the facilitator starts two groups from the console;
Alice chooses hers, Bob is put into the other by hand (a select, by keyboard); each sees their
own group, its timer and only its cards in the list; a card written in a group lands in its
area; a group's timer runs for that group only; ending the groups brings everyone back with
the groups' clusters and cards where they were. axe finds nothing on the console or the board."""

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect

from tests.workshops.live_site import LiveClient

from .test_axe_pages import assert_accessible
from .test_screenshots import shoot
from .test_workshop_browser import add_card, join, login

pytestmark = pytest.mark.browser


def script_member(live, code, group_name):
    """A third participant, by socket: chooses ``group_name``, adds a cluster with a card, leaves."""

    async def run():
        joined = live.site.join(live.server, code, "Cem")
        client = await LiveClient("cem", joined["ticket"]).connect(live.server, code)
        try:
            snapshot = await client.wait_for(lambda f: f["type"] == "snapshot")
            group = next(g for g in snapshot["state"]["groups"] if g["name"] == group_name and g["active"])
            assert (await client.command("breakout.choose", group=group["id"]))["type"] == "ack"
            ack = await client.command("cluster.add", title="Thema aus Wohnen")
            cluster = await client.wait_for(lambda f: f.get("type") == "event" and f["seq"] == ack["seq"])
            ack = await client.command("card.add", text="Mehr Wohnungen am Bahnhof", cluster=cluster["data"]["id"])
            assert ack["type"] == "ack", ack
            return group, cluster["data"]
        finally:
            await client.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run()).result(timeout=30)


def test_breakout_groups_from_start_to_return(live, new_context):
    code = live.workshop(title="Zukunft der Mobilität", participants_may_cluster=True)
    console = login(new_context(), live)
    console.goto(f"{live.base}/w/{code}/console/")
    expect(console.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
    alice = join(new_context(), live, code, "Alice")
    bob = join(new_context(), live, code, "Bob")
    add_card(alice, "Vorher im Plenum")
    expect(console.locator(".ws-online")).to_contain_text("3 Personen online")

    panel = console.locator("#ws-breakout-console")
    panel.get_by_label("Anzahl der Gruppen").fill("2")
    panel.get_by_label("nach Wahl").check()
    panel.get_by_label("Namen der Gruppen").fill("Verkehr\nWohnen")
    panel.get_by_role("button", name="Gruppen starten").click()
    expect(panel.locator("#ws-breakout-summary")).to_have_text("2 Gruppen arbeiten (nach Wahl).")
    expect(panel.locator(".ws-breakout__group")).to_have_count(2)

    # Alice chooses by keyboard; Bob is put into the other group with the select.
    expect(alice.locator("#ws-breakout-where")).to_contain_text("Bitte wählen Sie eine Gruppe")
    choose = alice.get_by_role("button", name=re.compile(r"Verkehr \("))
    choose.focus()
    alice.keyboard.press("Enter")
    expect(alice.locator("#ws-breakout-where")).to_have_text("Sie sind in Gruppe „Verkehr“.")
    expect(choose).to_have_attribute("aria-pressed", "true")
    assert_accessible(alice, "board in a breakout group, choosing")

    select = panel.get_by_label("Bob", exact=True)
    select.select_option(label="Wohnen")
    expect(bob.locator("#ws-breakout-where")).to_have_text("Sie sind in Gruppe „Wohnen“.")
    expect(panel.locator(".ws-breakout__group", has_text="Verkehr")).to_contain_text("1 Person: Alice")

    # A card written in a group belongs to it: in the group's area, on the facilitator's list
    # of the group; the other group's list view does not show it unless asked to.
    add_card(alice, "Tempo 30 vor Schulen")
    group_verkehr = panel.locator(".ws-breakout__group", has_text="Verkehr")
    expect(group_verkehr.locator(".ws-breakout__cards")).to_contain_text("Tempo 30 vor Schulen")
    expect(bob.locator("#ws-board .ws-card", has_text="Tempo 30 vor Schulen")).to_have_count(0)
    expect(bob.locator("#ws-board .ws-card", has_text="Vorher im Plenum")).to_have_count(0)
    bob.get_by_label("alle Gruppen zeigen").check()
    expect(bob.locator("#ws-board .ws-card", has_text="Tempo 30 vor Schulen")).to_have_count(1)
    bob.get_by_label("alle Gruppen zeigen").uncheck()
    expect(bob.locator("#ws-board .ws-card", has_text="Tempo 30 vor Schulen")).to_have_count(0)
    board = live.site.export(live.server, code)
    verkehr = next(g for g in board["groups"] if g["name"] == "Verkehr")
    card = next(c for c in board["cards"] if c["text"] == "Tempo 30 vor Schulen")
    assert card["group"] == verkehr["id"]
    assert verkehr["x"] <= card["x"] <= verkehr["x"] + verkehr["w"] - 200
    assert verkehr["y"] <= card["y"] <= verkehr["y"] + verkehr["h"] - 120

    # A third member (a script) works in "Wohnen": a cluster with a card.
    wohnen, cluster = script_member(live, code, "Wohnen")
    expect(bob.locator("#ws-board .ws-card", has_text="Mehr Wohnungen am Bahnhof")).to_have_count(1)
    expect(alice.locator("#ws-board .ws-card", has_text="Mehr Wohnungen am Bahnhof")).to_have_count(0)

    # The group timer of "Verkehr" runs for Alice's group, not for Bob's.
    group_verkehr.get_by_label("Minuten").fill("3")
    group_verkehr.get_by_role("button", name="Timer starten für Verkehr").click()
    expect(alice.locator("#ws-breakout-timer")).to_have_text(re.compile(r"Zeit der Gruppe: noch 0[23]:\d\d"))
    expect(bob.locator("#ws-breakout-timer")).to_have_text("Der Timer der Gruppe läuft nicht.")
    expect(group_verkehr.locator(".ws-breakout__timer")).to_contain_text("Zeit der Gruppe: noch")
    assert_accessible(console, "console with breakout groups running")
    assert_accessible(bob, "board in a breakout group")
    panel.scroll_into_view_if_needed()
    shoot(console, "workshop-breakout-console")
    shoot(alice, "workshop-breakout-board")

    # Back to the plenary: the boxes go, everyone sees every card, the cluster stayed in place.
    panel.get_by_role("button", name="Gruppen beenden, zurück ins Plenum").click()
    expect(alice.locator("#ws-breakout")).to_be_hidden()
    expect(bob.locator("#ws-breakout")).to_be_hidden()
    expect(panel.get_by_role("button", name="Gruppen starten")).to_be_visible()
    for page in (alice, bob):
        for text in ("Tempo 30 vor Schulen", "Mehr Wohnungen am Bahnhof", "Vorher im Plenum"):
            expect(page.locator("#ws-board .ws-card", has_text=text)).to_have_count(1)
    after = live.site.export(live.server, code)
    kept = next(c for c in after["clusters"] if c["id"] == cluster["id"])
    assert (kept["x"], kept["y"], kept["group"]) == (cluster["x"], cluster["y"], wohnen["id"])
    moved_card = next(c for c in after["cards"] if c["text"] == "Mehr Wohnungen am Bahnhof")
    assert moved_card["cluster"] == cluster["id"] and moved_card["group"] == wohnen["id"]
    assert_accessible(console, "console after the groups ended")


def test_groups_without_names_are_named_in_the_facilitators_language(live, new_context):
    code = live.workshop(title="Breakout in English")
    console = login(new_context(), live)
    console.goto(f"{live.base}/en/w/{code}/console/")
    expect(console.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
    panel = console.locator("#ws-breakout-console")
    panel.get_by_label("Number of groups").fill("2")
    panel.get_by_role("button", name="Start groups").click()
    expect(panel.locator("#ws-breakout-summary")).to_contain_text("2 groups")
    export = live.site.export(live.server, code)
    assert sorted(group["name"] for group in export["groups"]) == ["Group 1", "Group 2"]
