"""A facilitator runs a poll on catalogue measures from the console, and its result stands
beside the citizens' on the compare page ("Fachleute und Bürgerschaft im Vergleich").

The console's poll form offers the process's published measures, grouped by field of
action, with a filter; the facilitator chooses by keyboard, opens the poll, votes, closes
it, and the compare page ranks the measures of the experts beside those of the published
consultation "Stimmungsbild". On a phone (360 px) the picker fits the screen; axe finds
nothing on the console with the picker open.

Uses the shared demo server of tests/e2e/conftest.py (its own database).
"""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.workshops.live_site import manage

from .conftest import DEMO_PROCESS, FACILITATOR, FACILITATOR_PASSWORD
from .test_axe_pages import assert_accessible
from .test_screenshots import DESKTOP, PHONE, assert_fits_the_phone, shoot

pytestmark = pytest.mark.browser

# The measures on the published consultation's ballot, with their fields of action.
BALLOT = """
import json
from voting.models import Consultation
c = Consultation.objects.get(title__startswith="Stimmungsbild")
print(json.dumps([[o.measure.title, o.measure.field.title if o.measure.field else None]
                  for o in c.options.select_related("measure__field").order_by("position", "id")]))
"""


def console_for(browser, demo, viewport):
    context = browser.new_context(locale="de-DE", viewport=viewport, is_mobile=viewport is PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{demo.base}/konto/anmelden/")
    page.get_by_label("Benutzername").fill(FACILITATOR)
    page.get_by_label("Passwort").fill(FACILITATOR_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(r"/konto/$"))
    return context, page


def open_console(page, demo, code):
    page.goto(f"{demo.base}/w/{code}/console/")
    expect(page.locator("#workshop-app")).to_have_attribute("aria-busy", "false")


def press_space_on(page, locator):
    locator.focus()
    page.keyboard.press("Space")


def test_a_poll_on_catalogue_measures_reaches_the_compare_page(demo, browser):
    ballot = json.loads(manage(demo.live.site.env, "shell", "-c", BALLOT).strip().splitlines()[-1])
    first, second, third = (title for title, _field in ballot[:3])
    code = demo.live.workshop(title="Fachleute bewerten den Katalog")
    context, console = console_for(browser, demo, DESKTOP)
    try:
        open_console(console, demo, code)
        console.get_by_label("Frage", exact=True).fill("Was soll die Stadt zuerst angehen?")
        console.get_by_label("Art", exact=True).select_option("single")
        press_space_on(console, console.get_by_label("Maßnahmen aus dem Katalog"))
        picker = console.locator("#ws-poll-measures-field")
        expect(picker).to_be_visible()
        # Grouped by field of action: the first measure's field is a group of its own.
        field = ballot[0][1]
        if field:
            expect(picker.get_by_role("group", name=field)).to_contain_text(first)

        # The filter narrows a long list; a chosen measure stays chosen when filtered away.
        console.get_by_label("Maßnahmen filtern").fill(first)
        expect(picker.get_by_label(first, exact=True)).to_be_visible()
        expect(picker.get_by_label(second, exact=True)).to_be_hidden()
        console.keyboard.press("Enter")  # Enter in the filter does not submit the poll
        expect(console.locator("#ws-poll-status")).to_have_text("")
        press_space_on(console, picker.get_by_label(first, exact=True))
        expect(console.locator("#ws-measure-count")).to_contain_text("1 Maßnahme gewählt")
        console.get_by_label("Maßnahmen filtern").fill("")
        for title in (second, third):
            press_space_on(console, picker.get_by_label(title, exact=True))
        expect(console.locator("#ws-measure-count")).to_contain_text("3 Maßnahmen gewählt")
        assert_accessible(console, "console with the measure picker")
        shoot(console, "workshop-console-measures")

        console.get_by_role("button", name="Abstimmung anlegen").click()
        expect(console.locator("#ws-poll-status")).to_contain_text("Die Abstimmung ist angelegt")
        expect(console.locator("#ws-measure-count")).to_contain_text("0 Maßnahmen gewählt")
        poll = console.locator(".ws-poll", has_text="Was soll die Stadt zuerst angehen?")
        expect(bar(poll, first)).to_contain_text("0 Stimmen")
        expect(poll.locator(".ws-bar")).to_have_count(3)
        poll.get_by_role("button", name=re.compile("Abstimmung öffnen")).click()
        poll.get_by_label(first, exact=True).check()
        poll.get_by_role("button", name="Stimme abgeben").click()
        expect(poll.get_by_role("status")).to_contain_text("Ihre Stimme ist gespeichert")
        poll.get_by_role("button", name=re.compile("Abstimmung schließen")).click()
        expect(poll.locator(".ws-poll__meta")).to_contain_text("geschlossen")

        console.goto(f"{demo.base}/ergebnisse/prozesse/{DEMO_PROCESS}/")
        polls = console.locator("section[aria-labelledby=polls-title]")
        expect(polls).to_contain_text("Fachleute bewerten den Katalog: Was soll die Stadt zuerst angehen? (1 Stimme)")
        heading = console.get_by_role("heading", name="Stimmungsbild: Digitale Bürgerdienste")
        compared = console.locator("section", has=heading)
        row = compared.locator("tbody tr", has=console.get_by_role("rowheader", name=first, exact=True))
        expect(row.locator("td").nth(1)).to_have_text("1")  # the experts' place
        for title in (second, third):
            expect(compared.get_by_role("rowheader", name=title, exact=True)).to_have_count(1)
        shoot(console, "ergebnisse-vergleich-mit-workshop")
    finally:
        context.close()


def bar(scope, option):
    return scope.locator(".ws-bar").filter(has_text=option)


def test_the_measure_picker_fits_a_phone(demo, browser):
    code = demo.live.workshop(title="Katalog auf dem Smartphone")
    context, console = console_for(browser, demo, PHONE)
    try:
        open_console(console, demo, code)
        console.get_by_label("Maßnahmen aus dem Katalog").check()
        picker = console.locator("#ws-poll-measures-field")
        boxes = picker.locator("input[name=measure]")
        total = boxes.count()
        assert total >= 3
        count = console.locator("#ws-measure-count")
        expect(count).to_have_text(f"0 Maßnahmen gewählt · {total} von {total} angezeigt")
        console.get_by_label("Maßnahmen filtern").fill("zzz-nichts")
        expect(console.locator("#ws-measure-none")).to_be_visible()
        console.get_by_label("Maßnahmen filtern").fill("")
        console.get_by_role("button", name="Alle angezeigten wählen").click()
        expect(console.locator("#ws-measure-count")).to_contain_text(f"{total} Maßnahmen gewählt")
        console.get_by_role("button", name="Auswahl aufheben").click()
        expect(console.locator("#ws-measure-count")).to_contain_text("0 Maßnahmen gewählt")
        boxes.nth(0).check()
        boxes.nth(1).check()
        picker.locator("#ws-measure-filter").scroll_into_view_if_needed()
        assert_fits_the_phone(console)
        shoot(console, "workshop-console-measures")
    finally:
        context.close()
