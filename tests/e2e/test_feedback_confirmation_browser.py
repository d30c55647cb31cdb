"""After posting feedback the "Danke!" is where the page lands: in view without scrolling on
a phone (360x740) and a desktop (1280x800), with the focus on it (so screen readers say
it), and the page has no axe violations. Uses the shared demo server (its demo citizen)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import DEMO_CITIZEN, DEMO_PROCESS
from .test_axe_pages import AXE, assert_accessible, signed_in

pytestmark = pytest.mark.browser

MEASURE = f"/prozesse/{DEMO_PROCESS}/massnahmen/intelligentes-verkehrsmanagement/"
THANKS = "Danke! Ihre Rückmeldung ist veröffentlicht."
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.mark.parametrize("viewport", [{"width": 360, "height": 740}, {"width": 1280, "height": 800}])
def test_the_thanks_is_in_view_and_focused_after_posting(demo, browser, viewport):
    context = browser.new_context(locale="de-DE", viewport=viewport)
    context.set_default_timeout(10_000)
    context.add_init_script(AXE.axe_script)
    try:
        page = signed_in(context, demo, *DEMO_CITIZEN)
        page.goto(demo.base + MEASURE)
        text = f"Gern auch am Wochenende ({viewport['width']} px)."
        page.get_by_label("Ihre Rückmeldung").fill(text)
        page.get_by_role("button", name="Rückmeldung senden").click()

        note = page.get_by_role("status").filter(has_text=THANKS)
        expect(note).to_be_visible()
        expect(note).to_be_focused()
        expect(note).to_be_in_viewport(ratio=1)
        # In the new piece of feedback, which is the anchor the page jumped to.
        item = page.locator(".feedback-item", has_text=text)
        assert page.url.endswith("#" + item.get_attribute("id"))
        expect(item.locator(".feedback-note")).to_have_text(THANKS)
        expect(page.locator(".messages")).to_have_count(0)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"feedback-thanks-{viewport['width']}.png")
        assert_accessible(page, f"feedback posted at {viewport['width']} px")
    finally:
        context.close()
