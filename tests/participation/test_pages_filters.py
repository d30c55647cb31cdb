"""The filter forms on the measure and project lists narrow the list; bad values never break the page."""

from types import SimpleNamespace

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from participation.models import MeasureOrigin, MeasureStatus, OwnerKind, ProjectStatus
from participation.views import PAGE_SIZE
from tests import factories as f


@pytest.fixture
def catalogue(db):
    process = f.make_process(slug="digital")
    other = f.make_process(slug="anderer-prozess")
    mobility = f.make_field(process, title="Mobilität")
    energy = f.make_field(process, title="Energie")
    f.make_measure(
        field=mobility,
        title="Ampelsteuerung",
        status=MeasureStatus.PLANNED,
        origin=MeasureOrigin.CATALOGUE,
        summary="Grüne Welle",
    )
    f.make_measure(
        field=energy,
        title="Solarkataster",
        status=MeasureStatus.DONE,
        origin=MeasureOrigin.CITIZEN,
        description_en="A map of rooftops for solar panels",
    )
    f.make_measure(process=other, title="Bürgerportal", status=MeasureStatus.PLANNED, origin=MeasureOrigin.WORKSHOP)
    f.make_project(
        field=mobility,
        title="Verkehrsrechner",
        owner_kind=OwnerKind.CITY,
        owner_organisation="Amt für Straßenwesen",
        status=ProjectStatus.RUNNING,
    )
    f.make_project(
        field=energy,
        title="Smart Meter Rollout",
        owner_kind=OwnerKind.COMPANY,
        owner_organisation="Stadtwerke Heilbronn",
        status=ProjectStatus.PLANNED,
    )
    return SimpleNamespace(process=process, other=other, mobility=mobility, energy=energy)


def shown(response, *titles):
    return {title for title in titles if title in response.content.decode()}


MEASURES = ("Ampelsteuerung", "Solarkataster", "Bürgerportal")
PROJECTS = ("Verkehrsrechner", "Smart Meter Rollout")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", set(MEASURES)),
        ("?status=planned", {"Ampelsteuerung", "Bürgerportal"}),
        ("?origin=citizen", {"Solarkataster"}),
        ("?process=anderer-prozess", {"Bürgerportal"}),
        ("?q=grüne+welle", {"Ampelsteuerung"}),
        ("?q=rooftops", {"Solarkataster"}),  # the English text is searched too
        ("?status=planned&origin=workshop", {"Bürgerportal"}),
    ],
)
def test_measure_filters_narrow_the_list(client, catalogue, query, expected):
    response = client.get(f"/massnahmen/{query}")
    assert response.status_code == 200
    assert shown(response, *MEASURES) == expected


def test_measure_filter_by_field(client, catalogue):
    response = client.get(f"/massnahmen/?field={catalogue.energy.pk}")
    assert shown(response, *MEASURES) == {"Solarkataster"}
    assertContains(response, f'<option value="{catalogue.energy.pk}" selected>', count=1)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?owner_kind=company", {"Smart Meter Rollout"}),
        ("?owner_organisation=Amt+f%C3%BCr+Stra%C3%9Fenwesen", {"Verkehrsrechner"}),
        ("?status=running", {"Verkehrsrechner"}),
        ("?q=meter", {"Smart Meter Rollout"}),
    ],
)
def test_project_filters_narrow_the_list(client, catalogue, query, expected):
    response = client.get(f"/projekte/{query}")
    assert response.status_code == 200
    assert shown(response, *PROJECTS) == expected


def test_project_filter_by_field_and_owner_choices(client, catalogue):
    response = client.get(f"/projekte/?field={catalogue.mobility.pk}")
    assert shown(response, *PROJECTS) == {"Verkehrsrechner"}
    assertContains(response, '<option value="Stadtwerke Heilbronn">Stadtwerke Heilbronn</option>', html=True)


@pytest.mark.parametrize(
    ("path", "query", "bad_field", "titles"),
    [
        ("/massnahmen/", "?status=erfunden", "status", MEASURES),
        ("/massnahmen/", "?origin=%3Cb%3E", "origin", MEASURES),
        ("/massnahmen/", "?field=abc", "field", MEASURES),
        ("/massnahmen/", "?field=999999", "field", MEASURES),
        ("/massnahmen/", "?process=gibt-es-nicht", "process", MEASURES),
        ("/massnahmen/", "?q=" + "x" * 500, "q", MEASURES),
        ("/projekte/", "?owner_kind=verein", "owner_kind", PROJECTS),
        ("/projekte/", "?owner_organisation=Unbekannt+AG", "owner_organisation", PROJECTS),
        ("/projekte/", "?status=ewig", "status", PROJECTS),
    ],
)
def test_bad_filter_value_is_reported_and_ignored(client, catalogue, path, query, bad_field, titles):
    response = client.get(path + query)
    assert response.status_code == 200
    assertContains(response, "Einige Angaben konnten nicht verwendet werden")
    assertContains(response, f'id="id_{bad_field}_error"')
    assert shown(response, *titles) == set(titles)


def test_bad_value_does_not_drop_the_good_filters(client, catalogue):
    response = client.get("/massnahmen/?status=planned&origin=erfunden")
    assert shown(response, *MEASURES) == {"Ampelsteuerung", "Bürgerportal"}


def test_no_match_says_so(client, catalogue):
    response = client.get("/massnahmen/?q=Raumfahrt")
    assertContains(response, "0 Maßnahmen")
    assertContains(response, "Keine Maßnahmen gefunden.")


def test_long_lists_are_paged_and_a_bad_page_number_shows_a_page(client, db):
    process = f.make_process()
    for n in range(PAGE_SIZE + 2):
        f.make_measure(process=process, title=f"Maßnahme Nummer {n:03d}")
    first = client.get("/massnahmen/?status=proposed")
    assertContains(first, "Maßnahme Nummer 000")
    assertNotContains(first, f"Maßnahme Nummer {PAGE_SIZE + 1:03d}")
    # The link to the next page keeps the filter.
    assertContains(first, 'href="?status=proposed&amp;page=2"')

    second = client.get("/massnahmen/?status=proposed&page=2")
    assertContains(second, f"Maßnahme Nummer {PAGE_SIZE + 1:03d}")

    for page in ("abc", "-1", "99999"):
        assert client.get(f"/massnahmen/?page={page}").status_code == 200
