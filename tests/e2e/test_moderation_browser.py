"""A facilitator signs in, opens "Moderation" from the main menu, creates a workshop from the
home page, sees its join code and QR code, opens its console, and finds it listed on the home
page: on a phone (360 px) and a desktop (1280 px). Screenshots go to test-artifacts/screenshots/."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import FACILITATOR, FACILITATOR_PASSWORD
from .test_axe_pages import assert_accessible, axe_context
from .test_screenshots import DESKTOP, PHONE, assert_fits_the_phone, shoot

pytestmark = pytest.mark.browser


def sign_in(page, base):
    page.goto(f"{base}/konto/anmelden/")
    page.get_by_label("Benutzername").fill(FACILITATOR)
    page.get_by_label("Passwort").fill(FACILITATOR_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(r"^(?!.*anmelden)"))


def open_menu_entry(page, name):
    """The main menu's entry; on a phone the menu may sit behind a button first."""
    link = page.locator("nav.main-nav").get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        page.locator("header button[aria-expanded]").first.click()
    link.click()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_facilitator_creates_a_workshop_from_the_home_page(demo, browser, viewport):
    phone = viewport is PHONE
    title = f"Werkstatt Radverkehr ({viewport['width']} px)"
    context = browser.new_context(locale="de-DE", viewport=viewport, is_mobile=phone, has_touch=phone)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        sign_in(page, demo.base)
        open_menu_entry(page, "Moderation")
        expect(page).to_have_url(f"{demo.base}/moderation/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Moderation")
        shoot(page, "moderation-start")
        if phone:
            assert_fits_the_phone(page)

        process = page.locator("section.moderation-process").first
        process.get_by_role("link", name="Neuer Workshop").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Neuer Workshop")
        page.get_by_label("Titel").fill(title)
        page.get_by_label("Ablauf").fill("10:00 Ideen sammeln\n10:30 Punkte kleben")
        page.get_by_label("Punkte je Person").fill("4")
        page.get_by_label("Teilnehmende dürfen Cluster anlegen").check()
        shoot(page, "workshop-neu")
        if phone:
            assert_fits_the_phone(page)
        page.get_by_role("button", name="Workshop anlegen").click()

        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        expect(page.locator(".messages")).to_contain_text("Der Workshop ist angelegt.")
        code = page.locator(".ws-code-big").inner_text().strip()
        assert re.fullmatch(r"[A-Z0-9]{6}", code), code
        expect(page).to_have_url(f"{demo.base}/w/{code}/verwaltung/")
        expect(page.locator(".ws-access__link a")).to_have_text(f"{demo.base}/w/{code}/")
        qr = page.locator("img.ws-qr")
        expect(qr).to_be_visible()
        # The QR image loads after the page; wait for it to be drawn (a broken one never is).
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
        shoot(page, "workshop-verwaltung")
        if phone:
            assert_fits_the_phone(page)

        page.get_by_role("link", name="Konsole öffnen").click()
        expect(page.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
        expect(page.get_by_role("heading", level=1)).to_have_text(title)

        open_menu_entry(page, "Moderation")
        row = page.locator("li.card", has_text=title)
        expect(row).to_have_count(1)
        expect(row).to_contain_text(code)
        expect(row.get_by_role("link", name="Konsole")).to_have_attribute("href", f"/w/{code}/console/")
        if phone:
            assert_fits_the_phone(page)
    finally:
        context.close()


def test_the_workshop_is_edited_from_its_page(demo, browser):
    context = browser.new_context(locale="de-DE", viewport=DESKTOP)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        sign_in(page, demo.base)
        page.goto(f"{demo.base}/w/neu/")
        page.get_by_label("Titel").fill("Zum Umbenennen")
        page.get_by_role("button", name="Workshop anlegen").click()
        page.get_by_role("link", name="Bearbeiten").click()
        page.get_by_label("Titel").fill("Umbenannt")
        page.get_by_label("Punkte je Person").fill("0")
        page.get_by_role("button", name="Änderungen speichern").click()
        expect(page.locator("#id_dots_per_participant")).to_have_attribute("aria-invalid", "true")
        shoot(page, "workshop-bearbeiten-fehler")
        page.get_by_label("Punkte je Person").fill("6")
        page.get_by_role("button", name="Änderungen speichern").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Umbenannt")
        expect(page.locator(".facts")).to_contain_text("6")
    finally:
        context.close()


def test_the_new_pages_pass_axe_in_both_languages_and_with_errors(demo, browser):
    context = axe_context(browser)
    try:
        page = context.new_page()
        sign_in(page, demo.base)
        for path in ("/en/moderation/", "/en/w/neu/"):
            page.goto(demo.base + path)
            assert_accessible(page)
        page.goto(f"{demo.base}/w/neu/")
        page.get_by_label("Punkte je Person").fill("0")
        page.get_by_label("Als Entwurf anlegen", exact=False).check()
        page.get_by_role("button", name="Workshop anlegen").click()
        expect(page.locator("#id_title")).to_have_attribute("aria-invalid", "true")
        assert_accessible(page, "new workshop with errors")
        page.get_by_label("Titel").fill("Entwurf für axe")
        page.get_by_label("Punkte je Person").fill("3")
        page.get_by_role("button", name="Workshop anlegen").click()
        expect(page.get_by_role("button", name="Workshop freigeben")).to_be_visible()
        assert_accessible(page, "a draft workshop's page")
        page.get_by_role("link", name="Bearbeiten").click()
        expect(page.get_by_label("Entwurf: nur für die Moderation sichtbar")).to_be_checked()
        assert_accessible(page, "editing a draft")
    finally:
        context.close()
