"""The accessibility statement (Erklärung zur Barrierefreiheit, BITV 2.0): reachable from every
page's footer, in German and English, with the parts the EU model statement requires."""

import re

import pytest
from pytest_django.asserts import assertContains


@pytest.mark.parametrize(
    "path",
    ["/", "/ueber/", "/massnahmen/", "/befragungen/", "/ergebnisse/", "/w/", "/konto/anmelden/", "/barrierefreiheit/"],
)
def test_every_page_links_to_the_statement_in_its_footer(client, db, path):
    html = client.get(path).content.decode()
    footer = html[html.index("<footer") :]
    assert '<a href="/barrierefreiheit/">Barrierefreiheit</a>' in footer


def test_english_pages_link_to_the_english_statement(client, db):
    html = client.get("/en/massnahmen/").content.decode()
    footer = html[html.index("<footer") :]
    assert 'href="/en/barrierefreiheit/"' in footer


def test_german_statement_has_the_parts_of_the_model_statement(client, db, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "barrierefrei@heilbronn.example"
    response = client.get("/barrierefreiheit/")
    assert response.status_code == 200
    assertContains(response, "<h1>Erklärung zur Barrierefreiheit</h1>", html=True)
    assertContains(response, '<html lang="de">')
    html = response.content.decode()
    for heading in (
        "Stand der Vereinbarkeit mit den Anforderungen",
        "Nicht barrierefreie Inhalte",
        "Erstellung dieser Erklärung und Prüfung",
        "Barrieren melden: Feedback und Kontakt",
        "Schlichtungsverfahren",
    ):
        assert re.search(rf"<h2 id=\"[a-z-]+\">{heading}</h2>", html), heading
    assert "teilweise mit den Anforderungen vereinbar" in html
    assert "BITV 2.0" in html
    assert "WCAG" in html
    # How it was tested, and when.
    assert "axe-core" in html
    assert "ausschließlich mit der Tastatur" in html
    assert '<time datetime="2026-11-26">26. November 2026</time>' in html
    # Feedback goes to the address from the settings; enforcement to the federal conciliation body.
    assertContains(response, "mailto:barrierefrei@heilbronn.example?subject=")
    assert "§ 16 BGG" in html
    assert "info@schlichtungsstelle-bgg.de" in html


def test_contact_address_defaults_to_the_platforms_sender(client, db, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = settings.DEFAULT_FROM_EMAIL
    assertContains(client.get("/barrierefreiheit/"), f"mailto:{settings.DEFAULT_FROM_EMAIL}?")


def test_english_statement_is_a_full_translation(client, db):
    response = client.get("/en/barrierefreiheit/")
    assert response.status_code == 200
    assertContains(response, '<html lang="en">')
    assertContains(response, "<h1>Accessibility statement</h1>", html=True)
    html = response.content.decode()
    for heading in ("Compliance status", "Non-accessible content", "Enforcement procedure"):
        assert f">{heading}</h2>" in html
    assert "partially compliant" in html
    assert '<time datetime="2026-11-26">26 November 2026</time>' in html
    assert "Erklärung" not in html
    # German names inside the English text are marked as German for screen readers.
    assert '<span lang="de">Leichte Sprache</span>' in html
    assert 'href="/barrierefreiheit/" hreflang="de"' in html


def test_statement_names_the_known_gaps(client, db):
    html = client.get("/barrierefreiheit/").content.decode()
    gaps = html[html.index('id="nicht-barrierefrei"') : html.index('id="erstellung"')]
    for gap in ("Gebärdensprache", "Leichte Sprache", "PDF-Bericht", "Beiträge von Teilnehmenden"):
        assert gap in gaps
