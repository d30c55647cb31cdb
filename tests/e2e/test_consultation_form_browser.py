"""The consultation form in headless Chromium at phone and desktop width.

A facilitator creates a consultation: before a method is chosen no method's settings
show, after choosing one only that method's (and, for a participatory budget, the
budget instead of the points). The draft is edited, opened with its confirmation,
and edited again: now only the texts and the end are inputs, the rest is shown as
fixed, and the English texts appear on the English page. axe finds nothing on the
form, with errors, or on either edit page. Screenshots go to test-artifacts/screenshots/.
"""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.workshops.live_site import manage

from .conftest import FACILITATOR, FACILITATOR_PASSWORD
from .test_axe_pages import AXE

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
WIDTHS = [360, 1280]
MEASURES = ["Digitales Bürgeramt", "Offenes WLAN", "Smarte Parkplätze"]
SETUP = """
import json
from participation.models import Measure, Process
process = Process.objects.get(slug="live-test")
ids = [
    Measure.objects.create(
        process=process, title=title, slug=f"form-{n}", summary="Worum es geht.", estimated_cost=1000 * n,
        published=True,
    ).pk
    for n, title in enumerate(%(titles)r, start=1)
]
print(json.dumps(ids))
"""


@pytest.fixture(scope="module")
def site(live):
    manage(live.site.env, "shell", "-c", SETUP % {"titles": MEASURES}, timeout=120)
    return live


def facilitator_page(browser, live, width):
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.script_errors = []
    page.on("pageerror", lambda error: page.script_errors.append(str(error)))
    page.goto(f"{live.base}/konto/anmelden/")
    page.get_by_label("Benutzername").fill(FACILITATOR)
    page.get_by_label("Passwort").fill(FACILITATOR_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_label("Benutzername")).to_have_count(0)
    return page


def axe_clean(page, what):
    page.evaluate(AXE.axe_script)
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    response = page.evaluate("options => axe.run(document, options)", options)
    assert response["passes"], f"axe checked nothing on {what}"
    violations = [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in response["violations"]]
    assert violations == [], f"{what}: {violations}"


def snap(page, name, width):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"consultation-{name}-{width}.png"), full_page=True)
    # Nothing may make the phone page scroll sideways.
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), name


