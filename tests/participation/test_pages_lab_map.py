"""A living lab's place: coordinates, a link to OpenStreetMap and an inline sketch of its boundary."""

import re
from decimal import Decimal

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from participation.models import LivingLab
from participation.templatetags.pages import outline_shape
from tests import factories as f

SQUARE = [[49.1440, 9.2170], [49.1440, 9.2230], [49.1400, 9.2230], [49.1400, 9.2170]]


@pytest.fixture
def lab(db):
    process = f.make_process(slug="digital")
    return f.make_lab(
        process, slug="bildungscampus", latitude=Decimal("49.14205"), longitude=Decimal("9.22011"), boundary=SQUARE
    )


def test_lab_links_to_openstreetmap_at_its_coordinates(client, lab):
    response = client.get("/prozesse/digital/reallabore/bildungscampus/")
    assertContains(
        response,
        'href="https://www.openstreetmap.org/?mlat=49.14205&amp;mlon=9.22011#map=16/49.14205/9.22011"',
    )


def test_osm_link_uses_a_dot_in_english_and_german_alike(client, lab):
    for path in ("/prozesse/digital/reallabore/bildungscampus/", "/en/prozesse/digital/reallabore/bildungscampus/"):
        assertContains(client.get(path), "mlat=49.14205&amp;mlon=9.22011")


def test_coordinates_are_shown_in_the_local_number_format(client, lab):
    assertContains(client.get("/prozesse/digital/reallabore/bildungscampus/"), "49,14205°")
    assertContains(client.get("/en/prozesse/digital/reallabore/bildungscampus/"), "49.14205°")


def test_boundary_is_drawn_as_inline_svg_without_map_tiles(client, lab):
    html = client.get("/prozesse/digital/reallabore/bildungscampus/").content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg
    assert "<title" in svg
    points = re.search(r'<polygon[^>]*points="([^"]+)"', svg).group(1).split()
    assert len(points) == 4
    assert "<circle" in svg  # the centre marker
    # The sketch is what a browser without script shows: no tiles, no images.
    assert re.search(r"<noscript>\s*<figure", html)
    assert "tile" not in svg.lower()
    assert "<img" not in svg


def test_no_sketch_without_boundary(client, lab):
    LivingLab.objects.filter(pk=lab.pk).update(boundary=[])
    response = client.get("/prozesse/digital/reallabore/bildungscampus/")
    assertNotContains(response, "<svg")
    assertContains(response, "openstreetmap.org")


@pytest.mark.parametrize(
    "boundary",
    [
        [[49.1, 9.2], [49.2, 9.2]],
        [["49.1", "9.2"], ["x", None], [1]],
        {"type": "Polygon"},
        "nonsense",
        [[49.1, 9.2], [49.2, 9.2], [95, 9.3]],
    ],
)
def test_a_broken_boundary_does_not_break_the_page(client, lab, boundary):
    # Saved past the model validation, e.g. by a script.
    LivingLab.objects.filter(pk=lab.pk).update(boundary=boundary)
    response = client.get("/prozesse/digital/reallabore/bildungscampus/")
    assert response.status_code == 200
    assertNotContains(response, "<polygon")
    # The map shows the lab at its point instead.
    (area,) = [f for f in client.get("/api/map/").json()["features"] if f["properties"]["kind"] == "lab"]
    assert area["geometry"]["type"] == "Point"


def test_sketch_is_north_up_and_inside_the_box():
    shape = outline_shape(SQUARE, (49.142, 9.220), width=320, height=240)
    corners = [tuple(map(float, p.split(","))) for p in shape["points"].split()]
    north_west, north_east, south_east, _south_west = corners
    assert north_west[1] < south_east[1]  # north is up
    assert north_west[0] < north_east[0]  # east is right
    assert all(0 <= x <= 320 and 0 <= y <= 240 for x, y in corners)
    assert corners[0][0] < float(shape["marker_x"]) < corners[1][0]
