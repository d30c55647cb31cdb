"""Frame times of the board canvas with 500 cards on a (simulated) mid-range phone.

    DEBUG=1 .venv/bin/python bench/board_frames.py --cards 500 --throttle 4

It starts one Daphne server on a fresh database (a temporary SQLite file, or a new
PostgreSQL database next to DATABASE_URL), puts ``--cards`` cards into ten cluster areas
(written straight into the database: what is measured is the browser, not the server),
and opens the board in headless Chromium at a phone's viewport (360 x 780 CSS px, device
scale factor 2, touch) with the CPU slowed down ``--throttle`` times (CDP
``Emulation.setCPUThrottlingRate``). Then, on the canvas view:

  load     from navigation until every card is drawn (ms)
  pan      a finger drags the background across the board, 60 touch moves
  pinch    two fingers zoom in and out
  drag     a finger drags a card across the board (card.drag frames go out meanwhile)
  zoom     the zoom buttons, in and out, ten times
  fit      "whole board" after each zoom step

During each phase a requestAnimationFrame loop records the time between frames;
reported are p50/p95/p99 and the longest frame, and the number of long frames (> 50 ms,
the RAIL limit for a response). Input is sent at ~60 Hz, as a finger does. Results go
to stdout (a Markdown table) and to ``--output`` as JSON.
"""

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))

from tests.workshops.live_site import LiveSite, Template, manage  # noqa: E402 (after the path above)

CHROMIUM = "/usr/bin/chromium"
LONG_FRAME_MS = 50

SEED = """
from workshops.models import Card, Cluster, Workshop
workshop = Workshop.objects.get(code="{code}")
cards, per_row, clusters = {cards}, 5, []
for index in range(10):
    x, y = (index % 5) * 1160, (index // 5) * 1500
    clusters.append(Cluster.objects.create(workshop=workshop, title=f"Thema {{index + 1}}", x=x, y=y, w=1120, h=1460))
colors = ["yellow", "blue", "green", "pink", "orange", "purple"]
Card.objects.bulk_create([
    Card(
        workshop=workshop,
        cluster=clusters[i % 10],
        text=f"Idee {{i + 1}}: Mehr digitale Angebote für die Verwaltung, Nummer {{i + 1}} mit etwas längerem Text",
        color=colors[i % 6],
        x=clusters[i % 10].x + 10 + ((i // 10) % per_row) * 220,
        y=clusters[i % 10].y + 50 + ((i // 10) // per_row) * 140,
    )
    for i in range(cards)
])
print(Card.objects.filter(workshop=workshop).count())
"""

# Records requestAnimationFrame deltas until stopped.
# Each loop keeps its own record: a loop of the previous phase stops at its next frame
# even if the next phase has begun meanwhile (else two loops shared one record, and every
# other delta was 0).
RECORDER = """
(() => {
const f = { deltas: [], last: null, on: true };
window.__frames = f;
(function tick(now) {
  if (!f.on) return;
  if (f.last !== null) f.deltas.push(now - f.last);
  f.last = now;
  requestAnimationFrame(tick);
})(performance.now());
})();
"""


def percentile(values, share):
    ordered = sorted(values)
    if not ordered:
        return None
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def summary(deltas):
    return {
        "frames": len(deltas),
        "p50_ms": round(percentile(deltas, 0.5), 1),
        "p95_ms": round(percentile(deltas, 0.95), 1),
        "p99_ms": round(percentile(deltas, 0.99), 1),
        "max_ms": round(max(deltas), 1),
        "long_frames": sum(1 for d in deltas if d > LONG_FRAME_MS),
        "mean_fps": round(1000 / statistics.mean(deltas), 1),
    }


def measure(page, work):
    page.evaluate(RECORDER)
    page.wait_for_timeout(100)
    work()
    page.wait_for_timeout(300)
    deltas = page.evaluate("(() => { window.__frames.on = false; return window.__frames.deltas; })()")
    return summary(deltas[1:] or deltas)


def run(args):
    if args.base:
        return measure_board(args, args.base, args.code)
    site = LiveSite()
    try:
        # As LiveSite.setup, with more time to boot on a busy machine.
        template = Template.get()
        site.database.create(template=template.database)
        site.process_id, site.token = template.process_id, template.token
        server = site._spawn("frames").wait_ready(timeout=180)
        code = site.create_workshop(server, "Board mit vielen Karten")
        count = manage(site.env, "shell", "-c", SEED.format(code=code, cards=args.cards)).strip().splitlines()[-1]
        print(f"workshop {code} with {count} cards on {server.base}", file=sys.stderr)
        return measure_board(args, server.base, code)
    finally:
        site.close()
        Template.drop()


