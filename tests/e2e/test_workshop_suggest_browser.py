"""Suggested clusters live: the facilitator asks for proposals on the console (by keyboard),
renames one, unticks a card, accepts it; an expert's screen shows the new cluster with its
cards at once. Rejecting the other proposal leaves the board as it was. axe finds nothing
in the panel with proposals shown."""

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect

from tests.workshops.live_site import LiveClient

from .test_axe_pages import AXE, AXE_OPTIONS, describe
from .test_workshop_browser import join, login

pytestmark = pytest.mark.browser

TEXTS = [
    "Busse sollten abends öfter fahren",
    "Ein Ticket für Bus und Bahn",
    "Echtzeit-Fahrplan für Bus und Bahn",
    "Open Data: Haushaltsdaten veröffentlichen",
    "Ein Open-Data-Portal mit Verkehrsdaten",
    "Hundewiese am Fluss",
]


def write_cards(live, code):
    """Cards written over a socket (faster than typing them), by a participant who then leaves."""

    async def run():
        joined = live.site.join(live.server, code, "Dana")
        client = await LiveClient("dana", joined["ticket"]).connect(live.server, code)
        try:
            await client.wait_for(lambda f: f["type"] == "snapshot")
            for text in TEXTS:
                assert (await client.command("card.add", text=text))["type"] == "ack"
        finally:
            await client.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, run()).result(timeout=30)


def assert_panel_accessible(page):
    if not page.evaluate("() => typeof axe === 'object'"):
        page.evaluate(AXE.axe_script)
    response = page.evaluate("options => axe.run('#ws-suggest', options)", AXE_OPTIONS)
    assert not response["violations"], describe(response["violations"])


def test_a_suggested_cluster_is_accepted_and_seen_by_everyone(live, new_context):
    code = live.workshop(title="Zukunft der Mobilität")
    write_cards(live, code)
    console = login(new_context(), live)
    console.goto(f"{live.base}/w/{code}/console/")
    expect(console.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
    alice = join(new_context(), live, code, "Alice")
    expect(alice.locator("#ws-board .ws-card")).to_have_count(len(TEXTS))

    panel = console.locator("#ws-suggest")
    panel.get_by_role("button", name="Cluster vorschlagen").focus()
    console.keyboard.press("Enter")
    expect(panel.locator("#ws-suggest-status")).to_have_text("2 Vorschläge für Cluster.")
    expect(console.locator("#ws-announcer")).to_contain_text("2 Vorschläge für Cluster.")
    proposals = panel.locator(".ws-suggest__item")
    expect(proposals).to_have_count(2)
    assert_panel_accessible(console)

    bus = proposals.filter(has_text="Ein Ticket für Bus und Bahn")
    expect(bus.get_by_role("checkbox")).to_have_count(3)
    bus.get_by_label("Name des Clusters").fill("Bus und Bahn")
    bus.get_by_label("Busse sollten abends öfter fahren").uncheck()
    bus.get_by_role("button", name="Übernehmen").click()
    expect(panel.locator("#ws-suggest-status")).to_have_text("Cluster „Bus und Bahn“ mit 2 Karten angelegt.")
    expect(proposals).to_have_count(1)
    # Focus moved on to the remaining proposal.
    expect(proposals.get_by_label("Name des Clusters")).to_be_focused()

    # Alice sees the cluster with its two cards at once; the unticked card stays outside.
    cluster = alice.locator("#ws-board .ws-cluster", has=alice.get_by_role("heading", name=re.compile("Bus und Bahn")))
    expect(cluster).to_have_count(1)
    for text in ("Ein Ticket für Bus und Bahn", "Echtzeit-Fahrplan für Bus und Bahn"):
        expect(cluster.locator(".ws-card", has_text=text)).to_have_count(1)
    expect(cluster.locator(".ws-card", has_text="Busse sollten abends")).to_have_count(0)

    # Rejecting the other proposal changes nothing on the board.
    proposals.get_by_role("button", name="Verwerfen").click()
    expect(proposals).to_have_count(0)
    expect(panel.get_by_role("button", name="Cluster vorschlagen")).to_be_focused()
    board = live.site.export(live.server, code)
    assert [c["title"] for c in board["clusters"]] == ["Bus und Bahn"]
    clustered = sorted(c["text"] for c in board["cards"] if c["cluster"] == board["clusters"][0]["id"])
    assert clustered == ["Echtzeit-Fahrplan für Bus und Bahn", "Ein Ticket für Bus und Bahn"]
