"""The results pages on a phone (360 px) and a desktop (1280 px): no page scrolls
sideways, a table wider than the screen scrolls in its own focusable, named box with
its caption in view, and the ranking chart shows every measure's name whole, inside
the chart (long names wrap; the <title> of each row holds the full text).

Uses the shared demo server of tests/e2e/conftest.py (its own database); the demo's
published poll has measures with long names ("Mängelmelder für Schlaglöcher, Müll und
defekte Laternen"). Screenshots go to test-artifacts/screenshots/.
"""

import pytest

from .test_screenshots import shoot

pytestmark = pytest.mark.browser

WIDTHS = (360, 1280)

# What sticks out of the screen, and whether each scrolling box is focusable and named.
LAYOUT = """() => {
  const width = document.documentElement.clientWidth;
  const scroller = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return p;
    }
    return null;
  };
  const nameOf = (box) => {
    const ids = (box.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
    const named = ids.map((id) => document.getElementById(id)?.textContent.trim() || '').join(' ');
    const caption = box.tagName === 'FIGURE' ? box.querySelector('figcaption')?.textContent.trim() : '';
    return named || box.getAttribute('aria-label') || caption || '';
  };
  const wide = [...document.body.querySelectorAll('*')].filter((el) => {
    if (!el.getClientRects().length || el.closest('.visually-hidden, .skip-link')) return false;
    return el.getBoundingClientRect().right > width + 1;
  });
  const unboxed = wide.filter((el) => !scroller(el)).map((el) => el.outerHTML.slice(0, 100));
  const boxes = [...new Set(wide.map(scroller).filter(Boolean))].map((box) => ({
    html: box.outerHTML.slice(0, 80),
    focusable: box.tabIndex === 0,
    name: nameOf(box),
  }));
  const captions = [...document.querySelectorAll('caption')]
    .filter((c) => c.getBoundingClientRect().right > width + 1)
    .map((c) => c.textContent.trim());
  return {scrollWidth: document.documentElement.scrollWidth, width, unboxed, boxes, captions};
}"""

# Every text of the chart in the SVG's own units, and each row's <title> with its label lines.
CHART = """() => {
  const svg = document.querySelector('#ranking-chart');
  const box = svg.viewBox.baseVal;
  const texts = [...svg.querySelectorAll('text')].map((t) => {
    const b = t.getBBox();
    return {text: t.textContent, left: b.x, right: b.x + b.width};
  });
  const rows = [...svg.querySelectorAll('g')].map((g) => ({
    title: g.querySelector('title').textContent,
    lines: [...g.querySelectorAll('text')].map((t) => t.textContent),
  }));
  return {width: box.width, texts, rows};
}"""


def open_page(browser, demo, path, width):
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
    page = context.new_page()
    response = page.goto(demo.base + path.format(**demo.consultations))
    assert response.status == 200, path
    return context, page


def assert_fits(layout):
    assert layout["scrollWidth"] <= layout["width"], layout
    assert layout["unboxed"] == [], layout
    for box in layout["boxes"]:
        assert box["focusable"] and box["name"], box
    assert layout["captions"] == [], layout


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "name, path",
    [
        ("ergebnisse-liste", "/ergebnisse/"),
        ("ergebnisse-liste-en", "/en/ergebnisse/"),
        ("ergebnis-detail", "/ergebnisse/{published}/"),
        ("befragung-ergebnis", "/befragungen/{published}/"),
    ],
)
def test_results_pages_do_not_scroll_sideways(browser, demo, name, path, width):
    context, page = open_page(browser, demo, path, width)
    try:
        shoot(page, f"h5-{name}")
        assert_fits(page.evaluate(LAYOUT))
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_chart_shows_long_measure_names_whole_and_inside(browser, demo, width):
    context, page = open_page(browser, demo, "/ergebnisse/{published}/", width)
    try:
        shoot(page, "h5-ergebnis-diagramm")
        chart = page.evaluate(CHART)
        for text in chart["texts"]:
            assert text["left"] >= 0 and text["right"] <= chart["width"], text
        first = chart["rows"][0]
        # The first measure's name is long: it wraps instead of being cut.
        assert first["title"].startswith("1. Mängelmelder für Schlaglöcher, Müll und defekte Laternen: ")
        assert len(first["lines"]) == 3  # two lines of name, one value
        assert " ".join(first["lines"][:2]) == "1. Mängelmelder für Schlaglöcher, Müll und defekte Laternen"
        for row in chart["rows"]:
            label = " ".join(row["lines"][:-1])
            assert row["title"].startswith(label.removesuffix("…")), row
    finally:
        context.close()
