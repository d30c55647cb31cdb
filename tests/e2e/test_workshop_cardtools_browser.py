"""The card tools live across three screens (the console and two experts, in the list view):
brainwriting keeps Alice's card from Bob and the facilitator until the reveal; a reaction
is counted live on the other screens; the facilitator merges a duplicate (its reaction goes
along), pins and hides a card. axe finds nothing on a board in brainwriting, a board with
reactions and badges, and the console with the card menu open."""

import pytest
from playwright.sync_api import expect

from .test_axe_pages import assert_accessible
from .test_workshop_browser import add_card, join, login

pytestmark = pytest.mark.browser


def list_view(page):
    """The accessible list of the board (the canvas may be the default on a wide screen)."""
    switch = page.get_by_role("button", name="Liste", exact=True)
    if switch.is_visible():
        switch.click()
    expect(page.locator("#ws-board")).to_be_visible()


def card(page, text):
    return page.locator("#ws-board .ws-card", has_text=text)


def test_brainwriting_reactions_merge_pin_and_hide_across_screens(live, new_context):
    code = live.workshop()
    console = login(new_context(), live)
    console.goto(f"{live.base}/w/{code}/console/")
    expect(console.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
    console.on("dialog", lambda dialog: dialog.accept())
    alice = join(new_context(), live, code, "Alice")
    bob = join(new_context(), live, code, "Bob")
    for page in (console, alice, bob):
        list_view(page)

    # Brainwriting: Alice's card is hers alone; the others see how many cards there are.
    console.get_by_role("button", name="Brainwriting starten").click()
    for page in (alice, bob):
        expect(page.locator("#ws-brainwriting")).to_contain_text("nur für Sie sichtbar, bis die Moderation")
    expect(bob.locator("#ws-announcer")).to_contain_text("Brainwriting hat begonnen")
    add_card(alice, "Seilbahn über den Fluss")
    expect(card(alice, "Seilbahn über den Fluss").locator(".ws-badge--private")).to_have_text("nur für Sie sichtbar")
    expect(alice.locator("#ws-brainwriting")).to_contain_text("1 davon von Ihnen")
    expect(bob.locator("#ws-brainwriting")).to_contain_text("Bisher ist 1 Karte geschrieben.")
    expect(console.locator(".ws-bw-console")).to_contain_text("Bisher ist 1 Karte geschrieben.")
    assert "Seilbahn" not in bob.content() and "Seilbahn" not in console.content()
    assert_accessible(alice, "board in brainwriting with a private card")

    console.get_by_role("button", name="Karten aufdecken").click()
    expect(card(bob, "Seilbahn über den Fluss")).to_be_visible()
    expect(bob.locator("#ws-announcer")).to_contain_text("Aufgedeckt: 1 Karte.")
    expect(alice.locator("#ws-brainwriting")).to_be_hidden()
    expect(card(alice, "Seilbahn über den Fluss").locator(".ws-badge--private")).to_have_count(0)
    expect(console.get_by_role("button", name="Brainwriting starten")).to_be_visible()

    # Reactions, counted live; the pressed state is Bob's own.
    thumbs = card(bob, "Seilbahn über den Fluss").get_by_role("button", name="Daumen hoch: 0")
    thumbs.click()
    pressed = card(bob, "Seilbahn über den Fluss").get_by_role("button", name="Daumen hoch: 1")
    expect(pressed).to_have_attribute("aria-pressed", "true")
    alice_thumbs = card(alice, "Seilbahn über den Fluss").get_by_role("button", name="Daumen hoch: 1")
    expect(alice_thumbs).to_have_attribute("aria-pressed", "false")
    alice_thumbs.press("Enter")  # by keyboard
    expect(card(bob, "Seilbahn über den Fluss").get_by_role("button", name="Daumen hoch: 2")).to_be_visible()

    # A duplicate, merged by the facilitator into the first card: its reaction goes along.
    add_card(bob, "Eine Seilbahn bauen")
    card(alice, "Eine Seilbahn bauen").get_by_role("button", name="Gute Idee: 0").click()
    expect(card(console, "Eine Seilbahn bauen").get_by_role("button", name="Gute Idee: 1")).to_be_visible()
    duplicate = card(console, "Eine Seilbahn bauen")
    duplicate.locator("summary", has_text="Karte moderieren").click()
    target = duplicate.get_by_label("Zusammenführen mit …")
    target.select_option(target.locator("option", has_text="Seilbahn über den Fluss").get_attribute("value"))
    assert_accessible(console, "console with a card's menu open")
    duplicate.get_by_role("button", name="Zusammenführen").click()
    for page in (alice, bob, console):
        expect(card(page, "Eine Seilbahn bauen")).to_have_count(0)
    kept = card(alice, "Seilbahn über den Fluss")
    expect(kept.get_by_role("button", name="Gute Idee: 1")).to_have_attribute("aria-pressed", "true")
    expect(alice.locator("#ws-announcer")).to_contain_text("zusammengeführt")

    # Pinned and locked: everyone sees it; Alice, its author, can no longer edit it.
    menu = card(console, "Seilbahn über den Fluss")
    menu.locator("summary", has_text="Karte moderieren").click()
    menu.get_by_role("button", name="Anheften").click()
    expect(menu.get_by_role("button", name="Anheften")).to_have_attribute("aria-pressed", "true")
    menu.get_by_role("button", name="Sperren").click()
    expect(kept.locator(".ws-badge--pinned")).to_have_text("angeheftet")
    expect(kept.locator(".ws-badge--locked")).to_have_text("gesperrt")
    expect(kept.get_by_role("button", name="Bearbeiten")).to_be_hidden()
    assert_accessible(bob, "board with reactions and badges")

    # Hidden: gone from the experts' boards, still on the console, marked.
    menu.get_by_role("button", name="Ausblenden").click()
    for page in (alice, bob):
        expect(card(page, "Seilbahn über den Fluss")).to_have_count(0)
    expect(menu.locator(".ws-badge--hidden")).to_be_visible()
    menu.get_by_role("button", name="Ausblenden").click()
    expect(card(bob, "Seilbahn über den Fluss").get_by_role("button", name="Daumen hoch: 2")).to_be_visible()