def settings_field(page, label):
    return page.get_by_label(label, exact=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_create_choose_a_method_edit_and_see_the_english_text(browser, site, width):
    page = facilitator_page(browser, site, width)
    # The facilitator home links here with the process named by its slug.
    page.goto(f"{site.base}/befragungen/neu/?process=live-test")
    expect(page.get_by_role("heading", level=1)).to_have_text("Neue Befragung")
    expect(page.get_by_text("Im Prozess „Digitalisierung“.")).to_be_visible()

    # No method chosen yet: no method's settings.
    approvals = settings_field(page, "Höchstens so viele Zustimmungen (leer: beliebig viele)")
    points = settings_field(page, "Punkte je Person")
    budget = settings_field(page, "Budget in Euro")
    words = page.get_by_label("Bewertung anzeigen als")
    proposals = page.get_by_label("Teilnehmende dürfen eigene Vorschläge einreichen (die Moderation prüft sie)")
    for field in (approvals, points, budget, words, proposals):
        expect(field).to_be_hidden()

    # Points: only the points' settings, and the budget only for a participatory budget.
    method = page.get_by_role("group", name="Verfahren", exact=True)
    method.get_by_label("Punkte verteilen").check()
    expect(points).to_be_visible()
    expect(budget).to_be_hidden()
    for field in (approvals, words, proposals):
        expect(field).to_be_hidden()
    page.get_by_label("Bürgerhaushalt: Maßnahmen mit ihren Kosten auswählen, die in ein Budget passen müssen").check()
    expect(budget).to_be_visible()
    expect(points).to_be_hidden()
    snap(page, "create-points", width)

    # Approval: only its own setting; the hidden ones are out of the tab order too.
    method.get_by_label("Zustimmung", exact=True).check()
    expect(approvals).to_be_visible()
    for field in (points, budget, words, proposals):
        expect(field).to_be_hidden()
    page.get_by_role("group", name="Verfahren", exact=True).get_by_label("Zustimmung", exact=True).focus()
    tab_stops = []
    for _ in range(12):
        page.keyboard.press("Tab")
        tab_stops.append(page.evaluate("() => document.activeElement.name || ''"))
    assert "budget_points" not in tab_stops and "labels" not in tab_stops
    assert "max_approvals" in tab_stops

    # Sent without a title: the error is shown and the chosen method's settings stay alone.
    page.get_by_role("button", name="Als Entwurf anlegen").click()
    expect(page.get_by_role("alert")).to_contain_text("Bitte prüfen Sie die markierten Angaben.")
    expect(approvals).to_be_visible()
    expect(points).to_be_hidden()
    if width == 1280:
        axe_clean(page, "new consultation with errors")

    title = f"Was zuerst? ({width})"
    page.get_by_label("Titel", exact=True).fill(title)
    page.get_by_label("Erläuterung", exact=True).fill("Bitte wählen Sie.")
    page.get_by_label("Titel (englisch)").fill(f"What first? ({width})")
    measures = page.get_by_role("group", name="Maßnahmen auf dem Stimmzettel")
    measures.get_by_label(MEASURES[0]).check()
    measures.get_by_label(MEASURES[1]).check()
    approvals.fill("1")
    page.get_by_role("group", name="Wer darf teilnehmen?").get_by_label("offen (unverbindlich)").check()
    snap(page, "create-approval", width)
    page.get_by_role("button", name="Als Entwurf anlegen").click()
    expect(page.get_by_text("Die Befragung ist als Entwurf angelegt.")).to_be_visible()
    pk = int(re.search(r"/befragungen/(\d+)/verwaltung/", page.url).group(1))

    # The draft: everything can change; the form shows the chosen method's settings only.
    page.get_by_role("link", name="Befragung bearbeiten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    method = page.get_by_role("group", name="Verfahren", exact=True)
    expect(method.get_by_label("Zustimmung", exact=True)).to_be_checked()
    expect(approvals).to_have_value("1")
    expect(points).to_be_hidden()
    snap(page, "edit-draft", width)
    if width == 1280:
        axe_clean(page, "edit page of a draft")
    page.get_by_label("Titel", exact=True).fill(f"Was machen wir zuerst? ({width})")
    page.get_by_role("button", name="Änderungen speichern").click()
    expect(page.get_by_text("Die Änderungen sind gespeichert.")).to_be_visible()

    # Opening asks for the confirmation first.
    snap(page, "manage-draft", width)
    page.get_by_role("button", name="Jetzt öffnen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Was machen wir zuerst? ({width})")
    expect(page.get_by_text("Die Befragung ist geöffnet.")).to_have_count(0)
    page.get_by_label(re.compile("^Ja, die Befragung veröffentlichen")).check()
    page.get_by_role("button", name="Jetzt öffnen").click()
    expect(page.get_by_text("Die Befragung ist geöffnet.")).to_be_visible()

    # Running: the texts and the end are inputs, the rest is fixed and said so.
    page.get_by_role("link", name="Befragung bearbeiten").click()
    expect(page.get_by_role("heading", name="Was feststeht")).to_be_visible()
    expect(page.locator(".setup-fixed")).to_contain_text("Zustimmung")
    expect(page.locator(".setup-fixed")).to_contain_text(MEASURES[0])
    expect(page.get_by_role("group", name="Verfahren", exact=True)).to_have_count(0)
    expect(page.get_by_label("Schließt am")).to_be_visible()
    page.get_by_label("Titel (englisch)").fill(f"What do we do first? ({width})")
    page.get_by_label("Erläuterung (englisch)").fill("Please choose one.")
    snap(page, "edit-running", width)
    if width == 1280:
        axe_clean(page, "edit page of a running consultation")
    page.get_by_role("button", name="Änderungen speichern").click()
    expect(page.get_by_text("Die Änderungen sind gespeichert.")).to_be_visible()

    page.goto(f"{site.base}/en/befragungen/{pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"What do we do first? ({width})")
    expect(page.get_by_text("Please choose one.")).to_be_visible()
    page.goto(f"{site.base}/befragungen/{pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Was machen wir zuerst? ({width})")
    assert page.script_errors == []
    page.context.close()


def test_without_javascript_every_setting_is_there_and_the_chosen_ones_count(browser, site):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{site.base}/konto/anmelden/")
    page.get_by_label("Benutzername").fill(FACILITATOR)
    page.get_by_label("Passwort").fill(FACILITATOR_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.goto(f"{site.base}/befragungen/neu/")
    for label in ("Höchstens so viele Zustimmungen (leer: beliebig viele)", "Punkte je Person", "Budget in Euro"):
        expect(page.get_by_label(label, exact=True)).to_be_visible()
    page.get_by_label("Titel", exact=True).fill("Ohne Skript")
    page.get_by_role("group", name="Verfahren", exact=True).get_by_label("Punkte verteilen").check()
    measures = page.get_by_role("group", name="Maßnahmen auf dem Stimmzettel")
    measures.get_by_label(MEASURES[0]).check()
    measures.get_by_label(MEASURES[2]).check()
    page.get_by_label("Punkte je Person", exact=True).fill("7")
    # A mistake in another method's setting does not stop the form.
    page.get_by_label("Höchstens so viele Zustimmungen (leer: beliebig viele)", exact=True).fill("0")
    page.get_by_role("group", name="Wer darf teilnehmen?").get_by_label("offen (unverbindlich)").check()
    page.get_by_role("button", name="Als Entwurf anlegen").click()
    expect(page.get_by_text("Die Befragung ist als Entwurf angelegt.")).to_be_visible()
    out = manage(
        site.site.env,
        "shell",
        "-c",
        "import json; from voting.models import Consultation; "
        "print(json.dumps(Consultation.objects.get(title='Ohne Skript').settings))",
    )
    assert json.loads(out.strip().splitlines()[-1]) == {"use_costs": False, "budget_points": 7}
    context.close()
