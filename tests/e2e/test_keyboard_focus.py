"""Visible focus: Tab through whole pages and look at every control that gets the focus.

Each stop must show a focus ring of at least 2 px (outline or box shadow, on the control or
on the box that stands for it), and the first stop is the skip link (unless a form puts the
focus into its first field), which leads to the main content. Uses the shared demo server of tests/e2e/conftest.py.
"""

import pytest
from playwright.sync_api import expect

from .conftest import DEMO_PROCESS
from .test_keyboard_workshop import FOCUS_RING

pytestmark = pytest.mark.browser

P = f"/prozesse/{DEMO_PROCESS}"
PAGES = [
    "/",
    "/massnahmen/",
    f"{P}/massnahmen/intelligentes-verkehrsmanagement/",
    "/konto/registrieren/",
    "/befragungen/{score}/",
    "/befragungen/{ranking}/",
    "/befragungen/{budget}/",
    "/befragungen/{pairwise}/",
    "/ergebnisse/{published}/",
    "/barrierefreiheit/",
]
MAX_STOPS = 150


@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_every_focus_stop_is_visible(demo, page, path):
    page.goto(demo.base + path.format(**demo.consultations))
    # Forms that put the focus into their first field are walked from there. The browser
    # applies ``autofocus`` when it next renders, which may come after the load event.
    autofocus = page.locator("[autofocus]")
    if autofocus.count():
        expect(autofocus.first).to_be_focused()
    elif page.evaluate("() => document.activeElement === document.body"):
        page.keyboard.press("Tab")
        expect(page.get_by_role("link", name="Zum Inhalt springen")).to_be_focused()
        expect(page.get_by_role("link", name="Zum Inhalt springen")).to_be_in_viewport()
    stops = 0
    while page.evaluate("() => document.activeElement !== document.body") and stops < MAX_STOPS:
        ring = page.evaluate(FOCUS_RING)
        assert ring["focusVisible"], ring
        assert max(ring["outline"], ring["ownerOutline"]) >= 2 or ring["shadow"] != "none", ring
        page.keyboard.press("Tab")
        stops += 1
    assert 5 < stops < MAX_STOPS, f"{stops} focus stops on {path}"


def test_skip_link_moves_the_focus_to_the_main_content(demo, page):
    page.goto(demo.base + "/massnahmen/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # The next Tab goes to the first control of the content, not back into the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")
