"""Every public page renders with the content a citizen expects."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from participation.models import MeasureOrigin, MeasureStatus, OwnerKind, ProjectStatus
from tests import factories as f


@pytest.fixture
def strategy(db):
    process = f.make_process(
        title="Gesamtkonzept Digitalisierung",
        slug="digitalisierung",
        summary="Heilbronn gestaltet die Digitalisierung gemeinsam.",
        description="Erster Absatz zur Strategie.\n\nZweiter Absatz.",
        starts_on=date(2025, 3, 1),
        ends_on=date(2025, 12, 31),
    )
    mobility = f.make_field(process, title="Mobilität", slug="mobilitaet", summary="Verkehr klug steuern")
    measure = f.make_measure(
        field=mobility,
        title="Digitales Verkehrsmanagement",
        slug="verkehrsmanagement",
        summary="Ampeln reagieren auf den Verkehr.",
        description="Sensoren an Kreuzungen melden den Verkehrsfluss.",
        status=MeasureStatus.PLANNED,
        origin=MeasureOrigin.WORKSHOP,
        estimated_cost=Decimal("1250000"),
    )
    project = f.make_project(
        field=mobility,
        title="Parkleitsystem Innenstadt",
        slug="parkleitsystem",
        owner_organisation="Stadtwerke Heilbronn GmbH",
        owner_kind=OwnerKind.COMPANY,
        status=ProjectStatus.RUNNING,
        starts_on=date(2024, 5, 1),
        ends_on=date(2026, 4, 30),
        contact_name="Erika Mustermann",
        contact_email="parken@example.org",
        description="Freie Parkplätze werden angezeigt.",
    )
    lab = f.make_lab(
        process,
        title="Reallabor Marktplatz",
        slug="marktplatz",
        summary="Smarte Sensoren in der Innenstadt",
        area_description="Rund um den Marktplatz und die Kaiserstraße",
        description="Sensoren zählen freie Parkplätze.",
    )
    lab.projects.add(project)
    return SimpleNamespace(process=process, field=mobility, measure=measure, project=project, lab=lab)


def used_templates(response):
    return [t.name for t in response.templates]


def test_home_shows_the_process_its_fields_and_counts(client, strategy):
    response = client.get("/")
    assertContains(response, "Gesamtkonzept Digitalisierung")
    assertContains(response, "Heilbronn gestaltet die Digitalisierung gemeinsam.")
    assertContains(response, '<time datetime="2025-03-01">01.03.2025</time>', html=True)
    assertContains(response, '<a href="/prozesse/digitalisierung/handlungsfelder/mobilitaet/">Mobilität</a>', html=True)
    assertContains(
        response,
        '<a href="/massnahmen/?process=digitalisierung"><span class="stats__number">1</span> Maßnahme</a>',
        html=True,
    )
    assertContains(
        response,
        '<a href="/projekte/?process=digitalisierung"><span class="stats__number">1</span> Projekt</a>',
        html=True,
    )
    assertContains(response, '<span class="stats__number">1</span> Reallabor', html=True)


def test_home_without_a_published_process_says_so(client, db):
    response = client.get("/")
    assertContains(response, "Derzeit ist kein Beteiligungsprozess veröffentlicht.")


def test_process_page_shows_description_fields_labs_and_feedback(client, strategy):
    response = client.get("/prozesse/digitalisierung/")
    assertContains(response, "<h1>Gesamtkonzept Digitalisierung</h1>", html=True)
    assertContains(response, "<p>Erster Absatz zur Strategie.</p>", html=True)
    assertContains(response, "Verkehr klug steuern")
    assertContains(
        response, '<a href="/prozesse/digitalisierung/reallabore/marktplatz/">Reallabor Marktplatz</a>', html=True
    )
    assert "feedback/_section.html" in used_templates(response)


def test_field_lists_show_the_fields_with_counts(client, strategy):
    for path in ("/handlungsfelder/", "/prozesse/digitalisierung/handlungsfelder/"):
        response = client.get(path)
        assertContains(response, "Mobilität")
        assertContains(response, "1 Maßnahme")
        assertContains(response, "1 Projekt")


def test_field_page_lists_its_measures_and_projects(client, strategy):
    response = client.get("/prozesse/digitalisierung/handlungsfelder/mobilitaet/")
    assertContains(response, "<h1>Mobilität</h1>", html=True)
    assertContains(
        response,
        '<a href="/prozesse/digitalisierung/massnahmen/verkehrsmanagement/">Digitales Verkehrsmanagement</a>',
        html=True,
    )
    assertContains(
        response,
        '<a href="/prozesse/digitalisierung/projekte/parkleitsystem/">Parkleitsystem Innenstadt</a>',
        html=True,
    )


def test_measure_list_shows_cards_with_status_and_origin(client, strategy):
    response = client.get("/massnahmen/")
    assertContains(response, "Digitales Verkehrsmanagement")
    assertContains(response, "Ampeln reagieren auf den Verkehr.")
    assertContains(response, "geplant")
    assertContains(response, "Expertenworkshop")
    assertContains(response, '<label for="id_status">Status</label>', html=True)


def test_measure_page_shows_field_status_origin_cost_and_feedback(client, strategy):
    response = client.get("/prozesse/digitalisierung/massnahmen/verkehrsmanagement/")
    assertContains(response, "<h1>Digitales Verkehrsmanagement</h1>", html=True)
    assertContains(response, '<a href="/prozesse/digitalisierung/handlungsfelder/mobilitaet/">Mobilität</a>', html=True)
    assertContains(response, "geplant")
    assertContains(response, "Expertenworkshop")
    assertContains(response, "1.250.000\N{NO-BREAK SPACE}€")
    assertContains(response, "Sensoren an Kreuzungen melden den Verkehrsfluss.")
    assert "feedback/_section.html" in used_templates(response)


def test_measure_without_cost_says_it_is_not_estimated(client, strategy):
    f.make_measure(field=strategy.field, slug="ohne-kosten")
    response = client.get("/prozesse/digitalisierung/massnahmen/ohne-kosten/")
    assertContains(response, "noch nicht geschätzt")
    assertNotContains(response, "€")


def test_project_list_and_page_show_owner_status_dates_contact_and_labs(client, strategy):
    response = client.get("/projekte/")
    assertContains(response, "Parkleitsystem Innenstadt")
    assertContains(response, "Stadtwerke Heilbronn GmbH (Unternehmen)")

    response = client.get("/prozesse/digitalisierung/projekte/parkleitsystem/")
    assertContains(response, "<h1>Parkleitsystem Innenstadt</h1>", html=True)
    assertContains(response, "laufend")
    assertContains(response, '<time datetime="2024-05-01">01.05.2024</time>', html=True)
    assertContains(response, '<time datetime="2026-04-30">30.04.2026</time>', html=True)
    assertContains(response, '<a href="mailto:parken@example.org">parken@example.org</a>', html=True)
    assertContains(response, "Erika Mustermann")
    assertContains(
        response, '<a href="/prozesse/digitalisierung/reallabore/marktplatz/">Reallabor Marktplatz</a>', html=True
    )
    assert "feedback/_section.html" in used_templates(response)


def test_lab_list_and_page_show_area_tests_and_projects(client, strategy):
    response = client.get("/reallabore/")
    assertContains(response, "Reallabor Marktplatz")
    assertContains(response, "Rund um den Marktplatz und die Kaiserstraße")

    response = client.get("/prozesse/digitalisierung/reallabore/marktplatz/")
    assertContains(response, "<h1>Reallabor Marktplatz</h1>", html=True)
    assertContains(response, "Rund um den Marktplatz und die Kaiserstraße")
    assertContains(response, "Sensoren zählen freie Parkplätze.")
    assertContains(
        response,
        '<a href="/prozesse/digitalisierung/projekte/parkleitsystem/">Parkleitsystem Innenstadt</a>',
        html=True,
    )
    assert "feedback/_section.html" in used_templates(response)


def test_about_page_explains_participation_and_data_protection(client, db):
    response = client.get("/ueber/")
    assertContains(response, "<h1>Über den Prozess</h1>", html=True)
    for heading in ("Informieren", "Workshops mit Expertinnen und Experten", "Befragungen", "nachzählbar"):
        assertContains(response, heading)
    assertContains(response, 'id="datenschutz"')
    assertContains(response, 'id="impressum"')