def measure_board(args, base, code):
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        context = browser.new_context(
            locale="de-DE",
            viewport={"width": 360, "height": 780},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
        )
        context.add_init_script("localStorage.setItem('workshop-board-view', 'canvas')")
        page = context.new_page()
        page.set_default_timeout(120_000)
        page.on("framenavigated", lambda frame: print(f"navigated to {frame.url}", file=sys.stderr))
        page.goto(f"{base}/w/{code}/")
        page.get_by_label("Ihr Name").fill("Telefon")
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": args.throttle})
        started = time.perf_counter()
        page.get_by_role("button", name="Beitreten").click()
        page.wait_for_url(re.compile(r"/board/$"), wait_until="commit")
        # Polled from here: the page's CSP forbids the string evaluation of wait_for_function.
        while True:
            try:
                if page.evaluate("document.querySelectorAll('.wc-card').length") >= args.cards:
                    break
            except Error:
                pass  # the page is still navigating
            time.sleep(0.02)
        load_ms = (time.perf_counter() - started) * 1000
        page.locator("#ws-canvas-viewport").scroll_into_view_if_needed()
        page.wait_for_timeout(1000)
        box = page.locator("#ws-canvas-viewport").bounding_box()
        print(f"canvas at {box}", file=sys.stderr)
        if os.environ.get("BOARD_FRAMES_SHOT"):
            page.screenshot(path=os.environ["BOARD_FRAMES_SHOT"])
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

        def touch(kind, points):
            cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

        def finger_path(x0, y0, x1, y1, steps=60):
            touch("touchStart", [{"x": x0, "y": y0}])
            for step in range(1, steps + 1):
                x = x0 + (x1 - x0) * step / steps
                y = y0 + (y1 - y0) * step / steps
                touch("touchMove", [{"x": x, "y": y}])
                time.sleep(1 / 60)
            touch("touchEnd", [])

        def pan():
            # Zoomed in first, so that the background is there to grab between cards.
            page.evaluate("document.querySelector('[data-zoom=in]').click()")
            for _ in range(2):
                finger_path(cx + 120, cy + 150, cx - 120, cy - 150)
                finger_path(cx - 120, cy - 150, cx + 120, cy + 150)

        def pinch():
            for spread in ((40, 140), (140, 40)):
                a, b = spread
                touch("touchStart", [{"x": cx - a, "y": cy, "id": 1}, {"x": cx + a, "y": cy, "id": 2}])
                for step in range(1, 41):
                    d = a + (b - a) * step / 40
                    touch("touchMove", [{"x": cx - d, "y": cy, "id": 1}, {"x": cx + d, "y": cy, "id": 2}])
                    time.sleep(1 / 60)
                touch("touchEnd", [])

        def drag():
            page.evaluate("document.querySelector('[data-zoom=fit]').click()")
            page.wait_for_timeout(300)
            for _ in range(3):
                card = page.locator(".wc-card").nth(0).bounding_box()
                x, y = card["x"] + card["width"] / 2, card["y"] + card["height"] / 2
                finger_path(x, y, cx + 60, cy + 120)
                page.wait_for_timeout(300)

        def zoom():
            for _ in range(5):
                page.evaluate("document.querySelector('[data-zoom=in]').click()")
                page.wait_for_timeout(120)
            for _ in range(5):
                page.evaluate("document.querySelector('[data-zoom=out]').click()")
                page.wait_for_timeout(120)

        def fit():
            for _ in range(5):
                page.evaluate("document.querySelector('[data-zoom=in]').click()")
                page.wait_for_timeout(80)
                page.evaluate("document.querySelector('[data-zoom=fit]').click()")
                page.wait_for_timeout(120)

        results = {
            "cards": args.cards,
            "throttle": args.throttle,
            "load_ms": round(load_ms),
            # Other work on the machine slows the browser too: read the figures with it.
            "loadavg_1min": round(os.getloadavg()[0], 2),
            "cpus": os.cpu_count(),
        }
        for name, work in (("pan", pan), ("pinch", pinch), ("drag", drag), ("zoom", zoom), ("fit", fit)):
            results[name] = measure(page, work)
        errors = page.evaluate("document.getElementById('ws-error').textContent")
        results["board_error"] = errors or None
        browser.close()
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, default=500)
    parser.add_argument("--throttle", type=float, default=4)
    parser.add_argument("--base", help="measure a running server's board instead (with --code)")
    parser.add_argument("--code", help="the workshop code on --base; it needs --cards cards")
    parser.add_argument("--output", default=os.environ.get("BOARD_FRAMES_OUTPUT", "board_frames.json"))
    args = parser.parse_args()
    results = run(args)
    print(f"Board with {results['cards']} cards, CPU throttled {results['throttle']:g}x, 360x780 px phone")
    print(f"load until every card is drawn: {results['load_ms']} ms")
    print(f"machine: {results['cpus']} CPUs, load average {results['loadavg_1min']} while measuring\n")
    print("| phase | frames | p50 ms | p95 ms | p99 ms | max ms | frames > 50 ms | mean fps |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name in ("pan", "pinch", "drag", "zoom", "fit"):
        r = results[name]
        print(
            f"| {name} | {r['frames']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {r['max_ms']} "
            f"| {r['long_frames']} | {r['mean_fps']} |"
        )
    Path(args.output).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
