"""Under the Content-Security-Policy (no inline scripts, WebSockets only to this host) every
page works in a real browser: no violation reported, no script error, the board's and the
console's WebSockets connect, the API docs render."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import DEMO_PROCESS, DEMO_WORKSHOP, FACILITATOR, FACILITATOR_PASSWORD

pytestmark = pytest.mark.browser


def watch(page, problems):
    def console(message):
        if message.type == "error" and ("Content Security Policy" in message.text or "Refused to" in message.text):
            problems.append(f"{page.url}: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))


def test_every_page_works_under_the_policy(demo, new_context):
    problems = []
    page = new_context().new_page()
    watch(page, problems)
    urls = [
        "/",
        "/massnahmen/",
        "/reallabore/",
        "/karte/",
        f"/prozesse/{DEMO_PROCESS}/reallabore/reallabor-neckarbogen/",
        f"/prozesse/{DEMO_PROCESS}/",
        "/befragungen/",
        *[f"/befragungen/{pk}/" for pk in demo.consultations.values()],
        "/ergebnisse/",
        f"/ergebnisse/{demo.consultations['published']}/",
        "/konto/anmelden/",
    ]
    for url in urls:
        response = page.goto(demo.base + url)
        assert response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")

    page.goto(f"{demo.base}/api/docs/")
    expect(page.locator(".swagger-ui .info")).to_be_visible()

    page.goto(f"{demo.base}/w/{DEMO_WORKSHOP}/")
    page.get_by_label("Ihr Name").fill("Richtlinie")
    page.get_by_role("button", name="Beitreten").click()
    expect(page.locator("#workshop-app")).to_have_attribute("aria-busy", "false")

    console = new_context().new_page()
    watch(console, problems)
    console.goto(f"{demo.base}/konto/anmelden/")
    console.get_by_label("Benutzername").fill(FACILITATOR)
    console.get_by_label("Passwort").fill(FACILITATOR_PASSWORD)
    console.get_by_role("button", name="Anmelden").click()
    console.goto(f"{demo.base}/w/{DEMO_WORKSHOP}/console/")
    expect(console.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
    console.goto(f"{demo.base}/w/{DEMO_WORKSHOP}/projector/")
    # The projector's presence line comes over the socket.
    expect(console.get_by_text(re.compile(r"\d+ Pers\w+ online"))).to_be_visible()

    assert not problems, "\n".join(problems)
