"""The facilitator's first hour, in the browser only (issue 13's done-when): sign in, create a
workshop from the moderation home, run a poll on catalogue measures in its console, create a
survey in German and English, edit it, open it (with its confirmation), let a visitor vote,
close it, publish its result, and find the result on the home page and in both languages.
No page of the API or the admin is opened along the way.

Uses the shared demo server of tests/e2e/conftest.py (its own database)."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import DEMO_PROCESS, FACILITATOR, FACILITATOR_PASSWORD
from .test_screenshots import DESKTOP, shoot

pytestmark = pytest.mark.browser

WORKSHOP = "Fachleute-Werkstatt zum Katalog"
QUESTION = "Welche Maßnahme soll die Stadt zuerst angehen?"
SURVEY_DE = "Rundgang: Was zuerst?"
SURVEY_EN = "Walk: what comes first?"
SURVEY_EN_EDITED = "Walk: which measure comes first?"


def open_menu_entry(page, name):
    """The main menu's entry; on a narrow screen the menu may sit behind a button first."""
    link = page.locator("nav.main-nav").get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        page.locator("header button[aria-expanded]").first.click()
    link.click()


def process_section(page):
    heading = page.get_by_role("heading", name="Gesamtkonzept Digitalisierung", level=2)
    return page.locator("section.moderation-process", has=heading)


