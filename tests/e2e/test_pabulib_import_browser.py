"""The import of a Pabulib budget in headless Chromium.

A facilitator follows the link on the new-consultation page, sends the form without a
file (the error summary links to the field), then uploads a real file (Warsaw 2017,
Anin: 17 projects, 510 ballots) at 1280 px and lands on the management page of the
closed consultation, which says what came in. axe finds nothing on the import page at
360 and 1280 px, with and without errors. Screenshots go to test-artifacts/screenshots/.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import pabulib_data

from .test_consultation_form_browser import axe_clean, facilitator_page

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
TITLE = "Bürgerhaushalt aus Pabulib einlesen"


@pytest.fixture(scope="module")
def site(live):
    return live


def snap(page, name, width):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"pabulib-import-{name}-{width}.png"), full_page=True)
    # Nothing may make the phone page scroll sideways.
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), name


def test_a_facilitator_uploads_a_pabulib_file_and_lands_on_the_management_page(browser, site):
    page = facilitator_page(browser, site, 1280)
    page.goto(f"{site.base}/befragungen/neu/?process=live-test")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_label("Prozess", exact=True)).not_to_have_value("")
    rule = page.get_by_role("group", name="Entschieden wird nach")
    expect(rule.get_by_label(re.compile("Methode der gleichen Anteile:"))).to_be_checked()
    snap(page, "form", 1280)
    axe_clean(page, "Pabulib import")

    # Without a file: the summary names the field and leads to it; the ticked box stays ticked.
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Datei einlesen").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Pabulib-Datei (.pb): Dieses Feld ist zwingend erforderlich.")
    expect(page.get_by_role("checkbox")).to_be_checked()
    summary.get_by_role("link").click()
    expect(page.get_by_label("Pabulib-Datei (.pb)")).to_be_focused()
    snap(page, "error", 1280)
    axe_clean(page, "Pabulib import with an error")

    page.get_by_label("Pabulib-Datei (.pb)").set_input_files(str(pabulib_data.path(pabulib_data.ANIN)))
    rule = page.get_by_role("group", name="Entschieden wird nach")
    rule.get_by_label(re.compile("Nach Stimmen:")).check()
    page.get_by_role("button", name="Datei einlesen").click()
    expect(page.get_by_text(re.compile(r"Maßnahmen: 17, Stimmzettel: 510"))).to_be_visible(timeout=60_000)
    assert re.search(r"/befragungen/\d+/verwaltung/(#.*)?$", page.url), page.url
    snap(page, "managed", 1280)
    assert page.script_errors == []
    page.context.close()


def test_the_import_page_at_phone_width(browser, site):
    page = facilitator_page(browser, site, 360)
    page.goto(f"{site.base}/befragungen/neu/pabulib/?process=live-test")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    snap(page, "form", 360)
    axe_clean(page, "Pabulib import at 360 px")
    page.get_by_role("button", name="Datei einlesen").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte bestätigen Sie den Import.")
    snap(page, "error", 360)
    axe_clean(page, "Pabulib import with errors at 360 px")
    page.context.close()
