"""axe-core on every page of the platform in headless Chromium: no violation of WCAG 2.0/2.1 A or AA.

The pages come from a real Daphne server with the demo data (tests/e2e/conftest.py ``demo``):
public pages in German and the main ones in English, every ballot kind, the account and
facilitator pages, and the live workshop pages once their scripts have drawn them. Pages are
also checked in the states a visitor reaches by acting: form errors, a cast ballot, a board with
a card and an open poll. The Django admin is not part of the platform's public interface.

axe-core comes from the pinned ``axe-playwright-python`` package (it bundles axe.min.js).
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .conftest import DEMO_CITIZEN, DEMO_PROCESS, DEMO_WORKSHOP, FACILITATOR, FACILITATOR_PASSWORD

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE = Axe()
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
P = f"/prozesse/{DEMO_PROCESS}"

# Every public page; "{name}" is a consultation of tests/e2e/conftest.py DEMO_SETUP.
PUBLIC_PAGES = [
    "/",
    "/ueber/",
    "/barrierefreiheit/",
    "/handlungsfelder/",
    "/massnahmen/",
    "/massnahmen/?q=gibt-es-nicht&status=unbekannt",
    "/projekte/",
    "/reallabore/",
    f"{P}/",
    f"{P}/handlungsfelder/",
    f"{P}/handlungsfelder/mobilitaet/",
    f"{P}/massnahmen/intelligentes-verkehrsmanagement/",
    f"{P}/projekte/onlinedienste-buergeramt/",
    f"{P}/reallabore/reallabor-neckarbogen/",
    f"/einbetten{P}/massnahmen/online-terminvergabe/",
    "/befragungen/{approval}/einbetten/",
    "/konto/anmelden/",
    "/konto/registrieren/",
    "/konto/passwort-vergessen/",
    "/konto/passwort-vergessen/gesendet/",
    "/konto/passwort-neu/MQ/ungueltig-0000/",
    "/konto/bestaetigung-anfordern/",
    "/konto/benachrichtigungen/abbestellen/kein-gueltiger-link/",
    "/befragungen/",
    "/befragungen/{approval}/",
    "/befragungen/{score}/",
    "/befragungen/{ranking}/",
    "/befragungen/{points}/",
    "/befragungen/{budget}/",
    "/befragungen/{pairwise}/",
    "/befragungen/{access_code}/",
    "/befragungen/{account}/",
    "/befragungen/{published}/",
    "/ergebnisse/",
    "/ergebnisse/{published}/",
    "/ergebnisse/{published}/?receipt=AAAA-BBBB-CCCC",
    f"/ergebnisse{P}/",
    "/w/",
    "/w/?code=zz-zz-zz",
    f"/w/{DEMO_WORKSHOP}/",
    f"/w/{DEMO_WORKSHOP}/projector/",
]
# The main pages again in English (the pages are the same templates; the texts differ).
ENGLISH_PAGES = [
    "/",
    "/ueber/",
    "/barrierefreiheit/",
    "/massnahmen/",
    f"{P}/massnahmen/intelligentes-verkehrsmanagement/",
    "/konto/registrieren/",
    "/befragungen/{ranking}/",
    "/befragungen/{pairwise}/",
    "/ergebnisse/{published}/",
    f"/ergebnisse{P}/",
    f"/w/{DEMO_WORKSHOP}/",
]


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['failureSummary']}".replace("\n", " | "))
    return "\n".join(lines)


def assert_accessible(page, what=None):
    """axe's WCAG 2.0/2.1 A and AA rules on the page as it is now: no violation."""
    if not page.evaluate("() => typeof axe === 'object'"):
        page.evaluate(AXE.axe_script)
    response = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    # Guard against a silently empty run (axe not injected, a blank page).
    assert response["passes"], f"axe checked nothing on {page.url}"
    violations = response["violations"]
    assert not violations, f"{what or page.url}:\n{describe(violations)}"


def axe_context(browser, **options):
    """A browser context that loads axe-core into every page it opens (cheaper than injecting
    the half-megabyte script into each page afterwards)."""
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900}, **options)
    context.set_default_timeout(10_000)
    context.add_init_script(AXE.axe_script)
    return context