def test_a_facilitator_runs_a_workshop_and_a_survey_from_sign_in_to_result(demo, browser):
    context = browser.new_context(locale="de-DE", viewport=DESKTOP)
    context.set_default_timeout(15_000)
    pages = []
    context.on("request", lambda request: pages.append(request.url) if request.is_navigation_request() else None)
    try:
        page = context.new_page()

        # Sign in from the header.
        page.goto(f"{demo.base}/")
        page.locator("header").get_by_role("link", name="Anmelden").click()
        page.get_by_label("Benutzername").fill(FACILITATOR)
        page.get_by_label("Passwort").fill(FACILITATOR_PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_url(re.compile(r"^(?!.*anmelden)"))

        # A workshop, created from the moderation home.
        open_menu_entry(page, "Moderation")
        process_section(page).get_by_role("link", name="Neuer Workshop").click()
        page.get_by_label("Titel").fill(WORKSHOP)
        page.get_by_role("button", name="Workshop anlegen").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(WORKSHOP)
        code = page.locator(".ws-code-big").inner_text().strip()

        # A poll on catalogue measures in its console.
        page.get_by_role("link", name="Konsole öffnen").click()
        expect(page.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
        page.get_by_label("Frage", exact=True).fill(QUESTION)
        page.get_by_label("Maßnahmen aus dem Katalog").check()
        picker = page.locator("#ws-poll-measures-field")
        expect(picker).to_be_visible()
        measures = []
        for n in range(3):
            box = picker.locator("input[name=measure]").nth(n)
            box.check()
            measures.append(picker.locator(f"label[for='{box.get_attribute('id')}']").inner_text().strip())
        page.get_by_role("button", name="Abstimmung anlegen").click()
        expect(page.locator("#ws-poll-status")).to_contain_text("Die Abstimmung ist angelegt")
        poll = page.locator(".ws-poll", has_text=QUESTION)
        expect(poll.locator(".ws-bar")).to_have_count(3)
        for title in measures:
            expect(poll).to_contain_text(title)
        poll.get_by_role("button", name=re.compile("Abstimmung öffnen")).click()
        expect(poll.locator(".ws-poll__meta")).to_contain_text("offen")
        shoot(page, "rundgang-konsole-abstimmung")

        # The workshop is on the home page.
        open_menu_entry(page, "Moderation")
        expect(process_section(page).locator("li.card", has_text=WORKSHOP)).to_contain_text(code)

        # A survey in German and English, from the same home page.
        process_section(page).get_by_role("link", name="Neue Befragung").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Neue Befragung")
        page.get_by_label("Titel", exact=True).fill(SURVEY_DE)
        page.get_by_label("Erläuterung", exact=True).fill("Bitte wählen Sie, was Ihnen am wichtigsten ist.")
        page.get_by_label("Titel (englisch)").fill(SURVEY_EN)
        page.get_by_label("Erläuterung (englisch)").fill("Please choose what matters most to you.")
        page.get_by_label("Zustimmung", exact=True).check()
        ballot = page.locator(".setup-measures input[type=checkbox]")
        ballot.nth(0).check()
        ballot.nth(1).check()
        page.get_by_label("offen (unverbindlich)").check()
        page.get_by_role("button", name="Als Entwurf anlegen").click()
        expect(page).to_have_url(re.compile(r"/befragungen/\d+/verwaltung/$"))
        survey = int(re.search(r"/befragungen/(\d+)/", page.url).group(1))
        expect(page.get_by_role("heading", level=1)).to_have_text(SURVEY_DE)

        # Edited: a better English title.
        page.get_by_role("link", name="Befragung bearbeiten").click()
        expect(page.get_by_label("Titel (englisch)")).to_have_value(SURVEY_EN)
        page.get_by_label("Titel (englisch)").fill(SURVEY_EN_EDITED)
        page.get_by_role("button", name="Änderungen speichern").click()
        expect(page).to_have_url(f"{demo.base}/befragungen/{survey}/verwaltung/")

        # Opened, after confirming what that fixes.
        page.locator("#confirm-open").check()
        page.get_by_role("button", name="Jetzt öffnen").click()
        expect(page.locator("main")).to_contain_text("läuft")

        # A visitor votes on the English page.
        visitor = browser.new_context(locale="en-US", viewport=DESKTOP)
        try:
            ballot_page = visitor.new_page()
            ballot_page.goto(f"{demo.base}/en/befragungen/{survey}/")
            expect(ballot_page.get_by_role("heading", level=1)).to_have_text(SURVEY_EN_EDITED)
            expect(ballot_page.locator("main")).to_contain_text("Please choose what matters most to you.")
            ballot_page.locator("#ballot-form input[type=checkbox]").first.check()
            ballot_page.locator("#ballot-form button[type=submit]").click()
            expect(ballot_page.locator("#confirmation-title")).to_be_visible()
        finally:
            visitor.close()

        # Closed, after confirming.
        page.reload()
        page.locator("#confirm-close").check()
        page.get_by_role("button", name="Befragung schließen").click()
        expect(page.locator("main")).to_contain_text("Die Befragung ist beendet.")

        # The result published from the results overview, after confirming.
        page.get_by_role("link", name="Übersicht und Veröffentlichung der Ergebnisse").click()
        article = page.locator("article", has=page.get_by_role("heading", name=SURVEY_DE))
        article.locator("input[name=confirm]").check()
        article.get_by_role("button", name="Ergebnis veröffentlichen").click()
        expect(page.locator("main")).to_contain_text("Das Ergebnis ist veröffentlicht")
        shoot(page, "rundgang-ergebnis-veroeffentlicht")

        # The home page shows it published and leads to the public result, German and English.
        open_menu_entry(page, "Moderation")
        card = process_section(page).locator("li.card", has_text=SURVEY_DE)
        expect(card).to_contain_text("Ergebnis veröffentlicht")
        card.get_by_role("link", name=f"Ergebnis: {SURVEY_DE}").click()
        expect(page).to_have_url(f"{demo.base}/ergebnisse/{survey}/")
        expect(page.get_by_role("heading", level=1)).to_contain_text(SURVEY_DE)
        page.goto(f"{demo.base}/en/ergebnisse/{survey}/")
        expect(page.get_by_role("heading", level=1)).to_contain_text(SURVEY_EN_EDITED)
        shoot(page, "rundgang-ergebnis-englisch")

        # Nothing of it went through the API's or the admin's pages.
        opened = [urlsplit(url).path for url in pages]
        assert not [path for path in opened if path.startswith(("/api/", "/admin/", "/en/admin/"))], opened
        assert f"/ergebnisse/prozesse/{DEMO_PROCESS}/moderation/" in opened
    finally:
        context.close()
