"""A card written while offline stands on the board at once, marked as not yet saved (in
words, not by color alone), and becomes an ordinary card when the server has it, exactly
once. While the connection is down, the number of people online is marked as the last
known one. On a phone (360 px) and a desktop (1280 px); axe finds nothing meanwhile."""

import re

import pytest
from playwright.sync_api import expect

from .test_axe_pages import AXE, assert_accessible
from .test_screenshots import DESKTOP, PHONE, assert_fits_the_phone, shoot

pytestmark = pytest.mark.browser

PENDING = "Noch nicht gespeichert: wird gesendet, sobald die Verbindung wieder steht."


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_a_card_written_offline_is_shown_as_pending_until_saved(live, browser, viewport):
    code = live.workshop(title="Unterwegs im Funkloch")
    context = browser.new_context(locale="de-DE", viewport=viewport, is_mobile=viewport is PHONE)
    context.set_default_timeout(10_000)
    context.add_init_script(AXE.axe_script)
    try:
        bob = context.new_page()
        bob.goto(f"{live.base}/w/{code}/")
        bob.get_by_label("Ihr Name").fill("Bob")
        bob.get_by_role("button", name="Beitreten").click()
        bob.wait_for_url(re.compile(r"/board/$"), wait_until="commit")
        expect(bob.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
        expect(bob.locator(".ws-online")).to_have_text("1 Person online")

        context.set_offline(True)
        expect(bob.locator("#ws-connection")).to_contain_text("Verbindung unterbrochen")
        expect(bob.locator(".ws-online")).to_have_text("zuletzt bekannt: 1 Person online")

        bob.get_by_label("Ihre Idee").fill("Sichere Abstellplätze für Räder")
        bob.get_by_role("button", name="Karte hinzufügen").click()
        pending = bob.locator(".ws-card", has_text="Sichere Abstellplätze für Räder")
        expect(pending).to_have_count(1)
        expect(pending).to_contain_text(PENDING)
        expect(pending).to_contain_text("Ihre Karte")
        expect(bob.locator("#ws-board-empty")).to_be_hidden()
        expect(bob.locator("#ws-pending")).to_contain_text("1 Änderung wird gesendet")
        assert_accessible(bob, "board offline with a pending card")
        pending.scroll_into_view_if_needed()
        shoot(bob, "workshop-board-offline-pending")
        if viewport is PHONE:
            assert_fits_the_phone(bob)

        context.set_offline(False)
        expect(bob.locator("#ws-connection")).to_contain_text("Wieder verbunden", timeout=15000)
        saved = bob.locator(".ws-card", has_text="Sichere Abstellplätze für Räder")
        expect(saved).to_have_count(1)
        expect(saved).not_to_contain_text(PENDING)
        expect(saved).to_contain_text("Ihre Karte")
        expect(saved.get_by_role("button", name="Bearbeiten")).to_be_visible()
        expect(bob.locator(".ws-card--pending")).to_have_count(0)
        expect(bob.locator(".ws-online")).to_have_text("1 Person online")
        expect(bob.locator("#ws-pending")).to_have_text("")
        # Exactly once, also after a reload from the server's snapshot.
        bob.reload()
        expect(bob.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
        expect(bob.locator(".ws-card", has_text="Sichere Abstellplätze für Räder")).to_have_count(1)
    finally:
        context.close()
