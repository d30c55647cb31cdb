"""Every page has an icon: loading a page in Chromium makes no request that fails (no 404
for /favicon.ico, which browsers ask for when a page names no icon), and the icons the
pages name are images."""

import pytest

pytestmark = pytest.mark.browser

PAGES = ["/", "/en/", "/massnahmen/", "/befragungen/", "/ergebnisse/", "/ergebnisse/{published}/", "/w/"]


def test_a_page_load_makes_no_failing_request_and_names_an_icon(demo, new_context):
    page = new_context().new_page()
    failed = []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    page.on("requestfailed", lambda r: failed.append(f"failed {r.url}"))
    icons = set()
    for path in PAGES:
        page.goto(demo.base + path.format(**demo.consultations))
        page.wait_for_load_state("networkidle")
        icons.update(page.eval_on_selector_all("link[rel=icon]", "links => links.map(l => l.href)"))
    assert failed == []
    assert icons == {f"{demo.base}/favicon.ico", f"{demo.base}/static/favicon.svg"}
    for url in sorted(icons) + [f"{demo.base}/favicon.ico"]:
        response = page.request.get(url)
        assert response.status == 200, url
        assert response.headers["content-type"] in ("image/svg+xml", "image/x-icon", "image/vnd.microsoft.icon")
        assert len(response.body()) > 100
