"""The maps in real Chromium: the map page and a living lab's page pass axe in German and
English at 360 and 1280 px with the map drawn (areas and places, no tiles) and no request
leaving 127.0.0.1; a citizen places feedback in the lab by a tap on the map and by the
keyboard; and with a tile server configured (one started here) the map shows its tiles."""

import struct
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.workshops.live_site import LiveSite, free_port, manage

from .conftest import DEMO_CITIZEN, DEMO_PROCESS
from .test_accountability_browser import sign_in
from .test_axe_pages import AXE, assert_accessible

pytestmark = pytest.mark.browser

LAB = f"/prozesse/{DEMO_PROCESS}/reallabore/reallabor-neckarbogen/"


def only_local(context):
    """Every request the pages of ``context`` make, to check where they go."""
    hosts = []
    context.on("request", lambda request: hosts.append(urlsplit(request.url).hostname))
    return hosts


def drawn(page):
    map_ = page.locator(".map--drawn")
    expect(map_).to_have_count(1)
    # The lab areas and the places are SVG paths Leaflet drew.
    expect(map_.locator("svg path").first).to_be_visible()
    return map_


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("width", [360, 1280])
def test_the_map_pages_are_accessible_without_tiles(demo, browser, language, width):
    context = browser.new_context(
        locale="de-DE" if language == "de" else "en-US", viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(10_000)
    context.add_init_script(AXE.axe_script)
    hosts = only_local(context)
    prefix = "/en" if language == "en" else ""
    try:
        page = context.new_page()
        page.goto(f"{demo.base}{prefix}/karte/")
        drawn(page)
        expect(page.locator(".map-list")).to_contain_text("Neckarbogen")
        assert_accessible(page, f"map page, {language}, {width} px")
        page.goto(f"{demo.base}{prefix}{LAB}")
        drawn(page)
        page.locator(".map-list summary").click()
        assert_accessible(page, f"lab page, {language}, {width} px")
        assert set(hosts) == {"127.0.0.1"}, hosts
    finally:
        context.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_a_citizen_places_feedback_in_the_lab_by_tap_and_by_keyboard(demo, browser, width):
    context, page = sign_in(browser, demo, *DEMO_CITIZEN, width=width)
    hosts = only_local(context)
    try:
        page.goto(f"{demo.base}{LAB}")
        map_ = drawn(page)
        latitude, longitude = page.get_by_label("Breitengrad"), page.get_by_label("Längengrad")
        expect(latitude).to_have_value("")
        box = map_.bounding_box()
        map_.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
        expect(latitude).not_to_have_value("")
        tapped = (latitude.input_value(), longitude.input_value())
        assert_accessible(page, f"lab page with a place picked, {width} px")
        text = f"Hier fehlt eine Bank ({width})."
        page.get_by_label("Ihre Rückmeldung").fill(text)
        page.get_by_role("button", name="Rückmeldung senden").click()
        item = page.locator(".feedback-item", has_text=text)
        expect(item.locator(".feedback-place")).to_contain_text(f"{tapped[0]}, {tapped[1]}")

        # By keyboard: the map moves with the arrow keys; its centre becomes the place.
        map_ = drawn(page)
        map_.focus()
        page.keyboard.press("ArrowUp")
        page.get_by_role("button", name="Kartenmitte als Ort wählen").focus()
        page.keyboard.press("Enter")
        expect(latitude).not_to_have_value("")
        assert latitude.input_value() != tapped[0]
        centre = (latitude.input_value(), longitude.input_value())
        keyed = f"Und hier ein Trinkbrunnen ({width})."
        page.get_by_label("Ihre Rückmeldung").fill(keyed)
        page.get_by_role("button", name="Rückmeldung senden").click()
        expect(page.locator(".feedback-item", has_text=keyed).locator(".feedback-place")).to_contain_text(
            f"{centre[0]}, {centre[1]}"
        )

        page.goto(f"{demo.base}/karte/")
        expect(page.locator(".map-list")).to_contain_text(text)
        expect(page.locator(".map-list")).to_contain_text(keyed)
        assert set(hosts) == {"127.0.0.1"}, hosts
    finally:
        context.close()


def one_pixel_png():
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8 bit, RGB
    pixels = zlib.compress(b"\x00\xcc\xdd\xee")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


class TileServer:
    """A tile server on 127.0.0.1: the same small PNG for every tile; it keeps the paths asked for."""

    def __init__(self):
        self.paths = []
        png, paths = one_pixel_png(), self.paths

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                paths.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(png)))
                self.end_headers()
                self.wfile.write(png)

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


LAB_SETUP = """
from participation.models import LivingLab, Process
process = Process.objects.get(pk={process})
LivingLab.objects.create(process=process, title="Reallabor Kacheltest", slug="kacheltest",
    latitude=49.1495, longitude=9.2095, boundary=[[49.1522, 9.2068], [49.1526, 9.2118], [49.1468, 9.2102]])
"""


def test_the_map_shows_the_tiles_of_the_configured_server(browser):
    tiles = TileServer()
    site = LiveSite()
    site.env["MAP_TILES_URL"] = f"http://127.0.0.1:{tiles.port}/kacheln/{{z}}/{{x}}/{{y}}.png"
    site.env["MAP_TILES_ATTRIBUTION"] = "© Kacheln der Stadt <Test>"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    errors = []
    try:
        (server,) = site.setup(names=("tiles",))
        manage(site.env, "shell", "-c", LAB_SETUP.format(process=site.process_id))
        page = context.new_page()
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto(f"{server.base}/karte/")
        drawn(page)
        expect(page.locator("img.leaflet-tile-loaded").first).to_be_attached()
        assert tiles.paths and all(path.startswith("/kacheln/") and path.endswith(".png") for path in tiles.paths)
        # The attribution is text, not markup.
        expect(page.locator(".leaflet-control-attribution")).to_have_text("© Kacheln der Stadt <Test>")
        assert not [e for e in errors if "Content Security Policy" in e], errors
    finally:
        context.close()
        site.close()
        tiles.close()
