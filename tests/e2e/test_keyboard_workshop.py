"""A live workshop with the keyboard alone, as a screen reader user hears it.

Alice only presses keys (Tab, typing, Enter): she enters the code, joins, adds a card and
spreads her dots. Every control she passes shows a visible focus ring. Bob, on another
device, listens to his board's live regions: a new card is announced once, a burst of cards
as one summary, poll results as throttled summaries with the latest numbers, and a lost
connection once, not once per reconnect attempt. With "reduce motion" the bars do not animate.

Uses the shared demo server of tests/e2e/conftest.py (its own database).
"""

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect

from tests.workshops.live_site import LiveClient

pytestmark = pytest.mark.browser

DOTS_POLL = {
    "question": "Was soll zuerst kommen?",
    "kind": "dots",
    "options": ["Radwege", "Busse", "Carsharing"],
    "dots": 3,
    "max_per_option": 3,
}

# Records every text a live region takes, so a test can count the announcements.
LISTEN = """selector => {
  const region = document.querySelector(selector);
  const log = [];
  new MutationObserver(() => log.push(region.textContent)).observe(
    region, { childList: true, characterData: true, subtree: true });
  window.__heard = window.__heard || {};
  window.__heard[selector] = log;
}"""

FOCUS_RING = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const owner = el.closest('.score-choice');
  const ownerStyle = owner ? getComputedStyle(owner) : null;
  return {
    element: el.outerHTML.slice(0, 120),
    outline: style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth),
    ownerOutline: ownerStyle && ownerStyle.outlineStyle !== 'none' ? parseFloat(ownerStyle.outlineWidth) : 0,
    shadow: style.boxShadow,
    focusVisible: el.matches(':focus-visible'),
  };
}"""


def assert_focus_visible(page):
    """The focused control has a ring of at least 2 px (an outline or a box shadow)."""
    ring = page.evaluate(FOCUS_RING)
    assert ring["focusVisible"], ring
    assert max(ring["outline"], ring["ownerOutline"]) >= 2 or ring["shadow"] != "none", ring


def tab_to(page, locator, limit=80):
    """Tab until ``locator`` has the focus, checking the focus ring on every stop on the way
    (past the last control the focus leaves the page, and the next Tab starts at the top)."""
    page.wait_for_load_state()  # the focus ring comes from site.css, which must have loaded
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement === document.body"):
            continue
        assert_focus_visible(page)
        if locator.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{locator} not reached with Tab in {limit} steps")


def heard(page, selector):
    return page.evaluate("selector => window.__heard[selector].slice()", selector)


def device(browser, **options):
    context = browser.new_context(locale="de-DE", viewport={"width": 1000, "height": 900}, **options)
    context.set_default_timeout(10_000)
    return context


def others(live, code, commands, spacing=0.0):
    """Other participants, each over a real socket: all connect first, then they send their
    commands at the same moment, or one after another ``spacing`` seconds apart."""

    async def send(client, command):
        ack = await client.command(command["type"], **{k: v for k, v in command.items() if k != "type"})
        assert ack["type"] == "ack", ack

    async def run():
        clients = []
        try:
            for n in range(len(commands)):
                joined = live.site.join(live.server, code, f"Gast {n + 1}")
                clients.append(await LiveClient(f"gast-{n + 1}", joined["ticket"]).connect(live.server, code))
            for client in clients:
                await client.wait_for(lambda f: f["type"] == "snapshot")
            if spacing:
                for client, command in zip(clients, commands, strict=True):
                    await send(client, command)
                    await asyncio.sleep(spacing)
            else:
                await asyncio.gather(*(send(client, c) for client, c in zip(clients, commands, strict=True)))
        finally:
            for client in clients:
                await client.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, run()).result(timeout=60)


def test_join_add_a_card_and_dot_vote_by_keyboard_with_announcements(demo, browser):
    live = demo.live
    code = live.workshop(title="Tastatur-Workshop")
    alice_device, bob_device = device(browser), device(browser)
    try:
        # Bob joins (by mouse; he is the listener) and records what his board announces.
        bob = bob_device.new_page()
        bob.goto(f"{live.base}/w/{code}/")
        bob.get_by_label("Ihr Name").fill("Bob")
        bob.get_by_role("button", name="Beitreten").click()
        bob.wait_for_url(re.compile(r"/board/$"), wait_until="commit")
        expect(bob.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
        bob.evaluate(LISTEN, "#ws-announcer")
        bob.evaluate(LISTEN, "#ws-connection")

        # Alice: code, name, card, all with keys.
        alice = alice_device.new_page()
        alice.goto(f"{live.base}/w/")
        tab_to(alice, alice.get_by_label("Zugangscode"))
        alice.keyboard.type(f"{code[:3].lower()} {code[3:].lower()}")
        alice.keyboard.press("Enter")
        expect(alice.get_by_role("heading", level=1)).to_have_text("Tastatur-Workshop")
        tab_to(alice, alice.get_by_label("Ihr Name"))
        alice.keyboard.type("Alice")
        alice.keyboard.press("Enter")
        alice.wait_for_url(re.compile(r"/board/$"), wait_until="commit")
        expect(alice.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
        alice.evaluate(LISTEN, "#ws-announcer")

        tab_to(alice, alice.get_by_label("Ihre Idee"))
        alice.keyboard.type("Sitzbänke an jeder Haltestelle")
        tab_to(alice, alice.get_by_role("button", name="Karte hinzufügen"))
        alice.keyboard.press("Enter")
        expect(bob.locator(".ws-card", has_text="Sitzbänke an jeder Haltestelle")).to_have_count(1)
        expect(alice.locator(".ws-card", has_text="Sitzbänke an jeder Haltestelle")).to_contain_text("Ihre Karte")

        # Bob hears the new card once; Alice is not told about her own card.
        bob.wait_for_function("() => window.__heard['#ws-announcer'].some(t => t.includes('Sitzbänke'))")
        # Three cards at once from others: one summary, not three announcements.
        others(live, code, [{"type": "card.add", "text": f"Idee Nummer {n}"} for n in (1, 2, 3)])
        expect(bob.locator(".ws-card")).to_have_count(4)
        bob.wait_for_function("() => window.__heard['#ws-announcer'].some(t => t.includes('3 neue Karten'))")
        said = heard(bob, "#ws-announcer")
        assert said == ["Neue Karte: Sitzbänke an jeder Haltestelle", "3 neue Karten"], said
        assert not any("Sitzbänke" in text for text in heard(alice, "#ws-announcer"))

        # A dot vote opens; Alice spreads her dots with Tab and Enter, no dragging.
        live.open_poll(code, **DOTS_POLL)
        poll = alice.locator(".ws-poll", has_text=DOTS_POLL["question"])
        more_busse = poll.get_by_role("button", name="Einen Punkt mehr für Busse")
        tab_to(alice, more_busse)
        alice.keyboard.press("Enter")
        alice.keyboard.press("Enter")
        expect(more_busse).to_be_focused()
        tab_to(alice, poll.get_by_role("button", name="Einen Punkt mehr für Radwege"))
        alice.keyboard.press("Enter")
        expect(poll.locator(".ws-dots__left")).to_have_text("Noch 0 von 3 Punkten übrig")
        tab_to(alice, poll.get_by_role("button", name="Stimme abgeben"))
        alice.keyboard.press("Enter")
        expect(poll.get_by_role("status")).to_contain_text("Ihre Stimme ist gespeichert")
        bob.wait_for_function(
            "() => window.__heard['#ws-announcer'].some(t => t.includes('Abstimmung geöffnet: Was soll zuerst'))"
        )

        # Four more votes, 0.4 s apart: Bob's bars follow each one, but he hears the interim
        # result as a summary with the latest numbers, not once per vote.
        bob_poll = bob.locator(".ws-poll", has_text=DOTS_POLL["question"])
        poll_id = int(bob_poll.get_attribute("data-poll"))
        ids = {
            label: bob_poll.locator(".ws-bar", has_text=label).get_attribute("data-option")
            for label in DOTS_POLL["options"]
        }
        bob.evaluate(LISTEN, f'.ws-poll[data-poll="{poll_id}"] .ws-results')
        votes = [{ids["Busse"]: 2}, {ids["Busse"]: 1, ids["Carsharing"]: 2}, {ids["Busse"]: 3}, {ids["Radwege"]: 1}]
        others(live, code, [{"type": "poll.vote", "poll": poll_id, "choice": v} for v in votes], spacing=0.4)
        expect(bob_poll.locator(".ws-results__votes")).to_have_text("5 Stimmen abgegeben")
        expect(bob_poll.locator(".ws-bar", has_text="Busse").locator(".ws-bar__value")).to_have_text("8 Punkte")
        bob.wait_for_function(
            "() => window.__heard['#ws-announcer'].some(t => t.includes('5 Stimmen abgegeben'))", timeout=15_000
        )
        shown = {t.split(" abgegeben")[0] for t in heard(bob, f'.ws-poll[data-poll="{poll_id}"] .ws-results')}
        interim = [t for t in heard(bob, "#ws-announcer") if t.startswith("Zwischenstand")]
        assert len(shown) >= 3, shown  # the bars moved several times ...
        assert len(interim) <= 2, interim  # ... the screen reader spoke at most twice
        assert interim[-1] == (
            "Zwischenstand „Was soll zuerst kommen?“: 5 Stimmen abgegeben. Vorn: Busse (8 Punkte)."
        ), interim

        # Bob loses the network: the banner says so once, though the client keeps retrying.
        bob_device.set_offline(True)
        expect(bob.locator("#ws-connection")).to_contain_text("Verbindung unterbrochen")
        bob.wait_for_timeout(3000)
        bob_device.set_offline(False)
        expect(bob.locator("#ws-connection")).to_contain_text("Wieder verbunden", timeout=15_000)
        states = [t for t in heard(bob, "#ws-connection") if t]
        assert states == ["Verbindung unterbrochen – wird wiederhergestellt …", "Wieder verbunden."], states
    finally:
        alice_device.close()
        bob_device.close()


def test_bars_do_not_move_when_the_reader_asks_for_reduced_motion(demo, browser):
    live = demo.live
    code = live.workshop(title="Ruhige Balken")
    live.open_poll(code, **DOTS_POLL)
    durations = {}
    for motion in ("no-preference", "reduce"):
        context = device(browser, reduced_motion=motion)
        try:
            page = context.new_page()
            page.goto(f"{live.base}/w/{code}/projector/")
            # The projector redraws its bars on every update: read a bar that is on the page.
            durations[motion] = page.wait_for_function(
                """() => {
                  const bar = document.querySelector('.ws-bar__fill');
                  return bar && bar.isConnected && getComputedStyle(bar).transitionDuration;
                }"""
            ).json_value()
        finally:
            context.close()
    assert durations == {"no-preference": "0.3s", "reduce": "0s"}
