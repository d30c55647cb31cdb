"""The projector follows the facilitator live: board, poll, word cloud, Q&A, timer and agenda,
each readable on a 1920x1080 wall and a 1280x720 beamer, with the join code on one line and
axe at 0 violations in every view.

Two projectors (two browser contexts, the two sizes) watch the same workshop; the facilitator
and an expert act over real sockets."""

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import browser, live  # noqa: F401 (the browser fixtures)
from tests.e2e.test_axe_pages import assert_accessible
from tests.e2e.test_screenshots import shoot

from .live_site import LiveClient

pytestmark = pytest.mark.browser

WALL = {"width": 1920, "height": 1080}
BEAMER = {"width": 1280, "height": 720}
LONG = "Eine sehr lange Karte über sichere Radwege, breite Gehwege und Busse im Takt " * 4


class People:
    """The facilitator and one expert, acting over their own sockets."""

    def __init__(self, site_fixture, code):
        self.live, self.code = site_fixture, code
        site, server = site_fixture.site, site_fixture.server
        self.tickets = {
            "chief": site.join(server, code, "Moderation", token=site.token)["ticket"],
            "anna": site.join(server, code, "Anna")["ticket"],
        }
        self.pool = ThreadPoolExecutor(max_workers=1)

    def act(self, who, *commands):
        """Sends the commands one after another; the acks' data (fails on an error frame)."""

        async def run():
            client = await LiveClient(who, self.tickets[who]).connect(self.live.server, self.code)
            try:
                await client.wait_for(lambda f: f["type"] == "snapshot")
                acks = []
                for type_, fields in commands:
                    ack = await client.command(type_, **fields)
                    assert ack["type"] == "ack", (type_, ack)
                    if ack.get("seq") is None:  # votes log no event
                        acks.append(ack)
                        continue
                    event = await client.wait_for(lambda f, seq=ack["seq"]: f["type"] == "event" and f["seq"] == seq)
                    acks.append(event["data"])
                return acks
            finally:
                await client.close()

        # Playwright's sync API keeps an event loop running in this thread: use another one.
        return self.pool.submit(asyncio.run, run()).result(timeout=30)


def projector(browser, live, code, viewport):  # noqa: F811
    context = browser.new_context(locale="de-DE", viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live.base}/w/{code}/projector/")
    expect(page.locator("#ws-projector-online")).not_to_be_empty()
    return context, page


JOIN_BOXES = """() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return {
    lines: el.getClientRects().length, top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height,
    lineHeight: parseFloat(getComputedStyle(el).lineHeight) || parseFloat(getComputedStyle(el).fontSize) * 1.3 }; };
  return { code: box(document.getElementById('ws-projector-code')),
    url: box(document.getElementById('ws-projector-url')),
    qr: box(document.querySelector('.ws-pjoin__qr')), width: innerWidth, height: innerHeight,
    scrollWidth: document.documentElement.scrollWidth, scrollHeight: document.documentElement.scrollHeight };
}"""


def assert_join_line_whole(page):
    """The code and the link each on one line, inside the screen, nothing scrolls."""
    boxes = page.evaluate(JOIN_BOXES)
    for name in ("code", "url", "qr"):
        box = boxes[name]
        assert box["left"] >= 0 and box["right"] <= boxes["width"], (name, boxes)
        assert box["top"] >= 0 and box["bottom"] <= boxes["height"], (name, boxes)
    for name in ("code", "url"):
        assert boxes[name]["lines"] == 1 and boxes[name]["height"] < 1.6 * boxes[name]["lineHeight"], (name, boxes)
    assert boxes["scrollWidth"] <= boxes["width"] and boxes["scrollHeight"] <= boxes["height"], boxes


