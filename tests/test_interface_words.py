"""No German interface words on English pages and no English ones on German pages.

Every main page is rendered in both languages with content that has both languages
(so that the only German on an English page could come from the interface). A small
list of tell-tale words finds a string that was left out of the catalogue or written
into a template, a view or a message without gettext.
"""

import re
from decimal import Decimal

import pytest
from django.utils import translation

from results.actions import publish
from voting import actions as voting
from workshops.actions import create_workshop

from . import factories
from .test_translations import visible_text

GERMAN_WORDS = [
    "Maßnahme",
    "Handlungsfeld",
    "Abstimmung",
    "Befragung",
    "Ergebnis",
    "Zurück",
    "Anmelden",
    "Abmelden",
    "Stimme",
    "Reallabor",
    "Teilnehmende",
    "Zugangscode",
    "bitte",
    "und",
    "oder",
    "nicht",
]
# Proper names that English text keeps as they are.
NAMES = {"Baden-Württemberg"}
ENGLISH_WORDS = ["Submit", "Login", "Log in", "Results", "Result", "Vote", "Survey", "Measures", "Back", "Skip", "the"]


def words(text, vocabulary):
    return sorted({w for w in vocabulary if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)})


@pytest.fixture
def site(db):
    process = factories.make_process(
        slug="digital", title="Digitalstrategie", title_en="Digital strategy", summary_en="What the city plans."
    )
    facilitator = factories.make_facilitator(process)
    field = factories.make_field(process, slug="bildung", title="Bildung", title_en="Education")
    measures = [
        factories.make_measure(
            process,
            field=field,
            slug=f"m{n}",
            title=f"Tablets für Schule {n}",
            title_en=f"Tablets for school {n}",
            summary_en="Tablets.",
            estimated_cost=Decimal(1500 * n),
        )
        for n in range(1, 5)
    ]
    project = factories.make_project(
        field=field, slug="portal", title="Bürgerportal", title_en="Citizen portal", owner_organisation="City"
    )
    lab = factories.make_lab(process, slug="mitte", title="Reallabor Mitte", title_en="Central living lab")
    ids = [m.pk for m in measures]
    consultations = {}
    for method, settings in (
        ("approval", {"max_approvals": 2}),
        ("score", {"labels": "words"}),
        ("ranking", {}),
        ("points", {"use_costs": True, "budget": 4000}),
        ("pairwise", {}),
    ):
        data = {
            "title": f"Welche zuerst ({method})?",
            "title_en": f"Which first ({method})?",
            "method": method,
            "eligibility": "open",
            "options": ids,
            "settings": settings,
        }
        consultation = voting.create_consultation(facilitator, process, data)
        consultations[method] = voting.open_consultation(facilitator, consultation)
    # A published result: three ballots, closed, frozen.
    done = voting.create_consultation(
        facilitator,
        process,
        {"title": "Abgeschlossen", "title_en": "Finished", "method": "ranking", "eligibility": "open", "options": ids},
    )
    done = voting.open_consultation(facilitator, done)
    for n in range(3):
        voter = voting.resolve_voter(done, browser_token=f"browser-{n}")
        voting.cast_ballot(done, voter, {"ranking": [[ids[n]], [ids[3]]]})
    done = voting.close_consultation(facilitator, done)
    publish(facilitator, done)
    workshop = create_workshop(facilitator, process, "Mobility 2030")
    return {
        "process": process,
        "field": field,
        "measure": measures[0],
        "project": project,
        "lab": lab,
        "consultations": consultations,
        "done": done,
        "workshop": workshop,
        "facilitator": facilitator,
    }


def public_pages(site):
    with translation.override("de"):
        pages = [
            "/",
            "/handlungsfelder/",
            "/massnahmen/",
            "/projekte/",
            "/reallabore/",
            "/ueber/",
            "/barrierefreiheit/",
            site["process"].get_absolute_url(),
            site["field"].get_absolute_url(),
            site["measure"].get_absolute_url(),
            site["project"].get_absolute_url(),
            site["lab"].get_absolute_url(),
            "/befragungen/",
            "/ergebnisse/",
            f"/ergebnisse/{site['done'].pk}/",
            f"/befragungen/{site['done'].pk}/",
            "/w/",
            f"/w/{site['workshop'].code}/",
            f"/w/{site['workshop'].code}/board/",
            f"/w/{site['workshop'].code}/projector/",
            "/konto/anmelden/",
            "/konto/registrieren/",
        ]
        pages += [f"/befragungen/{c.pk}/" for c in site["consultations"].values()]
    return pages


