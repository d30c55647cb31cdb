"""Screenshots of the main pages on a phone (360 px wide) and a desktop (1280 px), kept as
test artifacts in test-artifacts/screenshots/ for people to look at (the folder is gitignored;
CI keeps it with the run). On the phone no page may scroll sideways, and no text may be
cut off at the right edge.

Uses the shared demo server of tests/e2e/conftest.py (its own database).
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import DEMO_PROCESS, DEMO_WORKSHOP, FACILITATOR, FACILITATOR_PASSWORD

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
P = f"/prozesse/{DEMO_PROCESS}"

MAIN_PAGES = {
    "start": "/",
    "start-en": "/en/",
    "handlungsfelder": "/handlungsfelder/",
    "massnahmen": "/massnahmen/",
    "massnahme": f"{P}/massnahmen/intelligentes-verkehrsmanagement/",
    "projekt": f"{P}/projekte/onlinedienste-buergeramt/",
    "reallabor": f"{P}/reallabore/reallabor-neckarbogen/",
    "registrieren": "/konto/registrieren/",
    "befragungen": "/befragungen/",
    "stimmzettel-zustimmung": "/befragungen/{approval}/",
    "stimmzettel-bewertung": "/befragungen/{score}/",
    "stimmzettel-rangfolge": "/befragungen/{ranking}/",
    "stimmzettel-punkte": "/befragungen/{points}/",
    "stimmzettel-budget": "/befragungen/{budget}/",
    "stimmzettel-paarvergleich": "/befragungen/{pairwise}/",
    "ergebnis": "/ergebnisse/{published}/",
    "ergebnisse-prozess": f"/ergebnisse{P}/",
    "workshop-beitreten": f"/w/{DEMO_WORKSHOP}/",
    "workshop-projektor": f"/w/{DEMO_WORKSHOP}/projector/",
    "barrierefreiheit": "/barrierefreiheit/",
}

# Elements that are allowed to be wider than the phone because they scroll by themselves.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const inScroller = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (['auto', 'scroll', 'hidden'].includes(style.overflowX)) return true;
    }
    return false;
  };
  const wide = [...document.body.querySelectorAll('*')].filter((el) => {
    if (!el.getClientRects().length || el.closest('.visually-hidden, .skip-link')) return false;
    const box = el.getBoundingClientRect();
    return box.right > width + 1 && !inScroller(el);
  });
  return {
    scrollWidth: document.documentElement.scrollWidth,
    width,
    wide: wide.slice(0, 5).map((el) => el.outerHTML.slice(0, 100)),
  };
}"""


def shoot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    path = ARTIFACTS / f"{name}-{width}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 5_000, path


def assert_fits_the_phone(page):
    layout = page.evaluate(OVERFLOW)
    assert layout["scrollWidth"] <= layout["width"], layout
    assert not layout["wide"], layout


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(locale="de-DE", viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def desktop(browser):
    context = browser.new_context(locale="de-DE", viewport=DESKTOP)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def ready(page, path):
    if path.endswith("/projector/"):
        expect(page.locator("#ws-projector-online")).not_to_be_empty()


@pytest.mark.parametrize("name", list(MAIN_PAGES))
def test_main_page_on_phone_and_desktop(demo, phone, desktop, name):
    path = MAIN_PAGES[name].format(**demo.consultations)
    for page in (phone, desktop):
        response = page.goto(demo.base + path)
        assert response.status == 200, path
        ready(page, path)
        shoot(page, name)
    assert_fits_the_phone(phone)


def test_live_workshop_on_phone_and_desktop(demo, browser):
    """The board with cards and an open dot vote, as a participant sees it, and the console."""
    live = demo.live
    code = live.workshop(title="Workshop auf dem Smartphone")
    live.open_poll(code, question="Wofür zuerst?", kind="dots", options=["Radwege", "Busse", "Carsharing"], dots=3)
    for viewport, tag in ((PHONE, "phone"), (DESKTOP, "desktop")):
        context = browser.new_context(locale="de-DE", viewport=viewport, is_mobile=viewport is PHONE)
        context.set_default_timeout(10_000)
        try:
            page = context.new_page()
            page.goto(f"{live.base}/w/{code}/")
            page.get_by_label("Ihr Name").fill(f"Teilnehmerin mit einem recht langen Namen ({tag})")
            page.get_by_role("button", name="Beitreten").click()
            page.wait_for_url(re.compile(r"/board/$"), wait_until="commit")
            expect(page.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
            # Each size adds its own card: the desktop's board also shows the phone's.
            page.get_by_label("Ihre Idee").fill(
                f"Eine Karte mit einem sehr langen Wort: Donaudampfschifffahrtsgesellschaftskapitän ({tag})"
            )
            page.get_by_role("button", name="Karte hinzufügen").click()
            expect(page.locator(".ws-card", has_text=f"kapitän ({tag})")).to_have_count(1)
            shoot(page, "workshop-board")
            if viewport is PHONE:
                assert_fits_the_phone(page)

            page.goto(f"{live.base}/konto/anmelden/")
            page.get_by_label("Benutzername").fill(FACILITATOR)
            page.get_by_label("Passwort").fill(FACILITATOR_PASSWORD)
            page.get_by_role("button", name="Anmelden").click()
            page.wait_for_url(re.compile(r"^(?!.*anmelden)"))
            page.goto(f"{live.base}/w/{code}/console/")
            expect(page.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
            shoot(page, "workshop-konsole")
            if viewport is PHONE:
                assert_fits_the_phone(page)
        finally:
            context.close()
