"""German at /, English at /en/: English texts where filled in, German otherwise, and a switch between them."""

from decimal import Decimal

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from tests import factories as f


@pytest.fixture
def measure(db):
    process = f.make_process(slug="digital", title="Digitalstrategie", title_en="Digital strategy")
    field = f.make_field(process, slug="bildung", title="Bildung")  # no English title
    return f.make_measure(
        field=field,
        slug="tablets",
        title="Tablets für Schulen",
        title_en="Tablets for schools",
        summary="Jede Klasse bekommt Tablets.",
        description="Beschreibung nur auf Deutsch.",
        estimated_cost=Decimal("1250000.50"),
    )


def test_english_page_shows_english_text_and_falls_back_to_german(client, measure):
    response = client.get("/en/prozesse/digital/massnahmen/tablets/")
    assertContains(response, '<html lang="en">')
    assertContains(response, "<h1>Tablets for schools</h1>", html=True)
    assertNotContains(response, "Tablets für Schulen")
    # Not translated in the admin: shown in German rather than left empty.
    assertContains(response, "Beschreibung nur auf Deutsch.")
    assertContains(response, ">Bildung</a>")


def test_german_page_shows_german_text(client, measure):
    response = client.get("/prozesse/digital/massnahmen/tablets/")
    assertContains(response, '<html lang="de">')
    assertContains(response, "<h1>Tablets für Schulen</h1>", html=True)
    assertNotContains(response, "Tablets for schools")


def test_english_lists_use_english_titles(client, measure):
    response = client.get("/en/massnahmen/")
    assertContains(response, "Tablets for schools")
    response = client.get("/en/")
    assertContains(response, "Digital strategy")


def test_cost_is_formatted_for_the_language(client, measure):
    assertContains(client.get("/prozesse/digital/massnahmen/tablets/"), "1.250.000,50\N{NO-BREAK SPACE}€")
    assertContains(client.get("/en/prozesse/digital/massnahmen/tablets/"), "€1,250,000.50")


def test_language_switch_offers_both_languages_for_the_same_page(client, measure):
    response = client.get("/prozesse/digital/massnahmen/tablets/")
    assertContains(
        response, '<input type="hidden" name="next" value="/prozesse/digital/massnahmen/tablets/">', html=True
    )
    assertContains(
        response,
        '<button type="submit" name="language" value="en" lang="en" class="link-button">English</button>',
        html=True,
    )
    assertContains(
        response,
        '<button type="submit" name="language" value="de" lang="de" class="link-button" aria-current="true">'
        "Deutsch</button>",
        html=True,
    )
    # Search engines and browsers find the other language's address in the head.
    assertContains(response, '<link rel="alternate" hreflang="en" href="/en/prozesse/digital/massnahmen/tablets/">')
    assertContains(response, '<link rel="alternate" hreflang="de" href="/prozesse/digital/massnahmen/tablets/">')

    response = client.get("/en/prozesse/digital/massnahmen/tablets/")
    assertContains(
        response,
        '<button type="submit" name="language" value="en" lang="en" class="link-button" aria-current="true">'
        "English</button>",
        html=True,
    )


def test_language_switch_keeps_the_filters(client, measure):
    response = client.get("/massnahmen/?status=planned&q=Tablet")
    assertContains(response, 'value="/massnahmen/?status=planned&amp;q=Tablet"')
    assertContains(response, 'hreflang="en" href="/en/massnahmen/?status=planned&amp;q=Tablet"')
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/massnahmen/?status=planned&q=Tablet"})
    assert switched["Location"] == "/en/massnahmen/?status=planned&q=Tablet"


def test_english_navigation_stays_in_english(client, measure):
    response = client.get("/en/massnahmen/")
    assertContains(response, 'href="/en/reallabore/"')
    assertContains(response, 'href="/en/prozesse/digital/massnahmen/tablets/"')
