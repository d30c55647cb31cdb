"""Language in a real browser: the browser's language on the first visit, the switch
remembered over it, and the ballot page's script formatting euros for the page's language."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.workshops.live_site import manage

pytestmark = pytest.mark.browser

SETUP = """
import json
from decimal import Decimal
from participation.models import Measure, Process, User
from voting import actions
process = Process.objects.get(slug="live-test")
user = User.objects.get(username="moderation")
ids = []
for n, (title, title_en) in enumerate([("Offenes WLAN", "Open Wi-Fi"), ("Smarte Parkplätze", "Smart parking"),
                                        ("Bürgeramt online", "Citizens' office online")], start=1):
    ids.append(Measure.objects.create(process=process, title=title, title_en=title_en, slug=f"lang-{n}",
                                      estimated_cost=Decimal(1000 * n)).pk)
c = actions.create_consultation(user, process, {
    "title": "Bürgerhaushalt", "title_en": "Participatory budget", "method": "points", "eligibility": "open",
    "options": ids, "settings": {"use_costs": True, "budget": 4500},
})
actions.open_consultation(user, c)
letters = actions.create_consultation(user, process, {
    "title": "Per Brief", "title_en": "By letter", "method": "approval", "eligibility": "access_code",
    "options": ids,
})
actions.open_consultation(user, letters)
print(json.dumps({"budget": c.pk, "letters": letters.pk}))
"""


@pytest.fixture(scope="module")
def site(live):
    data = json.loads(manage(live.site.env, "shell", "-c", SETUP).strip().splitlines()[-1])
    data["base"] = live.base
    return data


@pytest.fixture
def browser_in(browser):
    contexts = []

    def make(locale):
        context = browser.new_context(locale=locale, viewport={"width": 1000, "height": 900})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def test_an_english_browser_gets_english_until_german_is_chosen(site, browser_in):
    page = browser_in("en-US").new_page()
    page.goto(f"{site['base']}/massnahmen/")
    expect(page).to_have_url(f"{site['base']}/en/massnahmen/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Measures", exact=True).first).to_be_visible()

    switch = page.get_by_role("navigation", name="Language")
    expect(switch.get_by_role("button", name="English")).to_have_attribute("aria-current", "true")
    switch.get_by_role("button", name="Deutsch").click()
    expect(page).to_have_url(f"{site['base']}/massnahmen/")
    expect(page.locator("html")).to_have_attribute("lang", "de")

    # Remembered: the start page, typed in later, stays German for this English browser.
    page.goto(f"{site['base']}/")
    expect(page).to_have_url(f"{site['base']}/")
    expect(page.locator("html")).to_have_attribute("lang", "de")


def test_a_german_browser_that_chose_english_keeps_english(site, browser_in):
    page = browser_in("de-DE").new_page()
    page.goto(f"{site['base']}/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    # By keyboard: the switch is a pair of buttons in the header.
    page.get_by_role("navigation", name="Sprache").get_by_role("button", name="English").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{site['base']}/en/")
    page.goto(f"{site['base']}/reallabore/")
    expect(page).to_have_url(f"{site['base']}/en/reallabore/")


def test_a_shared_english_link_in_a_german_browser_switches_back_to_german(site, browser_in):
    page = browser_in("de-DE").new_page()
    page.goto(f"{site['base']}/en/massnahmen/?q=WLAN")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("navigation", name="Language").get_by_role("button", name="Deutsch").click()
    expect(page).to_have_url(f"{site['base']}/massnahmen/?q=WLAN")
    expect(page.locator("html")).to_have_attribute("lang", "de")


@pytest.mark.parametrize(
    ("locale", "path", "expected"),
    [
        ("de-DE", "", "Gewählt: 4.000 € von 4.500 € (noch 500 € frei)"),
        ("en-US", "/en", "Chosen: €4,000 of €4,500 (€500 left)"),
    ],
)
def test_the_budget_ballot_formats_euros_for_the_page(site, browser_in, locale, path, expected):
    page = browser_in(locale).new_page()
    page.goto(f"{site['base']}{path}/befragungen/{site['budget']}/")
    page.get_by_label(re.compile("^(Offenes WLAN|Open Wi-Fi)")).check()  # 1,000
    page.get_by_label(re.compile("^(Bürgeramt online|Citizens' office online)")).check()  # 3,000
    expect(page.locator("#budget-total")).to_have_text(expected)


def test_server_messages_on_an_english_page_are_english_in_a_german_browser(site, browser_in):
    page = browser_in("de-DE").new_page()
    page.goto(f"{site['base']}/en/befragungen/{site['letters']}/")
    page.get_by_label("Access code from your letter").fill("AAAA-AAAA-AAAA-AAAA")
    page.get_by_label("Open Wi-Fi").check()
    page.get_by_role("button", name="Cast vote").click()
    expect(page.locator("#ballot-error")).to_contain_text("This access code does not exist.")
