"""A poll whose results are public shows its options at zero before the first vote, not
"the result is shown once the facilitators release it"; a hidden poll still says so.

Carla's board and the projector are open when the facilitator creates and opens the polls
(so they hear of them by event, not by a snapshot). On a phone and a desktop."""

import re

import pytest
from playwright.sync_api import expect

from .test_screenshots import DESKTOP, PHONE, assert_fits_the_phone, shoot

pytestmark = pytest.mark.browser

RELEASE = "Das Ergebnis wird gezeigt, sobald die Moderation es freigibt."


def context_for(browser, viewport):
    context = browser.new_context(locale="de-DE", viewport=viewport, is_mobile=viewport is PHONE)
    context.set_default_timeout(10_000)
    return context


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_a_public_poll_shows_zero_votes_until_the_first_one(live, browser, viewport):
    code = live.workshop(title="Vor der ersten Stimme")
    contexts = [context_for(browser, viewport) for _ in range(2)]
    try:
        carla = contexts[0].new_page()
        carla.goto(f"{live.base}/w/{code}/")
        carla.get_by_label("Ihr Name").fill("Carla")
        carla.get_by_role("button", name="Beitreten").click()
        carla.wait_for_url(re.compile(r"/board/$"), wait_until="commit")
        expect(carla.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
        projector = contexts[1].new_page()
        projector.goto(f"{live.base}/w/{code}/projector/")
        expect(projector.locator("#ws-projector-online")).not_to_be_empty()

        live.open_poll(code, question="Geheim bis zur Freigabe?", kind="single", options=["Ja", "Nein"], hidden=True)
        hidden = carla.locator(".ws-poll", has_text="Geheim bis zur Freigabe?")
        expect(hidden.locator(".ws-results")).to_contain_text(RELEASE)

        live.open_poll(code, question="Was zuerst?", kind="dots", options=["Radwege", "Busse"], dots=3)
        poll = carla.locator(".ws-poll", has_text="Was zuerst?")
        expect(poll.locator(".ws-results__votes")).to_have_text("0 Stimmen abgegeben")
        expect(poll.locator(".ws-bar")).to_have_count(2)
        expect(poll.locator(".ws-bar", has_text="Busse")).to_contain_text("0 Punkte")
        expect(poll.locator(".ws-results")).not_to_contain_text(RELEASE)

        # The projector shows the newest open poll: its options at zero, nothing about a release.
        expect(projector.locator("#ws-projector-question")).to_have_text("Was zuerst?")
        expect(projector.locator(".ws-bar")).to_have_count(2)
        expect(projector.locator("#ws-projector-results")).not_to_contain_text(RELEASE)
        shoot(carla, "workshop-board-poll-without-votes")
        shoot(projector, "workshop-projector-poll-without-votes")
        if viewport is PHONE:
            assert_fits_the_phone(carla)
    finally:
        for context in contexts:
            context.close()
