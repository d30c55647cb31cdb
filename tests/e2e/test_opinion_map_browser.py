"""An opinion map with three participants, live, in headless Chromium.

The facilitator sets the map up on the form with its first statements and opens it. Three
participants answer on their own devices (one at phone width); one proposes a statement,
the facilitator shows it, and the others get it to answer. The map on a participant's open
page fills in by itself, without a reload: dots, groups and the table, with "Sie" at their
own dot. The facilitator closes and publishes the map; its results page shows it frozen, in
German and English. axe finds nothing at 360 and 1280 px. Screenshots go to
test-artifacts/screenshots/.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .test_consultation_form_browser import axe_clean, facilitator_page, settings_field

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
STATEMENTS = [
    "Die Innenstadt soll autofrei werden.",
    "Busse sollen öfter fahren.",
    "Radwege brauchen mehr Platz.",
    "Der Handel braucht Kundschaft mit Auto.",
    "Mehr Bäume statt Parkplätze.",
    "Parken am Rand soll billiger werden.",
    "Nachts soll es ruhiger werden.",
]
# Two like-minded people and one who sees it the other way; everyone wants quieter nights.
AGREES = {
    "green": {0, 1, 2, 4, 6},
    "car": {3, 5, 6},
}
PROPOSAL = "Samstags soll der Bus nichts kosten."


def snap(page, name, width):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"opinion-{name}-{width}.png"), full_page=True)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), name


def set_up_map(page, base):
    page.goto(f"{base}/befragungen/neu/?process=live-test")
    page.get_by_label("Titel", exact=True).fill("Wie soll die Innenstadt werden?")
    page.get_by_role("group", name="Verfahren", exact=True).get_by_label("Meinungslandkarte").check()
    statements = settings_field(page, "Die ersten Aussagen, eine je Zeile")
    expect(statements).to_be_visible()
    expect(settings_field(page, "Punkte je Person")).to_be_hidden()
    statements.fill("\n".join(STATEMENTS))
    page.get_by_role("group", name="Wer darf teilnehmen?").get_by_label("offen (unverbindlich)").check()
    page.get_by_role("button", name="Als Entwurf anlegen").click()
    expect(page.get_by_text("Die Befragung ist als Entwurf angelegt.")).to_be_visible()
    pk = int(re.search(r"/befragungen/(\d+)/verwaltung/", page.url).group(1))
    expect(page.get_by_role("heading", name="7 sichtbare Aussagen")).to_be_visible()
    page.get_by_label(re.compile("^Ja, die Befragung veröffentlichen")).check()
    page.get_by_role("button", name="Jetzt öffnen").click()
    expect(page.get_by_text("Die Befragung ist geöffnet.")).to_be_visible()
    return pk


def participant(browser, base, pk, width):
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.script_errors = []
    page.on("pageerror", lambda error: page.script_errors.append(str(error)))
    page.goto(f"{base}/befragungen/{pk}/")
    return page


def answer_all(page, camp):
    """Answer what is shown until nothing is left; returns how many were answered."""
    answered = 0
    text = page.locator("#statement-text")
    shown = page.locator("#statement-id")
    while page.locator("#statement-card").is_visible():
        statement, statement_id = text.inner_text(), shown.input_value()
        agree = statement == PROPOSAL or STATEMENTS.index(statement) in AGREES[camp]
        page.get_by_role("button", name="Stimme zu" if agree else "Stimme nicht zu", exact=True).click()
        answered += 1
        # The next statement (or none) has replaced this one.
        expect(shown).not_to_have_value(statement_id)
        expect(page.locator("#statement-status")).to_contain_text("Gespeichert.")
    return answered


def test_three_participants_answer_propose_and_watch_the_map_fill_in(browser, site_with_facilitator):
    site = site_with_facilitator
    facilitator = facilitator_page(browser, site, 1280)
    pk = set_up_map(facilitator, site.base)

    anna = participant(browser, site.base, pk, 360)
    expect(anna.get_by_text("0 von 7 Aussagen beantwortet")).to_be_visible()
    expect(anna.locator("#opinion-map-summary")).to_have_text("Noch hat niemand geantwortet.")
    snap(anna, "empty", 360)
    axe_clean(anna, "opinion map before any answer")

    # Anna proposes a statement; it waits for review and is not shown to anyone yet.
    anna.get_by_label("Ihre Aussage").fill(PROPOSAL)
    anna.get_by_role("button", name="Aussage vorschlagen").click()
    expect(anna.locator("#new-statement-status")).to_have_text(
        "Danke! Ihre Aussage ist eingegangen. Die Moderation prüft sie, bevor andere sie sehen."
    )
    assert answer_all(anna, "green") == 7
    expect(anna.locator("#statement-done")).to_contain_text("Sie haben alle Aussagen beantwortet.")

    # The facilitator shows it; the next participant gets all eight.
    facilitator.goto(f"{site.base}/befragungen/{pk}/verwaltung/")
    facilitator.get_by_role("button", name=re.compile("^„Samstags soll der Bus nichts .*“ zeigen$")).click()
    expect(facilitator.get_by_text("Die Aussage ist sichtbar.")).to_be_visible()
    expect(facilitator.get_by_role("heading", name="8 sichtbare Aussagen")).to_be_visible()

    ben = participant(browser, site.base, pk, 1280)
    expect(ben.get_by_text("0 von 8 Aussagen beantwortet")).to_be_visible()
    assert answer_all(ben, "green") == 8
    carla = participant(browser, site.base, pk, 1280)
    assert answer_all(carla, "car") == 8

    # Anna's page, never reloaded, fills in by itself; her new statement is there for her too.
    summary = anna.locator("#opinion-map-summary")
    expect(summary).to_contain_text("3 Personen", timeout=20_000)
    expect(summary).to_contain_text("Sie gehören zu Gruppe")
    expect(anna.locator(".opinion-map__svg text")).to_have_text("Sie")
    expect(anna.locator(".opinion-map__svg path")).to_have_count(3)
    anna.reload()
    expect(anna.get_by_text("7 von 8 Aussagen beantwortet")).to_be_visible()
    expect(anna.locator("#statement-text")).to_have_text(PROPOSAL)
    anna.get_by_role("button", name="Stimme zu", exact=True).click()
    expect(anna.locator("#statement-done")).to_be_visible()

    for page, width in ((anna, 360), (carla, 1280)):
        groups = page.locator("table.opinion-group caption")
        expect(groups.first).to_be_visible(timeout=20_000)
        expect(page.get_by_role("heading", name="Worin sich alle Gruppen einig sind")).to_be_visible()
        snap(page, "map", width)
        axe_clean(page, f"opinion map at {width}")
        assert page.script_errors == []
    # Ben and Anna agree on everything: they are in one group, Carla in the other.
    ben.reload()
    ben_group = re.search(r"Gruppe (\w)", ben.locator("#opinion-map-summary").inner_text()).group(1)
    anna_group = re.search(r"Gruppe (\w)", anna.locator("#opinion-map-summary").inner_text()).group(1)
    carla.reload()
    carla_group = re.search(r"Gruppe (\w)", carla.locator("#opinion-map-summary").inner_text()).group(1)
    assert ben_group == anna_group != carla_group
    consensus = carla.locator(".opinion-consensus li")
    expect(consensus).to_contain_text(["Nachts soll es ruhiger werden."])
    for page in (ben, carla):
        page.context.close()

    # The facilitator closes the map and publishes it; the results page shows it frozen.
    facilitator.goto(f"{site.base}/befragungen/{pk}/verwaltung/")
    facilitator.get_by_label(re.compile("^Ja, die Befragung endgültig schließen")).check()
    facilitator.get_by_role("button", name="Befragung schließen").click()
    expect(facilitator.get_by_text("Die Befragung ist beendet.")).to_be_visible()
    facilitator.goto(f"{site.base}/ergebnisse/prozesse/live-test/moderation/")
    item = facilitator.locator("article.dashboard-consultation").filter(
        has=facilitator.get_by_role("heading", name="Wie soll die Innenstadt werden?")
    )
    expect(item.get_by_text("3 Personen, 2 Meinungsgruppen.")).to_be_visible()
    item.get_by_role("checkbox", name="Ja, dieses Ergebnis veröffentlichen").check()
    item.get_by_role("button", name="Ergebnis veröffentlichen").click()
    expect(facilitator.get_by_text("Das Ergebnis ist veröffentlicht")).to_be_visible()
    facilitator.context.close()

    anna.reload()
    anna.get_by_role("link", name="Zur Ergebnisseite").click()
    expect(anna.get_by_role("heading", name="Die Meinungslandkarte")).to_be_visible()
    for width in (360, 1280):
        anna.set_viewport_size({"width": width, "height": 900})
        expect(anna.locator("#opinion-map-summary")).to_have_text("3 Personen, 2 Meinungsgruppen.")
        expect(anna.locator(".opinion-map__svg path")).to_have_count(3)
        expect(anna.locator("table.opinion-group caption")).to_have_count(2)
        rows = anna.locator("#table-statements tbody tr")
        expect(rows).to_have_count(8)
        expect(rows.filter(has_text="Nachts soll es ruhiger werden.").locator("td").first).to_have_text("100 %")
        expect(anna.get_by_role("link", name="Offene Daten (ZIP)")).to_be_visible()
        snap(anna, "result", width)
        axe_clean(anna, f"published opinion map at {width}")
    anna.goto(f"{site.base}/en/ergebnisse/{pk}/")
    expect(anna.get_by_role("heading", name="The opinion map")).to_be_visible()
    expect(anna.locator("#opinion-map-summary")).to_have_text("3 people, 2 groups of opinion.")
    axe_clean(anna, "published opinion map in English")
    assert anna.script_errors == []
    anna.context.close()


@pytest.fixture(scope="module")
def site_with_facilitator(live):
    return live
