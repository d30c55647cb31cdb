"""Browser fixtures: a real Daphne server on its own database, and headless Chromium.

The server runs in a subprocess against a throwaway database (a temporary SQLite
file, or a fresh PostgreSQL database when DATABASE_URL points to PostgreSQL; the
channel layer is Redis when REDIS_URL is set), so these tests use no pytest-django
database and set up data through the REST API and the WebSocket, as clients do.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.workshops.live_site import LiveClient, LiveSite, Server, manage

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FACILITATOR = "e2e-moderation"
FACILITATOR_PASSWORD = "Kessel-Wabe-0815-e2e"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, show the end of the server's log next to the browser's view."""
    outcome = yield
    report = outcome.get_result()
    live = item.funcargs.get("live") if hasattr(item, "funcargs") else None
    if report.failed and isinstance(live, Live):
        report.sections.append(("daphne log (last lines)", live.server.log()))


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Generous waits for a loaded CI machine; a passing run never waits this long.
    sync_api.expect.set_options(timeout=10_000)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Live:
    site: LiveSite
    server: Server

    @property
    def base(self):
        return self.server.base

    def workshop(self, title="Zukunft der Mobilität", **settings):
        return self.site.create_workshop(self.server, title, **settings)

    def open_poll(self, code, **poll):
        """Create and open a poll as the workshop's facilitator over a real socket; its id."""

        async def run():
            joined = self.site.join(self.server, code, "Moderation", token=self.site.token)
            client = await LiveClient("moderation", joined["ticket"]).connect(self.server, code)
            try:
                await client.wait_for(lambda f: f["type"] == "snapshot")
                ack = await client.command("poll.create", **poll)
                assert ack["type"] == "ack", ack
                created = await client.wait_for(lambda f: f["type"] == "event" and f["seq"] == ack["seq"])
                poll_id = created["data"]["id"]
                ack = await client.command("poll.open", poll=poll_id)
                assert ack["type"] == "ack", ack
                return poll_id
            finally:
                await client.close()

        # Playwright's sync API keeps an event loop running in this thread: use another one.
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, run()).result(timeout=30)


@pytest.fixture(scope="module")
def live(browser):
    site = LiveSite()
    try:
        (server,) = site.setup(names=("browser",))
        manage(
            site.env, "create_facilitator", FACILITATOR, "--password", FACILITATOR_PASSWORD, "--process", "live-test"
        )
        yield Live(site, server)
    finally:
        site.close()


@pytest.fixture
def new_context(browser):
    """Separate browser contexts (own cookies and storage), like separate devices."""
    contexts = []

    def make():
        context = browser.new_context(locale="de-DE", viewport={"width": 1000, "height": 900})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