def test_the_projector_follows_the_facilitator_through_every_view(live, browser):  # noqa: F811
    code = live.workshop(title="Projektor: Mobilität im Quartier")
    people = People(live, code)
    traffic, green = people.act("chief", ("cluster.add", {"title": "Verkehr"}), ("cluster.add", {"title": "Grün"}))
    cards = people.act(
        "anna",
        ("card.add", {"text": "Tempo 30 vor Schulen", "cluster": traffic["id"], "x": 20, "y": 60}),
        ("card.add", {"text": LONG, "cluster": traffic["id"], "x": 240, "y": 60, "color": "blue"}),
        ("card.add", {"text": "Mehr Bäume <Allee> & Bänke", "cluster": green["id"], "color": "green"}),
        ("card.add", {"text": "Ohne Cluster: Carsharing"}),
    )
    people.act("chief", ("card.react", {"card": cards[2]["id"], "emoji": "💡", "on": True}))

    contexts = []
    try:
        for viewport in (WALL, BEAMER):
            context, page = projector(browser, live, code, viewport)
            contexts.append((context, page))
        pages = [page for _context, page in contexts]
        wall = pages[0]

        # The board (the default view): clusters as areas with their cards, long text cut.
        for page in pages:
            expect(page.locator(".ws-pview--board")).to_be_visible()
            expect(page.locator(".ws-pcluster")).to_have_count(3)
            area = page.locator(".ws-pcluster", has_text="Grün")
            expect(area.locator(".ws-pcard")).to_have_text(re.compile(r"Mehr Bäume <Allee> & Bänke.*💡 1"))
            expect(page.locator(".ws-pcluster", has_text="Ohne Cluster")).to_contain_text("Carsharing")
            assert_join_line_whole(page)
        long_card = wall.locator(".ws-pcard__text", has_text="Eine sehr lange Karte")
        assert long_card.evaluate("el => el.scrollHeight > el.clientHeight + 2"), "long text is clipped"
        font = wall.locator(".ws-pcard__text").first.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
        assert font >= 20, f"cards in {font}px are not readable from the back of the room"
        shoot(wall, "workshop-projector-board")
        assert_accessible(wall, "projector: board")

        # A card added now reaches the wall.
        people.act("anna", ("card.add", {"text": "Lastenräder leihen", "cluster": green["id"]}))
        expect(wall.locator(".ws-pcluster", has_text="Grün").locator(".ws-pcard")).to_have_count(2)

        # The poll: opening it puts it on the wall; a vote moves the bars.
        poll = people.act(
            "chief", ("poll.create", {"question": "Was zuerst?", "kind": "single", "options": ["Radwege", "Busse"]})
        )[0]
        people.act("chief", ("poll.open", {"poll": poll["id"]}))
        for page in pages:
            expect(page.locator("#ws-projector-question")).to_have_text("Was zuerst?")
            expect(page.locator(".ws-pview--board")).to_be_hidden()
        people.act("anna", ("poll.vote", {"poll": poll["id"], "choice": poll["options"][1]["id"]}))
        expect(wall.locator(".ws-bar", has_text="Busse")).to_contain_text("1 Stimme")
        assert_join_line_whole(wall)
        assert_accessible(wall, "projector: poll")

        # The facilitator brings the board back, then the other views one by one.
        people.act("chief", ("projector.show", {"view": "board"}))
        for page in pages:
            expect(page.locator(".ws-pview--board")).to_be_visible()
            expect(page.locator(".ws-pview--poll")).to_be_hidden()

        words = people.act("chief", ("poll.create", {"question": "Ein Wort zum Quartier?", "kind": "words"}))[0]
        people.act("chief", ("poll.open", {"poll": words["id"]}))
        people.act("anna", ("poll.vote", {"poll": words["id"], "choice": ["grün", "laut", "grün"]}))
        people.act("chief", ("poll.vote", {"poll": words["id"], "choice": ["grün", "bunt"]}))
        for page in pages:
            expect(page.locator(".ws-pview--words")).to_be_visible()
            expect(page.locator("#ws-projector-words-title")).to_have_text("Ein Wort zum Quartier?")
            expect(page.locator("#ws-projector-words li", has_text="grün").first).to_be_visible()
        assert_accessible(wall, "projector: word cloud")
        shoot(wall, "workshop-projector-words")

        people.act("anna", ("question.ask", {"text": "Wer bezahlt die Bäume?"}))
        people.act("chief", ("projector.show", {"view": "qa"}))
        for page in pages:
            expect(page.locator("#ws-projector-qa li")).to_have_text(re.compile("Wer bezahlt die Bäume?"))
        assert_accessible(wall, "projector: questions")

        people.act("chief", ("timer.start", {"minutes": 5}), ("projector.show", {"view": "timer"}))
        for page in pages:
            expect(page.locator("#ws-projector-timer")).to_have_text(re.compile(r"^[45]:\d\d$"))
            expect(page.locator("#ws-projector-timer-state")).to_have_text("läuft")
            assert_join_line_whole(page)
        assert_accessible(wall, "projector: timer")
        shoot(wall, "workshop-projector-timer")

        people.act(
            "chief",
            ("agenda.add", {"title": "Ideen sammeln", "phase": "collect", "minutes": 15}),
            ("agenda.add", {"title": "Punkte kleben", "phase": "vote", "minutes": 10}),
            ("projector.show", {"view": "agenda"}),
        )
        for page in pages:
            expect(page.locator(".ws-pagenda__item")).to_have_count(2)
            # The plenary timer stays in the footer while another view is on the wall.
            expect(page.locator("#ws-projector-mini-clock")).to_have_text(re.compile(r"^[45]:\d\d$"))
        assert_accessible(wall, "projector: agenda")
        for page in pages:
            shoot(page, "workshop-projector-agenda")
    finally:
        for context, _page in contexts:
            context.close()