def url(demo, path, language="de"):
    prefix = "/en" if language == "en" else ""
    return demo.base + prefix + path.format(**demo.consultations)


def visit(page, demo, path, language="de"):
    response = page.goto(url(demo, path, language))
    assert response.status < 500, f"{path}: {response.status}"
    # The projector is drawn by its script once the workshop's snapshot has arrived.
    if path.endswith("/projector/"):
        expect(page.locator("#ws-projector-online")).not_to_be_empty()


@pytest.fixture(scope="module")
def anonymous(browser):
    context = axe_context(browser)
    yield context.new_page()
    context.close()


def signed_in(context, demo, username, password):
    page = context.new_page()
    page.goto(f"{demo.base}/konto/anmelden/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("#main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"^(?!.*anmelden)"))
    return page


@pytest.fixture(scope="module")
def citizen(browser, demo):
    context = axe_context(browser)
    yield signed_in(context, demo, *DEMO_CITIZEN)
    context.close()


@pytest.fixture(scope="module")
def facilitator(browser, demo):
    context = axe_context(browser)
    yield signed_in(context, demo, FACILITATOR, FACILITATOR_PASSWORD)
    context.close()


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_in_german(demo, anonymous, path):
    visit(anonymous, demo, path)
    expect(anonymous.locator("html")).to_have_attribute("lang", "de")
    assert_accessible(anonymous)


@pytest.mark.parametrize("path", ENGLISH_PAGES)
def test_main_page_in_english(demo, anonymous, path):
    visit(anonymous, demo, path, language="en")
    expect(anonymous.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(anonymous)


def test_form_errors(demo, anonymous):
    """Error messages after a failed submit: tied to their fields, and still no violation."""
    visit(anonymous, demo, "/konto/registrieren/")
    # The server's messages, not the browser's own bubbles for required fields.
    anonymous.locator("#main form").evaluate("form => { form.noValidate = true; }")
    anonymous.locator("#main form button[type=submit]").click()
    expect(anonymous.locator("[aria-invalid=true]").first).to_be_attached()
    assert_accessible(anonymous, "registration with errors")

    visit(anonymous, demo, "/konto/anmelden/")
    anonymous.locator("#id_username").fill("niemand")
    anonymous.locator("#id_password").fill("falsch")
    anonymous.locator("#main form button[type=submit]").click()
    anonymous.wait_for_load_state()
    assert_accessible(anonymous, "login with a wrong password")

    visit(anonymous, demo, "/konto/passwort-vergessen/", language="en")
    anonymous.locator("#main form").evaluate("form => { form.noValidate = true; }")
    anonymous.locator("#main form input[type=email]").fill("kein-at-zeichen")
    anonymous.locator("#main form button[type=submit]").click()
    anonymous.wait_for_load_state()
    assert_accessible(anonymous, "password reset with a bad address")

    visit(anonymous, demo, "/w/?code=zz-zz-zz", language="en")
    assert_accessible(anonymous, "workshop code not found")


def test_ballot_states(demo, browser):
    """A refused ballot (wrong access code), a ranking in progress, a pair answered, a receipt."""
    context = axe_context(browser)
    page = context.new_page()
    try:
        visit(page, demo, "/befragungen/{access_code}/")
        page.get_by_label("Zugangscode aus Ihrem Brief").fill("AAAA-AAAA-AAAA-AAAA")
        page.locator("#ballot-form input[type=checkbox]").first.check()
        page.locator("#ballot-form button[type=submit]").click()
        expect(page.locator("#ballot-error")).to_be_visible()
        assert_accessible(page, "wrong access code")

        visit(page, demo, "/befragungen/{ranking}/")
        page.locator(".ranking-pool button").first.click()
        page.locator(".ranking-pool button").first.click()
        expect(page.locator(".ranking-list .ranking-item")).to_have_count(2)
        assert_accessible(page, "ranking with two measures placed")
        page.locator("#ballot-form button[type=submit]").click()
        expect(page.locator("#confirmation-title")).to_be_focused()
        assert_accessible(page, "ranking confirmation with receipt")

        visit(page, demo, "/befragungen/{pairwise}/", language="en")
        page.locator("#pair-left").click()
        expect(page.locator("#pair-status")).not_to_be_empty()
        assert_accessible(page, "pairwise after one answer")

        visit(page, demo, "/befragungen/{budget}/")
        page.locator("#ballot-form input[type=checkbox]").first.check()
        assert_accessible(page, "budget with one measure chosen")
    finally:
        context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/konto/",
        "/konto/benachrichtigungen/",
        "/konto/passwort-aendern/",
        "/konto/loeschen/",
        f"{P}/massnahmen/intelligentes-verkehrsmanagement/",
        "/rueckmeldungen/measure/{measure}/",
        "/befragungen/{account}/",
    ],
)
def test_citizen_page(demo, citizen, path):
    visit(citizen, demo, path.replace("{measure}", str(demo.measure)))
    assert_accessible(citizen)


