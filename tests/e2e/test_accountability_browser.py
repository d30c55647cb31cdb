"""The loop from input to outcome, in real Chromium against the demo: a citizen comments on
a measure; the facilitator answers on the measure's page and moves the measure on with a
reason; the citizen and a visitor without an account see the answer, its state, the new
status and its reason in the measure's history; the visitor reads it in English too; axe
finds nothing on the page as the facilitator sees it, forms open, at 360 and 1280 px."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import DEMO_CITIZEN, DEMO_PROCESS, FACILITATOR, FACILITATOR_PASSWORD
from .test_axe_pages import AXE, assert_accessible

pytestmark = pytest.mark.browser

MEASURE = f"/prozesse/{DEMO_PROCESS}/massnahmen/makerspace-stadtbibliothek/"


def sign_in(browser, demo, username, password, width=1280):
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
    context.set_default_timeout(10_000)
    context.add_init_script(AXE.axe_script)
    page = context.new_page()
    page.goto(f"{demo.base}/konto/anmelden/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_label("Benutzername")).to_have_count(0)
    return context, page


def answer_publicly(facilitator, page, question, text, state):
    """The facilitator answers the feedback ``question`` on ``page`` for the city."""
    facilitator.goto(page)
    item = facilitator.locator(".feedback-item", has_text=question)
    item.get_by_text("Öffentlich antworten").click()
    item.get_by_label("Antwort der Stadt").fill(text)
    item.get_by_label("Was wird aus der Rückmeldung?").select_option(state)
    item.get_by_role("button", name="Antwort veröffentlichen").click()
    expect(facilitator.get_by_text("Die Antwort ist veröffentlicht.")).to_be_visible()


# The second run finds the measure planned already, and moves it on once more.
@pytest.mark.parametrize(
    ("width", "status", "german", "english"),
    [(1280, "planned", "geplant", "planned"), (360, "in_progress", "in Umsetzung", "being implemented")],
)
def test_a_citizen_asks_the_city_answers_and_moves_the_measure_on(demo, browser, width, status, german, english):
    citizen_context, citizen = sign_in(browser, demo, *DEMO_CITIZEN, width=width)
    facilitator_context, facilitator = sign_in(browser, demo, FACILITATOR, FACILITATOR_PASSWORD, width=width)
    visitor_context = browser.new_context(locale="en-US", viewport={"width": width, "height": 900})
    try:
        question = f"Gibt es auch Kurse am Wochenende? ({width})"
        citizen.goto(f"{demo.base}{MEASURE}")
        citizen.get_by_label("Ihre Rückmeldung").fill(question)
        citizen.get_by_role("button", name="Rückmeldung senden").click()
        item = citizen.locator(".feedback-item", has_text=question)
        expect(item).to_have_count(1)

        answer_publicly(
            facilitator, f"{demo.base}{MEASURE}", question, "Ja, samstags von 10 bis 14 Uhr, ab März.", "adopted"
        )

        facilitator.get_by_text("Stand ändern").click()
        facilitator.get_by_label("Neuer Stand").select_option(status)
        facilitator.get_by_label("Begründung:", exact=True).fill(f"Die Stadtbibliothek richtet den Raum ein ({width}).")
        facilitator.get_by_label("Begründung (englisch)").fill(f"The library is setting up the room ({width}).")
        facilitator.get_by_role("button", name="Neuen Stand veröffentlichen").click()
        expect(facilitator).to_have_url(re.compile(r"#verlauf$"))
        expect(facilitator.locator(".timeline__item--now")).to_contain_text(german)
        facilitator.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
        assert_accessible(facilitator, f"measure page of the facilitator, forms open, {width} px")

        citizen.reload()
        answer = citizen.locator(".feedback-item", has_text=question).locator(".feedback-answer")
        expect(answer).to_contain_text("Antwort der Stadt")
        expect(answer).to_contain_text("übernommen")
        expect(answer).to_contain_text("samstags von 10 bis 14 Uhr")

        visitor = visitor_context.new_page()
        visitor.goto(f"{demo.base}/en{MEASURE}")
        expect(visitor.locator(".timeline__item--now")).to_contain_text(english)
        expect(visitor.locator(".timeline__item--now")).to_contain_text(
            f"The library is setting up the room ({width})."
        )
        visitor_answer = visitor.locator(".feedback-item", has_text=question).locator(".feedback-answer")
        expect(visitor_answer).to_contain_text("Answer from the city")
        expect(visitor_answer).to_contain_text("adopted")
    finally:
        citizen_context.close()
        facilitator_context.close()
        visitor_context.close()
