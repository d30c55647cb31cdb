"""A whole live workshop with the board tools, by keyboard alone (issue 15).

The facilitator (console, logged in) and an expert (board, canvas first) only press keys:
Tab and Shift+Tab to get somewhere, Enter, Space, the arrows and Escape, and type into the
field that has the focus. No mouse, no clicks, no filling of fields not reached by Tab.
Brainwriting, a card, the reveal; the card moved on the canvas with the arrows and into a
cluster from the card's "Aktionen" menu; the timer, follow me, pin and lock from the card menu, a
reaction, a question marked answered, a poll created, opened, voted and closed, and the
projector's view switched. Every step is checked on the other screen, live.
"""

import re

import pytest
from playwright.sync_api import expect

from .conftest import FACILITATOR, FACILITATOR_PASSWORD

pytestmark = pytest.mark.browser

IS_FOCUSED = "el => el === document.activeElement"


# Whether the target comes after the focused element in the document (then Tab, else Shift+Tab).
AHEAD = """el => {
  const here = document.activeElement;
  if (!here || here === document.body) return true;
  return Boolean(here.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
}"""


def tab_to(page, locator, limit=300):
    """Tab (or Shift+Tab, if the control lies before the focus) until ``locator`` has the focus;
    past the last control the focus leaves the page, and the next Tab starts at the top again."""
    target = locator.element_handle()
    if target.evaluate(IS_FOCUSED):
        return
    key = "Tab" if target.evaluate(AHEAD) else "Shift+Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if target.evaluate(IS_FOCUSED):
            return
    raise AssertionError(f"{locator} not reached with {key} in {limit} steps")


def press_on(page, locator, key="Enter"):
    tab_to(page, locator)
    page.keyboard.press(key)


def device(browser, **options):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900}, **options)
    context.set_default_timeout(10_000)
    return context


def console_card(page, text):
    return page.locator("#ws-board .ws-card", has_text=text)


