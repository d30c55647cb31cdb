"""The map: living labs with their outline, projects with a place and feedback placed inside
a lab, as GeoJSON (RFC 7946: [longitude, latitude], closed rings) in the API and in the
pages, with the list beside it; a place outside the lab, half a place or a place on
something that is not a lab is refused and stores nothing; the tile server is configurable
and joins the CSP only when set."""

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from participation import actions, geo
from participation.models import Feedback
from tests import factories

# Reallabor Neckarbogen's outline in the demo data ([latitude, longitude]).
NECKARBOGEN = [[49.1522, 9.2068], [49.1526, 9.2118], [49.1494, 9.2132], [49.1468, 9.2102], [49.1476, 9.2062]]
INSIDE = ("49.14990", "9.20950")
OUTSIDE = ("49.14180", "9.21980")  # the city centre, another lab


@pytest.fixture
def scene(db):
    process = factories.make_process(slug="hn")
    lab = factories.make_lab(process, title="Neckarbogen", boundary=NECKARBOGEN)
    project = factories.make_project(process, title="Quartierspeicher", latitude=Decimal("49.15010"), longitude=9.2099)
    lab.projects.add(project)
    elsewhere = factories.make_project(process, title="Bürgeramt", latitude=Decimal("49.14206"), longitude=9.21916)
    factories.make_project(process, title="Ohne Ort")
    factories.make_project(process, title="Intern", public=False, latitude=Decimal("49.1"), longitude=9.2)
    factories.make_lab(process, title="Entwurf", published=False)
    citizen = factories.make_user()
    return process, lab, project, elsewhere, citizen


def test_inside_follows_the_even_odd_rule_on_a_concave_outline():
    # A "U": the notch between the arms is outside.
    u_shape = [[0, 0], [0, 3], [3, 3], [3, 2], [1, 2], [1, 1], [3, 1], [3, 0]]
    assert geo.inside((0.5, 0.5), u_shape) and geo.inside((2, 2.5), u_shape) and geo.inside((2, 0.5), u_shape)
    assert not geo.inside((2, 1.5), u_shape) and not geo.inside((4, 1), u_shape) and not geo.inside((-1, 1), u_shape)


