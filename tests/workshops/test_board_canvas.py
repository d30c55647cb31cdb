"""The board as a shared canvas, in real Chromium against one live server: a card dragged
with the mouse on one screen lands (position and cluster) on the other, a touch drag, a
keyboard move and the "move to" menu, zoom and pan, a cluster carried with its cards, the
list/canvas switch showing the same board, a drop while a screen is offline and its resync,
and axe at 0 violations on the canvas at 360 and 1280 px."""

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import browser, live  # noqa: F401 (fixtures)
from tests.e2e.test_axe_pages import AXE, assert_accessible
from tests.workshops.live_site import LiveClient

pytestmark = pytest.mark.browser

CLUSTERS = [("Verkehr", 40, 40, 680, 440), ("Bürgerservice", 780, 40, 680, 440)]
CARDS = [
    ("Ampeln nach Verkehrslage steuern", 60, 90, "Verkehr"),
    ("Termine online buchen", 800, 90, "Bürgerservice"),
    ("Freie Parkplätze anzeigen", 60, 560, None),
    ("Schlaglöcher per Foto melden", 300, 560, None),
    ("Offene Daten für alle", 540, 560, None),
]


def run_async(coroutine):
    # Playwright's sync API keeps an event loop running in this thread: use another one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=60)


def prepare(live):  # noqa: F811
    """A workshop whose experts may cluster, two cluster areas and five cards placed by the
    facilitator over a real socket; {name: id} of clusters and cards."""
    code = live.workshop(title="Board als Fläche", participants_may_cluster=True)

    async def run():
        joined = live.site.join(live.server, code, "Moderation", token=live.site.token)
        client = await LiveClient("moderation", joined["ticket"]).connect(live.server, code)
        ids = {}
        try:
            await client.wait_for(lambda f: f["type"] == "snapshot")

            async def event_of(ack):
                assert ack["type"] == "ack", ack
                return await client.wait_for(lambda f: f["type"] == "event" and f["seq"] == ack["seq"])

            for title, x, y, w, h in CLUSTERS:
                added = await event_of(await client.command("cluster.add", title=title))
                ids[title] = added["data"]["id"]
                await event_of(await client.command("cluster.move", cluster=ids[title], x=x, y=y, w=w, h=h))
            for text, x, y, cluster in CARDS:
                fields = {"text": text, "x": x, "y": y, **({"cluster": ids[cluster]} if cluster else {})}
                added = await event_of(await client.command("card.add", **fields))
                ids[text] = added["data"]["id"]
        finally:
            await client.close()
        return code, ids

    return run_async(run())