def test_a_whole_board_workshop_by_keyboard_alone(live, browser):
    code = live.workshop(title="Tastatur am Board", participants_may_cluster=True)
    facilitator_device = device(browser)
    expert_device = device(browser, board_view=None)  # the canvas, as on a wide screen
    projector_device = device(browser)
    try:
        # The facilitator logs in and opens the console.
        console = facilitator_device.new_page()
        console.goto(f"{live.base}/konto/anmelden/")
        tab_to(console, console.get_by_label("Benutzername"))
        console.keyboard.type(FACILITATOR)
        tab_to(console, console.get_by_label("Passwort"))
        console.keyboard.type(FACILITATOR_PASSWORD)
        console.keyboard.press("Enter")
        console.wait_for_url(lambda url: "anmelden" not in url, wait_until="commit")
        console.goto(f"{live.base}/w/{code}/console/")
        expect(console.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
        projector = projector_device.new_page()
        projector.goto(f"{live.base}/w/{code}/projector/")

        # The expert joins with a name.
        expert = expert_device.new_page()
        expert.goto(f"{live.base}/w/{code}/")
        tab_to(expert, expert.get_by_label("Ihr Name"))
        expert.keyboard.type("Erika")
        expert.keyboard.press("Enter")
        expert.wait_for_url(re.compile(r"/board/$"), wait_until="commit")
        expect(expert.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
        expect(expert.locator("#ws-canvas")).to_be_visible()

        # Brainwriting: the expert's card stays hers until the facilitator reveals it.
        press_on(console, console.get_by_role("button", name="Brainwriting starten"))
        expect(expert.locator("#ws-brainwriting")).to_contain_text("nur für Sie sichtbar")
        tab_to(expert, expert.get_by_label("Ihre Idee"))
        expert.keyboard.type("Tempo 30 vor Schulen")
        press_on(expert, expert.get_by_role("button", name="Karte hinzufügen"))
        expect(console.locator(".ws-bw-console")).to_contain_text("Bisher ist 1 Karte geschrieben.")
        press_on(console, console.get_by_role("button", name="Karten aufdecken"))
        expect(console_card(console, "Tempo 30 vor Schulen")).to_have_count(1)
        expect(expert.locator("#ws-brainwriting")).to_be_hidden()

        # A cluster from the console; the expert's canvas shows its area.
        tab_to(console, console.locator("#ws-cluster-title"))
        console.keyboard.type("Verkehr")
        console.keyboard.press("Enter")
        expect(expert.locator(".wc-cluster", has_text="Verkehr")).to_have_count(1)

        # The expert moves her card with the arrows, then into the cluster via the menu.
        canvas_card = expert.locator(".wc-card", has_text="Tempo 30 vor Schulen")
        tab_to(expert, canvas_card)
        before = canvas_card.get_attribute("style")
        expert.keyboard.press("ArrowRight")
        expert.keyboard.press("Shift+ArrowDown")
        expect(canvas_card).not_to_have_attribute("style", before)
        expect(console.locator("#ws-announcer")).to_contain_text("Tempo 30 vor Schulen")
        expert.keyboard.press("Enter")
        menu = expert.locator(".wc-menu")
        expect(menu).to_be_visible()
        target = menu.get_by_role("button", name="Verkehr")
        for _ in range(10):
            if target.evaluate(IS_FOCUSED):
                break
            expert.keyboard.press("Tab")
        expect(target).to_be_focused()
        expert.keyboard.press("Enter")
        expect(menu).to_be_hidden()
        expect(canvas_card).to_be_focused()
        expect(console.locator("#ws-announcer")).to_contain_text("nach „Verkehr“ verschoben")
        cluster = console.locator(
            "#ws-board .ws-cluster", has=console.get_by_role("heading", name=re.compile("Verkehr"))
        )
        expect(cluster.locator(".ws-card", has_text="Tempo 30 vor Schulen")).to_have_count(1)

        # The timer: started in the console, running on the board.
        tab_to(console, console.get_by_label("Minuten"))
        console.keyboard.press("Control+A")
        console.keyboard.type("3")
        console.keyboard.press("Enter")
        expect(expert.locator("#ws-timer")).to_be_visible()
        expect(expert.locator("#ws-timer-state")).to_have_text("läuft")

        # Follow me: everyone is brought to the card (the expert has tabbed away from it).
        expert.keyboard.press("Shift+Tab")
        expect(canvas_card).not_to_be_focused()
        follow = console.get_by_label("Was alle sehen sollen")
        tab_to(console, follow)
        for _ in range(10):
            if "Tempo 30" in follow.evaluate("el => el.selectedOptions[0] ? el.selectedOptions[0].text : ''"):
                break
            console.keyboard.press("ArrowDown")
        press_on(console, console.get_by_role("button", name="Alle hierher holen"))
        expect(expert.locator("#ws-follow-text")).to_have_text("Die Moderation zeigt: Karte „Tempo 30 vor Schulen“")
        expect(canvas_card).to_be_focused()  # brought there, ready for the next key

        # Pinned and locked from the card's menu in the console.
        managed = console_card(console, "Tempo 30 vor Schulen")
        press_on(console, managed.locator("summary", has_text="Karte moderieren"))
        press_on(console, managed.get_by_role("button", name="Anheften"))
        expect(managed.get_by_role("button", name="Anheften")).to_have_attribute("aria-pressed", "true")
        press_on(console, managed.get_by_role("button", name="Sperren"))
        expect(managed.get_by_role("button", name="Sperren")).to_have_attribute("aria-pressed", "true")

        # The expert switches to the list, sees the badges and reacts with Space.
        press_on(expert, expert.get_by_role("button", name="Liste", exact=True))
        listed = expert.locator("#ws-board .ws-card", has_text="Tempo 30 vor Schulen")
        expect(listed.locator(".ws-badge--pinned")).to_be_visible()
        expect(listed.locator(".ws-badge--locked")).to_be_visible()
        press_on(expert, listed.get_by_role("button", name="Daumen hoch: 0"), key="Space")
        expect(managed.get_by_role("button", name="Daumen hoch: 1")).to_be_visible()
        expect(listed.get_by_role("button", name="Daumen hoch: 1")).to_have_attribute("aria-pressed", "true")
        expert.keyboard.press("Space")  # the focus stays on the toggle: taken back
        expect(managed.get_by_role("button", name="Daumen hoch: 0")).to_be_visible()
        expect(listed.get_by_role("button", name="Daumen hoch: 0")).to_have_attribute("aria-pressed", "false")
        expert.keyboard.press("Space")
        expect(managed.get_by_role("button", name="Daumen hoch: 1")).to_be_visible()

        # A question from the expert, answered by the facilitator.
        tab_to(expert, expert.get_by_label("Ihre Frage", exact=True))
        expert.keyboard.type("Wann wird das umgesetzt?")
        press_on(expert, expert.get_by_role("button", name="Frage stellen"))
        asked = console.locator("#ws-qa .ws-qa__item", has_text="Wann wird das umgesetzt?")
        expect(asked).to_be_visible()
        press_on(console, asked.get_by_role("button", name="Als beantwortet markieren"))
        expect(expert.locator("#ws-qa-answered-summary")).to_have_text("Beantwortete Fragen (1)")

        # A poll: written, created and opened in the console; the expert votes.
        tab_to(console, console.get_by_label("Frage", exact=True))
        console.keyboard.type("Wo zuerst?")
        tab_to(console, console.get_by_label("Eine Option je Zeile"))
        console.keyboard.type("Grundschule\nGymnasium")
        press_on(console, console.get_by_role("button", name="Abstimmung anlegen"))
        poll = console.locator(".ws-poll", has_text="Wo zuerst?")
        press_on(console, poll.get_by_role("button", name="Abstimmung öffnen"))
        expert_poll = expert.locator(".ws-poll", has_text="Wo zuerst?")
        press_on(expert, expert_poll.get_by_role("button", name="Einen Punkt mehr für Gymnasium"))
        press_on(expert, expert_poll.get_by_role("button", name="Stimme abgeben"))
        expect(poll.locator(".ws-results__votes")).to_contain_text("1 Stimme")

        # The projector: it went to the poll when it opened; the facilitator switches it to
        # the timer with the arrows in the radio group (Tab lands on the checked radio).
        poll_radio = console.locator("#ws-projector-view-poll")
        timer_radio = console.locator("#ws-projector-view-timer")
        expect(poll_radio).to_be_checked()
        expect(projector.get_by_role("region", name="Aktuelle Abstimmung")).to_contain_text("Wo zuerst?")
        tab_to(console, poll_radio)
        for _ in range(6):
            if timer_radio.is_checked():
                break
            console.keyboard.press("ArrowDown")
        expect(timer_radio).to_be_checked()
        expect(projector.locator("#ws-projector-timer")).to_be_visible()

        # The poll closed from the console; the board shows it closed.
        press_on(console, poll.get_by_role("button", name="Abstimmung schließen"))
        expect(expert.locator("#ws-announcer")).to_contain_text("Abstimmung beendet: Wo zuerst?")
        expect(projector.get_by_role("region", name="Aktuelle Abstimmung")).to_be_hidden()
    finally:
        for context in (facilitator_device, expert_device, projector_device):
            context.close()
