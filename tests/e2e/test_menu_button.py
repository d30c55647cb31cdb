"""The menu on a phone: a "Menü" button opens and closes it (a disclosure button with
aria-expanded and aria-controls), so that the header takes a small share of a 360x740
screen; keys work (Enter, Space, Tab, Escape) with a visible focus; without JavaScript the
menu simply stays open; on a desktop nothing changes. Uses the shared demo server."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import DEMO_PROCESS
from .test_axe_pages import AXE, assert_accessible
from .test_keyboard_workshop import assert_focus_visible, tab_to

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
MEASURE = f"/prozesse/{DEMO_PROCESS}/massnahmen/intelligentes-verkehrsmanagement/"
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
HEADER_HEIGHT = "() => document.querySelector('.site-header').getBoundingClientRect().height"


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="de-DE", viewport=PHONE)
    context.set_default_timeout(10_000)
    context.add_init_script(AXE.axe_script)
    yield context.new_page()
    context.close()


def menu_link(page, name="Maßnahmen"):
    return page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name=name, exact=True)


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}-{page.viewport_size['width']}.png")


def test_on_a_phone_the_header_is_small_and_the_button_opens_the_menu(demo, phone):
    phone.goto(demo.base + MEASURE)
    button = phone.get_by_role("button", name="Menü")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    for controlled in button.get_attribute("aria-controls").split():
        expect(phone.locator(f"#{controlled}")).to_be_hidden()
    expect(menu_link(phone)).to_be_hidden()
    expect(phone.get_by_role("navigation", name="Konto").get_by_role("link", name="Anmelden")).to_be_hidden()
    # Name and button in one band: well under a sixth of the screen (it was over a third).
    assert phone.evaluate(HEADER_HEIGHT) <= 740 / 8
    shoot(phone, "menu-closed")

    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu_link(phone)).to_be_visible()
    expect(phone.get_by_role("navigation", name="Konto").get_by_role("link", name="Anmelden")).to_be_visible()
    expect(phone.get_by_role("button", name="English")).to_be_visible()
    shoot(phone, "menu-open")
    menu_link(phone).click()
    phone.wait_for_url("**/massnahmen/")
    # A new page starts with the menu closed again.
    expect(phone.get_by_role("button", name="Menü")).to_have_attribute("aria-expanded", "false")

    phone.get_by_role("button", name="Menü").click()
    phone.get_by_role("button", name="Menü").click()
    expect(menu_link(phone)).to_be_hidden()


def test_the_menu_works_by_keys_and_escape_closes_it(demo, phone):
    phone.goto(demo.base + "/")
    button = phone.get_by_role("button", name="Menü")
    phone.keyboard.press("Tab")
    expect(phone.get_by_role("link", name="Zum Inhalt springen")).to_be_focused()
    tab_to(phone, button, limit=3)  # skip link, site name, button: nothing hidden in between
    assert_focus_visible(phone)
    phone.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    phone.keyboard.press("Tab")
    expect(phone.get_by_role("navigation", name="Konto").get_by_role("link", name="Anmelden")).to_be_focused()
    assert_focus_visible(phone)
    tab_to(phone, menu_link(phone, "Reallabore"))
    phone.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    expect(menu_link(phone)).to_be_hidden()
    phone.keyboard.press(" ")
    expect(button).to_have_attribute("aria-expanded", "true")
    # Closed, the menu's links are out of the tab order: the next stop is the page's content.
    phone.keyboard.press(" ")
    phone.keyboard.press("Tab")
    assert phone.evaluate("() => !document.activeElement.closest('.site-header')")


def test_phone_menu_closed_and_open_has_no_axe_violations(demo, phone):
    for language in ("", "/en"):
        phone.goto(demo.base + language + MEASURE)
        assert_accessible(phone, f"{language or 'de'}: phone menu closed")
        phone.locator(".menu-toggle").click()
        assert_accessible(phone, f"{language or 'de'}: phone menu open")


def test_without_javascript_the_menu_stays_open_and_there_is_no_button(demo, browser):
    context = browser.new_context(locale="de-DE", viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(demo.base + MEASURE)
        expect(page.get_by_role("button", name="Menü")).to_have_count(0)
        expect(menu_link(page)).to_be_visible()
        expect(page.get_by_role("navigation", name="Konto").get_by_role("link", name="Anmelden")).to_be_visible()
    finally:
        context.close()


def test_on_a_desktop_the_menu_is_as_before(demo, browser):
    context = browser.new_context(locale="de-DE", viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(demo.base + MEASURE)
        expect(page.get_by_role("button", name="Menü")).to_be_hidden()
        expect(menu_link(page)).to_be_visible()
        expect(page.get_by_role("navigation", name="Konto").get_by_role("link", name="Anmelden")).to_be_visible()
        # Name and account on one line, the main navigation on the next.
        assert 90 <= page.evaluate(HEADER_HEIGHT) <= 110
        name = page.locator(".site-name").bounding_box()
        login = page.get_by_role("navigation", name="Konto").get_by_role("link", name="Anmelden").bounding_box()
        assert abs((name["y"] + name["height"] / 2) - (login["y"] + login["height"] / 2)) < 6
        # Escape on a desktop leaves the menu alone.
        menu_link(page).focus()
        page.keyboard.press("Escape")
        expect(menu_link(page)).to_be_visible()
        shoot(page, "menu-desktop")
    finally:
        context.close()
