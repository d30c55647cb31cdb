"""The board is the workspace: on a laptop (1280 x 900) the canvas starts on the first screen
of the console and of the board page, the console's tools sit beside it in folds that open and
close by keyboard, and on a phone the board page reads open poll, new card, board, questions.
axe finds nothing on either page."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import FACILITATOR, FACILITATOR_PASSWORD
from .test_axe_pages import AXE, assert_accessible
from .test_workshop_browser import join

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 900}


def context(browser, viewport):
    ctx = browser.new_context(locale="de-DE", viewport=viewport, board_view=None)
    ctx.set_default_timeout(10_000)
    ctx.add_init_script(AXE.axe_script)
    return ctx


def top_of(page, selector):
    return page.locator(selector).evaluate("el => el.getBoundingClientRect().top")


def test_board_first_tools_beside_and_phone_order(live, browser):
    code = live.workshop(title="Digitale Verwaltung")
    live.open_poll(code, question="Was zuerst?", kind="single", options=["Bürgerkonto", "Termine online"])
    contexts = []
    try:
        # The console at 1280 x 900: the canvas begins on the first screen, the tools beside it.
        contexts.append(context(browser, LAPTOP))
        console = contexts[-1].new_page()
        console.goto(f"{live.base}/konto/anmelden/")
        console.get_by_label("Benutzername").fill(FACILITATOR)
        console.get_by_label("Passwort").fill(FACILITATOR_PASSWORD)
        console.get_by_role("button", name="Anmelden").click()
        console.wait_for_url(re.compile(r"/konto/"))
        console.goto(f"{live.base}/w/{code}/console/")
        expect(console.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
        viewport = console.locator("#ws-canvas-viewport")
        expect(viewport).to_be_visible()
        assert top_of(console, "#ws-canvas-viewport") < LAPTOP["height"] - 200
        side = console.locator("#ws-side")
        main_box = console.locator(".ws-shell__main").bounding_box()
        side_box = side.bounding_box()
        assert side_box["x"] >= main_box["x"] + main_box["width"], "the tools stand beside the board"
        assert side_box["y"] < LAPTOP["height"] / 2

        # The skip link leads to the tools; a fold opens and closes by keyboard.
        console.get_by_role("link", name="Zu den Werkzeugen").focus()
        console.keyboard.press("Enter")
        export = console.locator("details[data-fold='export']")
        expect(export).not_to_have_attribute("open", "")
        expect(console.get_by_role("link", name="Excel (XLSX)")).to_be_hidden()
        export.locator("summary").focus()
        console.keyboard.press("Enter")
        expect(console.get_by_role("link", name="Excel (XLSX)")).to_be_visible()
        polls = console.locator("details[data-fold='polls']")
        expect(polls.locator(".ws-poll", has_text="Was zuerst?")).to_be_visible()
        polls.locator("summary").focus()
        console.keyboard.press("Space")
        expect(polls).not_to_have_attribute("open", "")
        # Remembered in this browser.
        console.reload()
        expect(console.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
        expect(console.locator("details[data-fold='polls']")).not_to_have_attribute("open", "")
        expect(console.locator("details[data-fold='export']")).to_have_attribute("open", "")
        assert_accessible(console, "console at 1280 px")

        # The board page at 1280 x 900: canvas near the top, the open poll at the top of the side.
        contexts.append(context(browser, LAPTOP))
        board = join(contexts[-1], live, code, "Carla")
        expect(board.locator("#ws-canvas-viewport")).to_be_visible()
        assert top_of(board, "#ws-canvas-viewport") < LAPTOP["height"] - 200
        poll_box = board.locator("#ws-polls").bounding_box()
        add_box = board.locator("#ws-add").bounding_box()
        canvas_box = board.locator("#ws-canvas-viewport").bounding_box()
        assert poll_box["x"] > canvas_box["x"] + canvas_box["width"] - 1
        assert poll_box["y"] < add_box["y"]
        assert_accessible(board, "board page at 1280 px")

        # A phone: one column, open poll, new card, board (as a list), questions.
        contexts.append(context(browser, {"width": 360, "height": 780}))
        phone = join(contexts[-1], live, code, "Dana")
        expect(phone.locator("#ws-board")).to_be_visible()
        tops = [top_of(phone, s) for s in ("#ws-polls", "#ws-add", "#ws-board-title", "#ws-qa")]
        assert tops == sorted(tops), tops
        expect(phone.locator(".ws-poll", has_text="Was zuerst?")).to_be_visible()
        assert_accessible(phone, "board page at 360 px")
    finally:
        for ctx in contexts:
            ctx.close()