def test_the_api_gives_geojson_of_what_is_public(client, scene):
    process, lab, project, elsewhere, citizen = scene
    actions.post_feedback(citizen, lab, "Hier fehlt eine Bank.", *INSIDE)
    hidden = actions.post_feedback(citizen, lab, "Ausgeblendet", *INSIDE)
    Feedback.objects.filter(pk=hidden.pk).update(status="hidden")

    data = client.get("/api/map/").json()
    assert data["type"] == "FeatureCollection"
    by_kind = {}
    for feature in data["features"]:
        by_kind.setdefault(feature["properties"]["kind"], []).append(feature)
    (area,) = by_kind["lab"]
    assert area["geometry"]["type"] == "Polygon"
    ring = area["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] == [9.2068, 49.1522] and len(ring) == 6
    assert sorted(f["properties"]["title"] for f in by_kind["project"]) == ["Bürgeramt", "Quartierspeicher"]
    (place,) = by_kind["feedback"]
    assert place["geometry"] == {"type": "Point", "coordinates": [9.2095, 49.1499]}
    assert place["properties"]["summary"] == "Hier fehlt eine Bank."
    assert place["properties"]["url"] == f"{lab.get_absolute_url()}#rueckmeldung-{place['properties']['id']}"

    one_lab = client.get(f"/api/map/?lab={lab.pk}").json()
    # The lab, its project and the feedback placed in it (titled by its lab); not the Bürgeramt.
    assert sorted(f["properties"]["title"] for f in one_lab["features"]) == [
        "Neckarbogen",
        "Neckarbogen",
        "Quartierspeicher",
    ]
    assert client.get("/api/map/?process=hn").json() == data
    for query, status in (("lab=abc", 400), ("lab=²", 400), ("process=a%00b", 400), ("lab=999999", 404)):
        assert client.get(f"/api/map/?{query}").status_code == status, query
    draft = factories.make_lab(process, published=False)
    assert client.get(f"/api/map/?lab={draft.pk}").status_code == 404
    assert client.get("/api/map/?process=gibt-es-nicht").status_code == 404
    # The places are also in the lists of the API.
    assert {p["title"]: p["latitude"] for p in client.get("/api/projects/").json()["results"]}["Bürgeramt"] == 49.14206
    feedback = client.get(f"/api/feedback/?lab={lab.pk}").json()["results"]
    assert [(f["latitude"], f["longitude"]) for f in feedback] == [(49.1499, 9.2095)]


def test_feedback_is_placed_inside_its_lab_only(scene):
    process, lab, project, elsewhere, citizen = scene
    client = Client()
    client.force_login(citizen)
    url = f"/rueckmeldungen/lab/{lab.pk}/"
    refused = [
        (OUTSIDE, "Der Ort liegt nicht im Gebiet des Reallabors."),
        (("49.1499", ""), "Der Ort auf der Karte ist unvollständig oder ungültig."),
        (("nord", "9.2"), "Der Ort auf der Karte ist unvollständig oder ungültig."),
        (("91", "9.2"), "Der Ort auf der Karte ist unvollständig oder ungültig."),
        (("NaN", "9.2"), "Der Ort auf der Karte ist unvollständig oder ungültig."),
    ]
    for (latitude, longitude), message in refused:
        response = client.post(url, {"text": "Hier bitte", "latitude": latitude, "longitude": longitude})
        assert response.status_code == 400 and message in response.content.decode(), (latitude, longitude)
    assert not Feedback.objects.exists()

    response = client.post(url, {"text": "Hier bitte", "latitude": "49,1499", "longitude": INSIDE[1]})
    assert response.status_code == 302
    (placed,) = Feedback.objects.all()
    assert (placed.latitude, placed.longitude) == (Decimal("49.14990"), Decimal("9.20950"))
    page = client.get(lab.get_absolute_url()).content.decode()
    assert "Ort im Reallabor:" in page and "49.14990, 9.20950" in page
    assert client.get("/konto/daten/").json()["feedback"][0]["place"] == {"latitude": 49.1499, "longitude": 9.2095}

    measure = factories.make_measure(process)
    with pytest.raises(ValidationError):
        actions.post_feedback(citizen, measure, "Ort?", *INSIDE)
    # A lab without an outline takes places near its point.
    point_only = factories.make_lab(process, boundary=[])
    assert actions.post_feedback(citizen, point_only, "Nah", "49.14500", "9.21500").located
    with pytest.raises(ValidationError):
        actions.post_feedback(citizen, point_only, "Fern", "49.16000", "9.25000")


def test_the_map_page_says_in_its_list_what_the_map_shows(client, scene, settings):
    process, lab, project, elsewhere, citizen = scene
    actions.post_feedback(citizen, lab, "Eine Bank <b>hier</b>", *INSIDE)
    settings.MAP_TILES_URL = "https://kacheln.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILES_ORIGIN = "https://kacheln.example.org"
    response = client.get("/karte/")
    html = response.content.decode()
    for text in ("Neckarbogen", "Quartierspeicher", "Bürgeramt", "Eine Bank &lt;b&gt;hier&lt;/b&gt;"):
        assert text in html
    assert "Ohne Ort" not in html and "Intern" not in html and "Entwurf" not in html
    assert 'data-tiles="https://kacheln.example.org/{z}/{x}/{y}.png"' in html
    assert "img-src 'self' data: https://kacheln.example.org;" in response["Content-Security-Policy"]
    assert '"type": "FeatureCollection"' in html  # the GeoJSON the script draws from

    settings.MAP_TILES_URL = settings.MAP_TILES_ORIGIN = ""
    response = client.get(lab.get_absolute_url())
    assert 'data-tiles=""' in response.content.decode()
    assert "img-src 'self' data:;" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "value",
    ["javascript:alert(1)//{z}{x}{y}", "https://tiles.example.org/tile.png", 'https://x.org/{z}/{x}/{y}.png"><b>'],
)
def test_a_bad_tile_url_stops_the_start(value):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env={"PATH": "/usr/bin:/bin", "DEBUG": "1", "MAP_TILES_URL": value},
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0 and "is not a tile URL" in result.stderr
