"""A participatory budget from set-up to result, in headless Chromium.

The facilitator sets up a budget on the form (approval of projects, at most two each,
decided by the Method of Equal Shares), opens it; citizens vote on a phone-width page
(a third project is refused with a message); the facilitator closes it and publishes.
The result page shows what each rule funds, with costs and the money left, explains
the difference in words, offers the Pabulib file, and axe finds nothing at 360 and
1280 px. Screenshots go to test-artifacts/screenshots/.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.workshops.live_site import manage

from .test_consultation_form_browser import axe_clean, facilitator_page, settings_field

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# Three projects of 1,000 EUR each for the majority, three for the minority; 3,000 EUR to spend.
# Ties are broken in ballot order, which is by title.
MAJORITY = ["Radweg Nord 1", "Radweg Nord 2", "Radweg Nord 3"]
MINORITY = ["Treffpunkt 1", "Treffpunkt 2", "Treffpunkt 3"]
SETUP = """
from participation.models import Measure, Process
process = Process.objects.get(slug="live-test")
for n, title in enumerate(%(titles)r, start=1):
    Measure.objects.create(
        process=process, title=title, slug=f"budget-{n}", summary="Ein Projekt.", estimated_cost=1000,
        published=True,
    )
"""


@pytest.fixture(scope="module")
def site(live):
    manage(live.site.env, "shell", "-c", SETUP % {"titles": MAJORITY + MINORITY}, timeout=120)
    return live


def snap(page, name, width):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"budget-{name}-{width}.png"), full_page=True)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), name


def set_up_budget(page, base):
    page.goto(f"{base}/befragungen/neu/?process=live-test")
    page.get_by_label("Titel", exact=True).fill("Stadtteilbudget 3.000 Euro")
    page.get_by_role("group", name="Verfahren", exact=True).get_by_label("Punkte verteilen").check()
    page.get_by_label("Bürgerhaushalt: Maßnahmen mit ihren Kosten auswählen, die in ein Budget passen müssen").check()
    settings_field(page, "Budget in Euro").fill("3000")
    most = settings_field(page, "Höchstens so viele Projekte je Person (leer: beliebig viele)")
    expect(most).to_be_hidden()  # only for approval of projects
    page.get_by_role("group", name="Stimmzettel des Bürgerhaushalts").get_by_label(
        "Allen Projekten zustimmen, die man unterstützt"
    ).check()
    expect(most).to_be_visible()
    most.fill("3")
    rule = page.get_by_role("group", name="Entschieden wird nach")
    expect(rule.get_by_label("Methode der gleichen Anteile")).to_be_checked()
    measures = page.get_by_role("group", name="Maßnahmen auf dem Stimmzettel")
    for title in MAJORITY + MINORITY:
        measures.get_by_label(title).check()
    page.get_by_role("group", name="Wer darf teilnehmen?").get_by_label("offen (unverbindlich)").check()
    snap(page, "create", 1280)
    axe_clean(page, "budget set-up")
    page.get_by_role("button", name="Als Entwurf anlegen").click()
    expect(page.get_by_text("Die Befragung ist als Entwurf angelegt.")).to_be_visible()
    pk = int(re.search(r"/befragungen/(\d+)/verwaltung/", page.url).group(1))
    expect(page.locator("body")).to_contain_text("Bürgerhaushalt")
    page.get_by_label(re.compile("^Ja, die Befragung veröffentlichen")).check()
    page.get_by_role("button", name="Jetzt öffnen").click()
    expect(page.get_by_text("Die Befragung ist geöffnet.")).to_be_visible()
    return pk


def vote(browser, base, pk, titles, width=360):
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/befragungen/{pk}/")
    counter = page.locator("#approval-count")
    expect(counter).to_have_text("0 von höchstens 3 gewählt")
    for title in titles:
        page.get_by_label(re.compile(f"^{title} – ")).check()
    expect(counter).to_have_text("3 von höchstens 3 gewählt")
    return context, page, errors


def test_a_budget_is_set_up_voted_on_a_phone_published_and_both_rules_shown(browser, site):
    facilitator = facilitator_page(browser, site, 1280)
    pk = set_up_budget(facilitator, site.base)

    # A citizen on a phone: a fourth project is refused on the page, three are cast.
    context, page, errors = vote(browser, site.base, pk, MAJORITY)
    fourth = page.get_by_label(re.compile(f"^{MINORITY[0]} – "))
    fourth.click()  # the page unticks it at once
    expect(fourth).not_to_be_checked()
    expect(page.locator("#approval-count")).to_have_text(
        "Sie können höchstens 3 Projekte wählen. Entfernen Sie zuerst ein Häkchen."
    )
    snap(page, "ballot", 360)
    axe_clean(page, "budget ballot")
    page.get_by_role("button", name="Stimme abgeben").click()
    expect(page.get_by_text("Ihre Stimme ist gespeichert.")).to_be_visible()
    assert errors == []
    context.close()
    # Five more for the majority, four for the minority: six against four.
    for titles in [MAJORITY] * 5 + [MINORITY] * 4:
        context, page, errors = vote(browser, site.base, pk, titles, width=1280)
        page.get_by_role("button", name="Stimme abgeben").click()
        expect(page.get_by_text("Ihre Stimme ist gespeichert.")).to_be_visible()
        assert errors == []
        context.close()

    facilitator.goto(f"{site.base}/befragungen/{pk}/verwaltung/")
    expect(facilitator.locator("#turnout-total")).to_have_text("10 Personen haben teilgenommen")
    facilitator.get_by_label(re.compile("^Ja, die Befragung endgültig schließen")).check()
    facilitator.get_by_role("button", name="Befragung schließen").click()
    expect(facilitator.get_by_text("Die Befragung ist beendet.")).to_be_visible()
    facilitator.goto(f"{site.base}/ergebnisse/prozesse/live-test/moderation/")
    item = facilitator.locator("article.dashboard-consultation").filter(
        has=facilitator.get_by_role("heading", name="Stadtteilbudget 3.000 Euro")
    )
    item.get_by_role("checkbox", name="Ja, dieses Ergebnis veröffentlichen").check()
    item.get_by_role("button", name="Ergebnis veröffentlichen").click()
    expect(facilitator.get_by_text("Das Ergebnis ist veröffentlicht")).to_be_visible()
    facilitator.context.close()

    for width in (360, 1280):
        context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.goto(f"{site.base}/ergebnisse/{pk}/")
        expect(page.get_by_text("Entschieden wird nach: Methode der gleichen Anteile.")).to_be_visible()
        lines = page.locator(".budget-line")
        expect(lines.first).to_have_text("Gefördert: 3 Projekte für 3.000 € von 3.000 €; übrig: 0 €.")
        main = page.locator("#table-equal_shares")
        funded = main.locator("tbody tr").filter(has=page.get_by_role("cell", name="ja", exact=True))
        expect(funded.locator("th")).to_have_text([MAJORITY[0], MAJORITY[1], MINORITY[0]])
        expect(main.locator("tbody tr").first.get_by_role("cell", name="1.000 €")).to_be_visible()
        greedy = page.locator("#table-greedy").locator("tbody tr")
        expect(greedy.filter(has=page.get_by_role("cell", name="ja", exact=True)).locator("th")).to_have_text(MAJORITY)
        notes = page.locator("#other-counts-title + p + ul.notes li")
        expect(notes).to_have_text(
            [
                f"Nur nach der Methode der gleichen Anteile gefördert: {MINORITY[0]}.",
                f"Nur nach Stimmen (solange das Geld reicht) gefördert: {MAJORITY[2]}.",
            ]
        )
        expect(page.get_by_role("link", name="Pabulib (.pb)")).to_be_visible()
        snap(page, "result", width)
        axe_clean(page, f"budget result at {width}")
        context.close()
