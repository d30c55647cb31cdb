"""Console, board and projector count the same people online; the projector is no person.

The facilitator's console and Carla's board are open, and a projector shows the poll: all
three say "2 Personen online" (before, the console counted the projector as a third
person while the projector said 2). On a phone (360 px) and a desktop (1280 px)."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import FACILITATOR, FACILITATOR_PASSWORD
from .test_screenshots import DESKTOP, PHONE, assert_fits_the_phone, shoot

pytestmark = pytest.mark.browser


def context_for(browser, viewport):
    context = browser.new_context(locale="de-DE", viewport=viewport, is_mobile=viewport is PHONE)
    context.set_default_timeout(10_000)
    return context


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_the_projector_is_not_counted_as_a_person(live, browser, viewport):
    code = live.workshop(title="Wer ist da?")
    contexts = [context_for(browser, viewport) for _ in range(3)]
    try:
        console = contexts[0].new_page()
        console.goto(f"{live.base}/konto/anmelden/")
        console.get_by_label("Benutzername").fill(FACILITATOR)
        console.get_by_label("Passwort").fill(FACILITATOR_PASSWORD)
        console.get_by_role("button", name="Anmelden").click()
        console.wait_for_url(re.compile(r"/konto/$"))
        console.goto(f"{live.base}/w/{code}/console/")
        expect(console.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
        expect(console.locator(".ws-online")).to_have_text("1 Person online")

        projector = contexts[1].new_page()
        projector.goto(f"{live.base}/w/{code}/projector/")
        expect(projector.locator("#ws-projector-online")).to_have_text("1 Person online")

        carla = contexts[2].new_page()
        carla.goto(f"{live.base}/w/{code}/")
        carla.get_by_label("Ihr Name").fill("Carla")
        carla.get_by_role("button", name="Beitreten").click()
        carla.wait_for_url(re.compile(r"/board/$"), wait_until="commit")
        expect(carla.locator("#workshop-app")).to_have_attribute("aria-busy", "false")

        for page, where in ((console, ".ws-online"), (carla, ".ws-online"), (projector, "#ws-projector-online")):
            expect(page.locator(where)).to_have_text("2 Personen online")
        # Presence frames come at most once a second: a late one must not bring the projector back.
        console.wait_for_timeout(1500)
        expect(console.locator(".ws-online")).to_have_text("2 Personen online")
        shoot(console, "workshop-console-online")
        shoot(projector, "workshop-projector-online")
        if viewport is PHONE:
            assert_fits_the_phone(console)
    finally:
        for context in contexts:
            context.close()