def facilitator_pages(site):
    first = site["consultations"]["approval"]
    return [
        "/konto/",
        "/befragungen/neu/",
        "/befragungen/neu/pabulib/",
        f"/befragungen/{first.pk}/verwaltung/bearbeiten/",
        f"/befragungen/{site['done'].pk}/verwaltung/bearbeiten/",
        f"/befragungen/{first.pk}/verwaltung/",
        f"/befragungen/{site['done'].pk}/verwaltung/",
        f"/ergebnisse/prozesse/{site['process'].slug}/",
        f"/ergebnisse/prozesse/{site['process'].slug}/moderation/",
        f"/w/{site['workshop'].code}/console/",
        "/rueckmeldungen/moderation/",
        "/moderation/",
        "/w/neu/",
        f"/w/{site['workshop'].code}/verwaltung/",
        f"/w/{site['workshop'].code}/verwaltung/bearbeiten/",
    ]


def check(client, pages):
    problems = []
    for path in pages:
        german = client.get(path)
        english = client.get("/en" + path)
        assert german.status_code == 200, path
        assert english.status_code == 200, "/en" + path
        # The language switch is on every page.
        assert '<button type="submit" name="language" value="en" lang="en"' in german.content.decode(), path
        assert '<button type="submit" name="language" value="de" lang="de"' in english.content.decode(), path
        found = words(visible_text(english), GERMAN_WORDS)
        umlauts = [w for w in re.findall(r"\S*[äöüÄÖÜß]\S*", visible_text(english)) if w.strip(".,;:()") not in NAMES]
        if found or umlauts:
            problems.append(("/en" + path, found, umlauts[:5]))
        found = words(visible_text(german), ENGLISH_WORDS)
        if found:
            problems.append((path, found))
    return problems


def test_public_pages_speak_one_language(client, site):
    problems = check(client, public_pages(site))
    assert problems == [], "\n".join(map(str, problems))


def test_facilitator_pages_speak_one_language(client, site):
    client.force_login(site["facilitator"])
    problems = check(client, facilitator_pages(site))
    assert problems == [], "\n".join(map(str, problems))


def test_citizen_account_pages_speak_one_language(client, site):
    citizen = factories.make_user(username="erika")
    client.force_login(citizen)
    pages = [
        "/konto/",
        "/konto/passwort-aendern/",
        "/konto/passwort-aendern/fertig/",
        "/konto/loeschen/",
        "/konto/bestaetigung-gesendet/",
        "/konto/passwort-vergessen/gesendet/",
        "/konto/passwort-neu/fertig/",
        "/konto/geloescht/",
        site["measure"].get_absolute_url(),
    ]
    with translation.override("de"):
        pages.append(f"/befragungen/{site['consultations']['score'].pk}/")
    problems = check(client, pages)
    assert problems == [], "\n".join(map(str, problems))


def test_access_code_letters_in_english(client, site):
    consultation = voting.create_consultation(
        site["facilitator"],
        site["process"],
        {
            "title": "Per Brief",
            "title_en": "By letter",
            "method": "ranking",
            "eligibility": "access_code",
            "options": [site["measure"].pk, site["measure"].pk + 1],
            "closes_at": "2030-03-12T18:00:00+01:00",
        },
    )
    client.force_login(site["facilitator"])
    manage = client.get(f"/en/befragungen/{consultation.pk}/verwaltung/").content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', manage).group(1)
    response = client.post(
        f"/en/befragungen/{consultation.pk}/verwaltung/zugangscodes/", {"count": 2, "form_token": token}
    )
    assert response.status_code == 200
    text = visible_text(response)
    assert "Your access code" in text and "By letter" in text
    assert "12 March 2030" in text
    assert words(text, GERMAN_WORDS) == []
    # The voting address on the letter is the German one: letters go to residents of a German city.
    assert not re.findall(r"\S*[äöüÄÖÜß]\S*", text)
