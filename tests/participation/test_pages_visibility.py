"""Unpublished processes, measures and labs and internal projects stay hidden: 404, not listed, not counted."""

from types import SimpleNamespace

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from tests import factories as f


@pytest.fixture
def world(db):
    public = f.make_process(slug="oeffentlich", title="Öffentlicher Prozess")
    field = f.make_field(public, slug="feld", title="Sichtbares Feld")
    f.make_measure(field=field, slug="sichtbar", title="Sichtbare Maßnahme")
    f.make_measure(field=field, slug="entwurf", title="Entwurfsmaßnahme", published=False)
    visible_project = f.make_project(field=field, slug="offen", title="Offenes Projekt")
    internal = f.make_project(
        field=field, slug="intern", title="Internes Projekt", public=False, owner_organisation="Geheimamt"
    )
    lab = f.make_lab(public, slug="labor", title="Sichtbares Labor")
    lab.projects.add(visible_project, internal)
    hidden_lab = f.make_lab(public, slug="verborgen", title="Verborgenes Labor", published=False)
    hidden_lab.projects.add(visible_project)

    draft = f.make_process(slug="entwurf", title="Prozessentwurf", published=False)
    draft_field = f.make_field(draft, slug="feld", title="Entwurfsfeld")
    f.make_measure(field=draft_field, slug="massnahme", title="Maßnahme im Entwurf")
    f.make_project(field=draft_field, slug="projekt", title="Projekt im Entwurf")
    f.make_lab(draft, slug="labor", title="Labor im Entwurf")
    return SimpleNamespace(public=public, draft=draft, field=field, draft_field=draft_field)


HIDDEN_TITLES = (
    "Entwurfsmaßnahme",
    "Internes Projekt",
    "Geheimamt",
    "Verborgenes Labor",
    "Prozessentwurf",
    "Entwurfsfeld",
    "Maßnahme im Entwurf",
    "Projekt im Entwurf",
    "Labor im Entwurf",
)


@pytest.mark.parametrize(
    "path",
    [
        "/prozesse/entwurf/",
        "/prozesse/entwurf/handlungsfelder/",
        "/prozesse/entwurf/handlungsfelder/feld/",
        "/prozesse/entwurf/massnahmen/massnahme/",
        "/prozesse/entwurf/projekte/projekt/",
        "/prozesse/entwurf/reallabore/labor/",
        "/prozesse/oeffentlich/massnahmen/entwurf/",
        "/prozesse/oeffentlich/projekte/intern/",
        "/prozesse/oeffentlich/reallabore/verborgen/",
        "/en/prozesse/oeffentlich/projekte/intern/",
        "/prozesse/gibt-es-nicht/",
        "/prozesse/oeffentlich/massnahmen/gibt-es-nicht/",
        "/prozesse/oeffentlich/handlungsfelder/gibt-es-nicht/",
        # A real slug under the wrong process.
        "/prozesse/entwurf/massnahmen/sichtbar/",
    ],
)
def test_hidden_or_unknown_things_give_404(client, world, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/", "/handlungsfelder/", "/massnahmen/", "/projekte/", "/reallabore/", "/prozesse/oeffentlich/"],
)
def test_hidden_things_are_not_listed(client, world, path):
    response = client.get(path)
    assert response.status_code == 200
    for title in HIDDEN_TITLES:
        assertNotContains(response, title)


def test_visible_things_are_listed(client, world):
    assertContains(client.get("/massnahmen/"), "Sichtbare Maßnahme")
    assertContains(client.get("/projekte/"), "Offenes Projekt")
    assertContains(client.get("/reallabore/"), "Sichtbares Labor")


def test_hidden_things_are_not_counted(client, world):
    home = client.get("/")
    assertContains(
        home, '<a href="/massnahmen/?process=oeffentlich"><span class="stats__number">1</span> Maßnahme</a>', html=True
    )
    assertContains(
        home, '<a href="/projekte/?process=oeffentlich"><span class="stats__number">1</span> Projekt</a>', html=True
    )
    assertContains(home, '<span class="stats__number">1</span> Reallabor', html=True)
    # The field card counts only the visible measure and project.
    assertContains(home, "1 Maßnahme,")
    assertContains(client.get("/massnahmen/"), "1 Maßnahme")
    assertContains(client.get("/projekte/"), "1 Projekt")


def test_lab_and_project_pages_link_only_public_things(client, world):
    lab = client.get("/prozesse/oeffentlich/reallabore/labor/")
    assertContains(lab, "Offenes Projekt")
    assertNotContains(lab, "Internes Projekt")

    project = client.get("/prozesse/oeffentlich/projekte/offen/")
    assertContains(project, "Sichtbares Labor")
    assertNotContains(project, "Verborgenes Labor")

    field = client.get("/prozesse/oeffentlich/handlungsfelder/feld/")
    assertNotContains(field, "Internes Projekt")
    assertNotContains(field, "Entwurfsmaßnahme")


def test_filters_cannot_reach_hidden_things(client, world):
    response = client.get(f"/massnahmen/?field={world.draft_field.pk}")
    assertContains(response, 'id="id_field_error"')
    assertNotContains(response, "Maßnahme im Entwurf")

    response = client.get("/projekte/?owner_organisation=Geheimamt")
    assertContains(response, 'id="id_owner_organisation_error"')
    assertNotContains(response, "Internes Projekt")

    response = client.get("/massnahmen/?process=entwurf")
    assertContains(response, 'id="id_process_error"')