@pytest.mark.parametrize(
    "path",
    [
        f"/w/{DEMO_WORKSHOP}/console/",
        f"/ergebnisse{P}/moderation/",
        "/ergebnisse/{published}/",
        "/befragungen/neu/",
        "/befragungen/{approval}/verwaltung/bearbeiten/",
        "/befragungen/{pairwise}/verwaltung/",
        "/befragungen/{published}/verwaltung/",
        "/rueckmeldungen/moderation/",
        "/moderation/",
        "/w/neu/",
        f"/w/{DEMO_WORKSHOP}/verwaltung/",
        f"/w/{DEMO_WORKSHOP}/verwaltung/bearbeiten/",
    ],
)
def test_facilitator_page(demo, facilitator, path):
    visit(facilitator, demo, path)
    if "/console/" in path:
        expect(facilitator.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
    assert_accessible(facilitator)


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_measure_with_its_history_an_answer_and_the_facilitators_forms_open(demo, facilitator, language):
    visit(facilitator, demo, f"{P}/massnahmen/schulwegradar/", language)
    expect(facilitator.locator(".feedback-answer")).to_have_count(1)
    facilitator.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    assert_accessible(facilitator, "measure page: history, the city's answer, status and answer forms open")


def test_access_code_letters(demo, facilitator):
    visit(facilitator, demo, "/befragungen/{access_code}/verwaltung/")
    facilitator.locator(".codes-form input[type=number]").fill("2")
    facilitator.locator(".codes-form button[type=submit]").click()
    facilitator.wait_for_load_state()
    assert_accessible(facilitator, "printable letters with access codes")


def test_live_workshop_pages(demo, browser, facilitator):
    """Join, board, console and projector while a dot vote is open and cards arrive."""
    live = demo.live
    code = live.workshop(title="Barrierefreiheit im Workshop")
    live.open_poll(code, question="Was zuerst?", kind="dots", options=["Radwege", "Busse"], dots=3)
    context = axe_context(browser)
    try:
        page = context.new_page()
        visit(page, demo, f"/w/{code}/")
        assert_accessible(page, "join page")
        page.locator("#ws-join-form input[type=text]").first.fill("Ada")
        page.locator("#ws-join-form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/board/$"), wait_until="commit")
        expect(page.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
        page.locator("#ws-card-text").fill("Mehr Bänke an Haltestellen")
        page.locator("#ws-add-form button[type=submit]").click()
        expect(page.locator(".ws-card", has_text="Mehr Bänke an Haltestellen")).to_have_count(1)
        page.locator(".ws-poll button.ws-dots__add, .ws-poll button[aria-label^='Einen Punkt mehr']").first.click()
        assert_accessible(page, "board with a card and an open dot vote")

        visit(facilitator, demo, f"/w/{code}/console/")
        expect(facilitator.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
        expect(facilitator.locator(".ws-card", has_text="Mehr Bänke an Haltestellen")).to_have_count(1)
        assert_accessible(facilitator, "console with a card and an open poll")

        projector = context.new_page()
        visit(projector, demo, f"/w/{code}/projector/", language="en")
        expect(projector.locator("#ws-projector-question")).to_have_text("Was zuerst?")
        assert_accessible(projector, "projector with an open poll")
    finally:
        context.close()
