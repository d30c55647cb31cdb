"""The facilitator's tools live across screens: a round prepared on the manage page; the timer
started, paused, extended and resumed in the console shows the same time left on the console,
on two boards (one of them with a clock three minutes fast) and on the projector; follow me
brings the boards to a card and to a poll (one participant opts out); starting the round
switches the phase and starts the timer; the projector's view is chosen in the console.
axe finds nothing on the manage page, the console or a board."""

import re
import time

import pytest
from playwright.sync_api import expect

from .test_axe_pages import assert_accessible
from .test_workshop_browser import add_card, join, login

pytestmark = pytest.mark.browser

# Bob's device clock is three minutes fast: the timer must not care.
SKEW_MS = 3 * 60 * 1000
SKEWED_CLOCK = f"""
(() => {{
  const realNow = Date.now.bind(Date);
  Date.now = () => realNow() + {SKEW_MS};
}})();
"""


def seconds(text):
    match = re.fullmatch(r"(\d+):(\d\d)", text.strip())
    assert match, f"not a time: {text!r}"
    return int(match[1]) * 60 + int(match[2])


def times(pages, selector="#ws-timer"):
    """The time shown on each page, read one right after the other."""
    return [seconds(page.locator(selector).first.text_content()) for page in pages]


def same_time(pages, low, high, selector_of=None):
    """Every page shows a time between low and high, all within a second of each other."""
    deadline = time.monotonic() + 10
    while True:
        shown = [seconds(page.locator(selector_of(page)).text_content()) for page in pages]
        if all(low <= s <= high for s in shown) and max(shown) - min(shown) <= 1:
            return shown
        assert time.monotonic() < deadline, f"times differ or out of range: {shown}"
        time.sleep(0.1)


def test_timer_follow_me_agenda_and_projector_across_screens(live, new_context):
    code = live.workshop(title="Zukunft der Mobilität")
    console = login(new_context(), live)

    # A round prepared in advance on the manage page.
    console.goto(f"{live.base}/w/{code}/verwaltung/")
    console.locator("#agenda-new-title").fill("Clustern")
    console.locator("#agenda-new-phase").select_option("cluster")
    console.locator("#agenda-new-minutes").fill("2")
    console.get_by_role("button", name="Runde hinzufügen").click()
    expect(console.get_by_text("Der Ablauf ist gespeichert.")).to_be_visible()
    expect(console.locator("input[id^=agenda-][id$=-title]:not(#agenda-new-title)")).to_have_value("Clustern")
    assert_accessible(console, "manage page with an agenda")

    console.goto(f"{live.base}/w/{code}/console/")
    expect(console.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
    alice = join(new_context(), live, code, "Alice")
    skewed = new_context()
    skewed.add_init_script(SKEWED_CLOCK)
    bob = join(skewed, live, code, "Bob")
    assert bob.evaluate("Date.now() - new Date().getTime()") > SKEW_MS - 1000
    projector = new_context().new_page()
    projector.goto(f"{live.base}/w/{code}/projector/")
    add_card(alice, "Radwege ausbauen")
    expect(bob.locator("#karte-1, .wc-card", has_text="Radwege ausbauen").first).to_be_attached()

    # The timer: started in the console, the same time on every screen, Bob's clock or not.
    tools = console.locator("#ws-tools")
    tools.get_by_label("Minuten").fill("5")
    tools.get_by_role("button", name="Timer starten").click()
    boards = [console, alice, bob]
    for page in boards:
        expect(page.locator("#ws-timer")).to_be_visible()
    same_time(boards, 290, 300, lambda page: "#ws-timer")
    console.get_by_role("radio", name="Timer").check()
    expect(projector.locator("#ws-projector-timer")).to_be_visible()
    same_time([*boards, projector], 285, 300, lambda page: "#ws-projector-timer" if page is projector else "#ws-timer")
    expect(alice.locator("#ws-announcer")).to_contain_text("Timer gestartet")

    # Paused everywhere at the same time; +1 minute; resumed.
    tools.get_by_role("button", name="Pause", exact=True).click()
    expect(bob.locator("#ws-timer-state")).to_have_text("angehalten")
    expect(alice.locator("#ws-timer-state")).to_have_text("angehalten")
    paused = console.locator("#ws-timer").text_content()
    for page in (alice, bob):
        expect(page.locator("#ws-timer")).to_have_text(paused)
    tools.get_by_role("button", name="Eine Minute mehr").click()
    later = f"{(seconds(paused) + 60) // 60:02d}:{(seconds(paused) + 60) % 60:02d}"
    for page in boards:
        expect(page.locator("#ws-timer")).to_have_text(later)
    tools.get_by_role("button", name="Weiter").click()
    expect(bob.locator("#ws-timer-state")).to_have_text("läuft")
    same_time(boards, seconds(later) - 3, seconds(later), lambda page: "#ws-timer")

    # Follow me: the boards are brought to Alice's card.
    follow = tools.get_by_label("Was alle sehen sollen")
    follow.select_option(label="Karte „Radwege ausbauen“")
    tools.get_by_role("button", name="Alle hierher holen").click()
    on_card = "() => document.activeElement && document.activeElement.matches('[data-card]')"
    for page in (alice, bob):
        expect(page.locator("#ws-follow-text")).to_have_text("Die Moderation zeigt: Karte „Radwege ausbauen“")
    bob.wait_for_function(on_card)
    # Alice is still in the card text field: she is not pulled out of it, but may go there.
    expect(alice.get_by_label("Ihre Idee")).to_be_focused()
    alice.get_by_role("button", name="Dorthin gehen").click()
    alice.wait_for_function(on_card)
    expect(tools.locator("#ws-follow-now")).to_have_text("Alle sehen gerade: Karte „Radwege ausbauen“.")
    assert_accessible(alice, "board following the facilitator, timer running")

    # Bob opts out; the poll is shown next: Alice is brought there, Bob stays where he is.
    bob.get_by_role("button", name="Nicht folgen").click()
    expect(bob.get_by_role("button", name="Wieder folgen")).to_have_attribute("aria-pressed", "true")
    poll = live.open_poll(code, question="Was zuerst?", kind="single", options=["Radwege", "Busse"])
    expect(tools.get_by_label("Was alle sehen sollen").locator("option", has_text="Was zuerst?")).to_be_attached()
    follow.select_option(label="Abstimmung „Was zuerst?“")
    tools.get_by_role("button", name="Alle hierher holen").click()
    expect(alice.locator("#ws-follow-text")).to_have_text("Die Moderation zeigt: Abstimmung „Was zuerst?“")
    expect(alice.locator(f"#ws-poll-{poll}-title")).to_be_focused()
    expect(bob.locator("#ws-follow-text")).to_contain_text("Sie folgen gerade nicht")
    expect(bob.locator(f"#ws-poll-{poll}-title")).not_to_be_focused()

    # Starting the prepared round: the phase changes and the timer runs for its 2 minutes.
    tools.get_by_role("button", name="Runde „Clustern“ starten").click()
    for page in (alice, bob):
        expect(page.locator("#ws-status")).to_contain_text("Phase: Clustern")
    same_time(boards, 115, 120, lambda page: "#ws-timer")
    expect(tools.locator(".ws-agenda__item[aria-current=step]")).to_contain_text("Clustern")
    tools.get_by_role("button", name="Nicht mehr mitnehmen").click()
    expect(alice.locator("#ws-follow")).to_be_hidden()
    assert_accessible(console, "console with the tools in use")

    tools.get_by_role("button", name="Timer beenden").click()
    for page in boards:
        expect(page.locator("#ws-timer-box")).to_be_hidden()