def open_board(browser, live, code, name, viewport=None, **options):  # noqa: F811
    context = browser.new_context(
        locale="de-DE", viewport=viewport or {"width": 1280, "height": 900}, board_view=None, **options
    )
    context.set_default_timeout(10_000)
    context.add_init_script(AXE.axe_script)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    page.goto(f"{live.base}/w/{code}/")
    page.get_by_label("Ihr Name").fill(name)
    page.get_by_role("button", name="Beitreten").click()
    page.wait_for_url(re.compile(r"/board/$"), wait_until="commit")
    expect(page.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
    page.locator("#ws-board-title").scroll_into_view_if_needed()
    page.evaluate("document.getElementById('ws-board-title').scrollIntoView({block: 'start'})")
    return context, page


def card(page, card_id):
    return page.locator(f'.wc-card[data-card="{card_id}"]')


def place(page, card_id):
    """The card's drawn board position, from its transform."""
    transform = card(page, card_id).evaluate("el => el.style.transform")
    x, y = re.match(r"translate\((-?[\d.]+)px, (-?[\d.]+)px\)", transform).groups()
    return float(x), float(y)


def expect_place(page, card_id, x, y, timeout=10_000):
    expect(card(page, card_id)).to_have_attribute(
        "style", re.compile(rf"translate\({x:g}px, {y:g}px\)"), timeout=timeout
    )


def centre(box):
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def mouse_drag(page, source, target):
    page.mouse.move(*source)
    page.mouse.down()
    page.mouse.move(source[0] + 10, source[1] + 10, steps=2)
    page.mouse.move(*target, steps=12)
    page.mouse.up()


def layer_transform(page):
    return page.locator(".wc-layer").evaluate("el => el.style.transform")


def test_cards_and_clusters_move_live_between_screens(browser, live):  # noqa: F811
    code, ids = prepare(live)
    anna_context, anna = open_board(browser, live, code, "Anna")
    ben_context, ben = open_board(browser, live, code, "Ben")
    try:
        for page in (anna, ben):
            expect(page.get_by_role("button", name="Board", exact=True)).to_have_attribute("aria-pressed", "true")
            expect(page.locator(".wc-card")).to_have_count(len(CARDS))
            expect(page.locator("#ws-board")).to_be_hidden()
        parking = ids["Freie Parkplätze anzeigen"]
        expect_place(ben, parking, 60, 560)

        # The mouse: Anna drags a loose card into "Verkehr"; Ben sees where and in which cluster.
        target = centre(anna.locator(f'.wc-cluster[data-cluster="{ids["Verkehr"]}"]').bounding_box())
        mouse_drag(anna, centre(card(anna, parking).bounding_box()), (target[0] + 60, target[1] + 40))
        expect(card(ben, parking)).to_have_attribute("aria-label", re.compile("im Cluster „Verkehr“"))
        x, y = place(ben, parking)
        assert (x, y) == place(anna, parking)
        assert 40 <= x + 100 <= 720 and 40 <= y + 60 <= 480
        expect(ben.locator("#ws-announcer")).to_contain_text("nach „Verkehr“ verschoben")

        # The list shows the same board: the card under its cluster.
        ben.get_by_role("button", name="Liste", exact=True).click()
        expect(ben.locator("#ws-canvas")).to_be_hidden()
        section = ben.locator(f'.ws-cluster[data-cluster="{ids["Verkehr"]}"]')
        expect(section.locator(".ws-card", has_text="Freie Parkplätze anzeigen")).to_have_count(1)
        ben.get_by_role("button", name="Board", exact=True).click()
        expect(ben.locator("#ws-canvas")).to_be_visible()

        # The keyboard: three steps right (one with Shift), sent once as a single move.
        potholes = ids["Schlaglöcher per Foto melden"]
        card(ben, potholes).focus()
        ben.keyboard.press("ArrowRight")
        ben.keyboard.press("ArrowRight")
        ben.keyboard.press("Shift+ArrowDown")
        expect_place(ben, potholes, 340, 660)
        expect_place(anna, potholes, 340, 660)
        expect(anna.locator("#ws-announcer")).to_contain_text("Schlaglöcher per Foto melden")
        # Escape takes a move back before it is sent.
        ben.keyboard.press("ArrowUp")
        expect_place(ben, potholes, 340, 640)
        ben.keyboard.press("Escape")
        expect_place(ben, potholes, 340, 660)
        ben.wait_for_timeout(700)
        expect_place(anna, potholes, 340, 660)

        # "Verschieben nach …": Enter on the card opens the menu, a cluster puts it there.
        ben.keyboard.press("Enter")
        menu = ben.locator(".wc-menu")
        expect(menu).to_be_visible()
        expect(menu.get_by_role("button", name="Verkehr")).to_be_focused()
        menu.get_by_role("button", name="Bürgerservice").click()
        expect(menu).to_be_hidden()
        expect(card(ben, potholes)).to_be_focused()
        expect(card(anna, potholes)).to_have_attribute("aria-label", re.compile("im Cluster „Bürgerservice“"))
        x, y = place(anna, potholes)
        assert 780 <= x + 100 <= 1460 and 40 <= y + 60 <= 480

        # A cluster dragged by its label carries its cards.
        terms = ids["Termine online buchen"]
        before = place(ben, terms)
        label = anna.locator(f'.wc-cluster__label[data-cluster="{ids["Bürgerservice"]}"]')
        zoom = float(re.search(r"scale\(([\d.]+)\)", layer_transform(anna)).group(1))
        start = centre(label.bounding_box())
        mouse_drag(anna, start, (start[0], start[1] + 100 * zoom))
        expect(ben.locator(f'.wc-cluster[data-cluster="{ids["Bürgerservice"]}"]')).to_have_attribute(
            "style", re.compile(r"translate\(780px, 1\d\dpx\)")
        )
        after = place(ben, terms)
        assert after[0] == before[0] and 80 <= after[1] - before[1] <= 120

        # Zoom and pan: buttons, keys, Ctrl+wheel, dragging the background.
        before = layer_transform(ben)
        ben.get_by_role("button", name="Vergrößern").click()
        assert layer_transform(ben) != before
        label_text = ben.locator(".wc-zoom").text_content()
        ben.locator("#ws-canvas-viewport").focus()
        ben.keyboard.press("-")
        assert ben.locator(".wc-zoom").text_content() != label_text
        box = ben.locator("#ws-canvas-viewport").bounding_box()
        corner = (box["x"] + box["width"] - 20, box["y"] + box["height"] - 20)
        before = layer_transform(ben)
        mouse_drag(ben, corner, (corner[0] - 150, corner[1] - 100))
        assert layer_transform(ben) != before
        before = layer_transform(ben)
        ben.mouse.move(*corner)
        ben.keyboard.down("Control")
        ben.mouse.wheel(0, -200)
        ben.keyboard.up("Control")
        expect(ben.locator(".wc-layer")).not_to_have_attribute("style", before)
        ben.keyboard.press("0")

        # A drop while Ben is offline reaches him after the reconnect.
        offers = ids["Offene Daten für alle"]
        ben_context.set_offline(True)
        expect(ben.locator("#ws-connection")).to_contain_text("Verbindung unterbrochen")
        card(anna, offers).focus()
        anna.keyboard.press("Shift+ArrowRight")
        expect_place(anna, offers, 640, 560)
        anna.wait_for_timeout(800)
        expect_place(ben, offers, 540, 560)
        ben_context.set_offline(False)
        expect(ben.locator("#ws-connection")).to_contain_text("Wieder verbunden", timeout=15_000)
        expect_place(ben, offers, 640, 560)
        assert anna.errors == [] and ben.errors == []
    finally:
        anna_context.close()
        ben_context.close()


def test_a_touch_drag_and_the_canvas_on_a_phone_pass_axe(browser, live):  # noqa: F811
    code, ids = prepare(live)
    watcher_context, watcher = open_board(browser, live, code, "Clara")
    phone_context, phone = open_board(
        browser, live, code, "Dara", viewport={"width": 360, "height": 780}, has_touch=True, is_mobile=True
    )
    try:
        # A phone starts with the list; the switch brings the canvas and is remembered.
        expect(phone.get_by_role("button", name="Liste", exact=True)).to_have_attribute("aria-pressed", "true")
        expect(phone.locator("#ws-canvas")).to_be_hidden()
        assert_accessible(phone, "board list on a phone")
        phone.get_by_role("button", name="Board", exact=True).click()
        expect(phone.locator("#ws-canvas")).to_be_visible()
        assert_accessible(phone, "board canvas on a phone")
        phone.reload()
        expect(phone.get_by_role("button", name="Board", exact=True)).to_have_attribute("aria-pressed", "true")
        phone.locator("#ws-canvas-viewport").scroll_into_view_if_needed()

        # A finger drags a loose card into "Verkehr" (touch events, as a phone sends them).
        offers = ids["Offene Daten für alle"]
        source = centre(card(phone, offers).bounding_box())
        target = centre(phone.locator(f'.wc-cluster[data-cluster="{ids["Verkehr"]}"]').bounding_box())
        cdp = phone_context.new_cdp_session(phone)

        def touch(kind, x, y):
            points = [] if kind == "touchEnd" else [{"x": x, "y": y}]
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

        touch("touchStart", *source)
        for step in range(1, 11):
            touch(
                "touchMove",
                source[0] + (target[0] - source[0]) * step / 10,
                source[1] + (target[1] - source[1]) * step / 10,
            )
        touch("touchEnd", *target)
        expect(card(watcher, offers)).to_have_attribute("aria-label", re.compile("im Cluster „Verkehr“"))
        assert place(watcher, offers) == place(phone, offers)
        assert_accessible(watcher, "board canvas at 1280 px after a move")
        assert phone.errors == [] and watcher.errors == []
    finally:
        watcher_context.close()
        phone_context.close()


def test_reactions_likes_and_the_card_tools_from_a_cards_menu_on_the_canvas(browser, live):  # noqa: F811
    from tests.e2e.test_workshop_browser import login

    code, ids = prepare(live)
    offers = ids["Offene Daten für alle"]
    anna_context, anna = open_board(browser, live, code, "Anna")
    console_context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900}, board_view=None)
    console_context.set_default_timeout(10_000)
    console_context.add_init_script(AXE.axe_script)
    try:
        console = login(console_context, live)
        console.errors = []
        console.on("pageerror", lambda error: console.errors.append(str(error)))
        console.wait_for_url(lambda url: "anmelden" not in url, wait_until="commit")
        console.goto(f"{live.base}/w/{code}/console/")
        expect(console.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
        expect(card(console, offers)).to_be_visible()

        # An expert's menu: move, reactions and like, but none of the facilitator's tools.
        card(anna, offers).get_by_role("button", name=re.compile("^Aktionen")).click()
        menu = anna.locator(".wc-menu")
        expect(menu).to_be_visible()
        expect(menu.get_by_role("button", name="Sperren")).to_have_count(0)
        assert_accessible(anna, "a card's menu on the canvas (expert)")
        idea = menu.get_by_role("button", name="Gute Idee: 0")
        idea.click()
        expect(menu.get_by_role("button", name="Gute Idee: 1")).to_have_attribute("aria-pressed", "true")
        menu.get_by_role("button", name=re.compile("^Gefällt mir")).click()
        expect(menu.get_by_role("button", name="Gefällt mir (1)")).to_have_attribute("aria-pressed", "true")
        expect(card(console, offers).locator(".wc-card__meta")).to_contain_text("💡 1")
        expect(card(console, offers).locator(".wc-card__meta")).to_contain_text("1 Person gefällt das")
        anna.keyboard.press("Escape")
        expect(menu).to_be_hidden()
        expect(card(anna, offers).get_by_role("button", name=re.compile("^Aktionen"))).to_be_focused()

        # The facilitator locks and colours the card from its menu; Anna's canvas shows both.
        card(console, offers).get_by_role("button", name=re.compile("^Aktionen")).click()
        tools = console.locator(".wc-menu")
        tools.get_by_role("button", name="Sperren").click()
        expect(tools.get_by_role("button", name="Sperren")).to_have_attribute("aria-pressed", "true")
        tools.get_by_label("Farbe ändern").select_option("green")
        assert_accessible(console, "a card's menu on the canvas (facilitator)")
        expect(card(anna, offers)).to_have_class(re.compile(r"\bws-card--green\b"))
        expect(card(anna, offers)).to_have_class(re.compile(r"\bwc-card--locked\b"))
        expect(card(anna, offers).locator(".wc-card__meta")).to_contain_text("gesperrt")
        assert anna.errors == [] and console.errors == []
    finally:
        anna_context.close()
        console_context.close()


def cluster_size(page, cluster_id):
    style = page.locator(f'.wc-cluster[data-cluster="{cluster_id}"]').evaluate(
        "el => [el.style.width, el.style.height]"
    )
    return tuple(float(value.removesuffix("px")) for value in style)


def test_a_cluster_area_is_resized_by_its_corner_with_the_mouse_and_the_keys(browser, live):  # noqa: F811
    code, ids = prepare(live)
    traffic = ids["Verkehr"]
    anna_context, anna = open_board(browser, live, code, "Anna")
    ben_context, ben = open_board(browser, live, code, "Ben")
    try:
        expect(ben.locator(f'.wc-cluster[data-cluster="{traffic}"]')).to_have_attribute(
            "style", re.compile(r"width: 680px; height: 440px")
        )
        corner = anna.get_by_role("button", name=re.compile("^Größe von Cluster „Verkehr“ ändern"))
        zoom = float(re.search(r"scale\(([\d.]+)\)", layer_transform(anna)).group(1))
        start = centre(corner.bounding_box())
        mouse_drag(anna, start, (start[0] + 100 * zoom, start[1] + 60 * zoom))
        expect(ben.locator(f'.wc-cluster[data-cluster="{traffic}"]')).to_have_attribute(
            "style", re.compile(r"width: 78\dpx; height: 50\dpx")
        )
        width, height = cluster_size(ben, traffic)
        assert (width, height) == cluster_size(anna, traffic)

        # By keyboard: the corner takes the arrow keys, saved once they rest; screen readers hear it.
        corner.focus()
        anna.keyboard.press("ArrowLeft")
        anna.keyboard.press("Shift+ArrowUp")
        expect(ben.locator(f'.wc-cluster[data-cluster="{traffic}"]')).to_have_attribute(
            "style", re.compile(rf"width: {width - 20:g}px; height: {height - 100:g}px")
        )
        expect(ben.locator("#ws-announcer")).to_contain_text("Größe von Cluster „Verkehr“ geändert")
        # The cards stay where they are; a screen that joins now sees the new size.
        expect_place(ben, ids["Ampeln nach Verkehrslage steuern"], 60, 90)
        late_context, late = open_board(browser, live, code, "Cem")
        expect(late.locator(f'.wc-cluster[data-cluster="{traffic}"]')).to_have_attribute(
            "style", re.compile(rf"width: {width - 20:g}px; height: {height - 100:g}px")
        )
        late_context.close()
        assert anna.errors == [] and ben.errors == [] and late.errors == []
    finally:
        anna_context.close()
        ben_context.close()
